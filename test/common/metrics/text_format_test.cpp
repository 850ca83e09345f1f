// Name checks, escaping and number formatting of the Prometheus text format.
#include "common/metrics/text_format.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

using namespace sidebar::metrics;

TEST_CASE("metric and label names", "[metrics]") {
    CHECK(valid_metric_name("sidebar_rooms"));
    CHECK(valid_metric_name("a:b_c9"));
    CHECK_FALSE(valid_metric_name(""));
    CHECK_FALSE(valid_metric_name("9rooms"));
    CHECK_FALSE(valid_metric_name("rooms total"));
    CHECK_FALSE(valid_metric_name("rooms-total"));
    CHECK(valid_label_name("room"));
    CHECK(valid_label_name("_x1"));
    CHECK_FALSE(valid_label_name("__name"));
    CHECK_FALSE(valid_label_name("a:b"));
    CHECK_FALSE(valid_label_name("1a"));
    CHECK_FALSE(valid_label_name(""));
}

TEST_CASE("label values and help are escaped", "[metrics]") {
    std::string out;
    append_label_value(out, "a\"b\\c\nd");
    CHECK(out == "a\\\"b\\\\c\\nd");
    out.clear();
    append_help(out, "line \"one\"\\\nline two");
    CHECK(out == "line \"one\"\\\\\\nline two");
}

TEST_CASE("doubles are written in the shortest exact form", "[metrics]") {
    const auto text = [](double v) {
        std::string out;
        append_double(out, v);
        return out;
    };
    CHECK(text(0.0) == "0");
    CHECK(text(0.5) == "0.5");
    CHECK(text(250.0) == "250");
    CHECK(text(-1.25) == "-1.25");
    CHECK(text(0.1) == "0.1");
    CHECK(text(std::numeric_limits<double>::infinity()) == "+Inf");
    CHECK(text(-std::numeric_limits<double>::infinity()) == "-Inf");
    CHECK(text(std::nan("")) == "NaN");
}
