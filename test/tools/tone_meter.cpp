// tone_meter: the integration tests' ear. Reads an audio file (anything common/audio can decode,
// converted to 16 kHz mono), measures the level of each asked frequency with the calibrated
// Goertzel meter over a window that skips the call's set-up and tear-down, and prints one JSON
// object so Python tests can parse it. Exit status: 0 measured, 1 unreadable/too short, 2 usage.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/audio/audio_file.hpp"
#include "common/audio/goertzel.hpp"
#include "common/audio/level.hpp"

namespace {

namespace audio = sidebar::audio;

constexpr std::size_t kMaxFreqs = 64;

struct Options {
    std::string file;
    std::vector<double> freqs;
    double skip_seconds = 1.0;
    double until_end_seconds = 0.5;
    double window_ms = 0.0;  // 0: everything between skip and until-end
    double max_seconds = 3600.0;
    audio::Window window = audio::Window::hann;
};

void usage() {
    std::fputs(
        "usage: tone_meter FILE --freq HZ [--freq HZ ...] [--skip SECONDS] [--until-end SECONDS]\n"
        "                  [--window-ms MS] [--window hann|blackman-harris|rect]\n"
        "                  [--max-seconds SECONDS]\n"
        "Prints {\"file\":..., \"seconds\":..., \"rms_dbfs\":..., \"levels\": {\"HZ\": dBFS}}\n",
        stderr);
}

std::optional<double> parse_number(std::string_view text) {
    if (text.empty() || text.size() > 32) return std::nullopt;
    const std::string s(text);
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (end != s.c_str() + s.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

// Returns the options, or nullopt after printing what was wrong.
std::optional<Options> parse_args(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "-h" || arg == "--help") return std::nullopt;
        if (!arg.starts_with("--")) {
            if (!o.file.empty()) {
                std::fprintf(stderr, "tone_meter: more than one file given (%s)\n", argv[i]);
                return std::nullopt;
            }
            o.file = std::string(arg);
            continue;
        }
        if (i + 1 >= argc) {
            std::fprintf(stderr, "tone_meter: %s needs a value\n", argv[i]);
            return std::nullopt;
        }
        const std::string_view value = argv[++i];
        if (arg == "--window") {
            if (value == "hann") {
                o.window = audio::Window::hann;
            } else if (value == "blackman-harris") {
                o.window = audio::Window::blackman_harris;
            } else if (value == "rect") {
                o.window = audio::Window::rectangular;
            } else {
                std::fprintf(stderr, "tone_meter: unknown window '%s'\n", argv[i]);
                return std::nullopt;
            }
            continue;
        }
        const auto number = parse_number(value);
        if (!number || *number < 0.0) {
            std::fprintf(stderr, "tone_meter: %s: not a non-negative number: '%s'\n", argv[i - 1],
                         argv[i]);
            return std::nullopt;
        }
        if (arg == "--freq") {
            if (*number <= 0.0 || *number >= audio::kInternalRate / 2.0) {
                std::fprintf(stderr, "tone_meter: --freq %s is outside (0, %d) Hz\n", argv[i],
                             audio::kInternalRate / 2);
                return std::nullopt;
            }
            if (o.freqs.size() >= kMaxFreqs) {
                std::fprintf(stderr, "tone_meter: at most %zu frequencies\n", kMaxFreqs);
                return std::nullopt;
            }
            o.freqs.push_back(*number);
        } else if (arg == "--skip") {
            o.skip_seconds = *number;
        } else if (arg == "--until-end") {
            o.until_end_seconds = *number;
        } else if (arg == "--window-ms") {
            o.window_ms = *number;
        } else if (arg == "--max-seconds") {
            o.max_seconds = *number;
        } else {
            std::fprintf(stderr, "tone_meter: unknown option %s\n", argv[i - 1]);
            return std::nullopt;
        }
    }
    if (o.file.empty()) {
        std::fputs("tone_meter: no file given\n", stderr);
        return std::nullopt;
    }
    if (o.freqs.empty()) {
        std::fputs("tone_meter: no --freq given\n", stderr);
        return std::nullopt;
    }
    return o;
}

// JSON string literal for arbitrary bytes of a path.
std::string json_string(std::string_view s) {
    std::string out = "\"";
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += ch;
        } else if (c < 0x20 || c >= 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else {
            out += ch;
        }
    }
    return out + "\"";
}

std::string json_number(double v) {
    if (!std::isfinite(v)) return "null";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
}

std::string freq_key(double hz) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", hz);
    return buf;
}

}  // namespace

int main(int argc, char** argv) {
    const auto options = parse_args(argc, argv);
    if (!options) {
        usage();
        return 2;
    }
    const Options& o = *options;
    audio::ReadOptions read_options;
    read_options.max_seconds = o.max_seconds;
    const auto samples = audio::read_audio_16k(o.file, read_options);
    if (!samples) {
        std::fprintf(stderr, "tone_meter: cannot read %s: %s\n", o.file.c_str(),
                     samples.message().c_str());
        return 1;
    }
    const std::size_t total = samples->size();
    const double rate = audio::kInternalRate;
    const auto skip = static_cast<std::size_t>(o.skip_seconds * rate);
    const auto tail = static_cast<std::size_t>(o.until_end_seconds * rate);
    if (skip + tail >= total) {
        std::fprintf(stderr,
                     "tone_meter: %s is %.2f s long: nothing left after skipping %.2f s at the "
                     "start and %.2f s at the end\n",
                     o.file.c_str(), double(total) / rate, o.skip_seconds, o.until_end_seconds);
        return 1;
    }
    std::size_t count = total - skip - tail;
    if (o.window_ms > 0.0) {
        const auto wanted = static_cast<std::size_t>(o.window_ms / 1000.0 * rate);
        if (wanted > count) {
            std::fprintf(stderr,
                         "tone_meter: %s: only %.2f s left after skipping, %.0f ms window asked\n",
                         o.file.c_str(), double(count) / rate, o.window_ms);
            return 1;
        }
        count = wanted;
    }
    const std::span<const int16_t> block(samples->data() + skip, count);
    const std::vector<double> levels =
        audio::tone_levels(block, audio::kInternalRate, std::span<const double>(o.freqs), o.window);
    std::string out = "{\"file\": " + json_string(o.file) +
                      ", \"seconds\": " + json_number(double(total) / rate) +
                      ", \"window_seconds\": " + json_number(double(count) / rate) +
                      ", \"rms_dbfs\": " + json_number(audio::rms_dbfs(block)) + ", \"levels\": {";
    for (std::size_t k = 0; k < o.freqs.size(); ++k) {
        if (k > 0) out += ", ";
        out += json_string(freq_key(o.freqs[k])) + ": " + json_number(levels[k]);
    }
    out += "}}\n";
    std::fputs(out.c_str(), stdout);
    return 0;
}
