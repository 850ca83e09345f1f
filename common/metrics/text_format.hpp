// Pieces of the Prometheus text exposition format 0.0.4: name checks, escaping, numbers.
#pragma once

#include <string>
#include <string_view>

namespace sidebar::metrics {

// [a-zA-Z_:][a-zA-Z0-9_:]*
bool valid_metric_name(std::string_view name);
// [a-zA-Z_][a-zA-Z0-9_]*, not starting with "__" (reserved by Prometheus).
bool valid_label_name(std::string_view name);

// Label values: backslash, double quote and line feed escaped (\\ \" \n). Everything else,
// including other control bytes, is passed through; the format allows any UTF-8.
void append_label_value(std::string& out, std::string_view value);
// HELP text: backslash and line feed escaped.
void append_help(std::string& out, std::string_view help);
// Shortest text that reads back to the same double; "NaN", "+Inf", "-Inf".
void append_double(std::string& out, double value);

}  // namespace sidebar::metrics
