// Command-line parsing of the load generator (see loadgen_options.hpp).
#include "test/bench/mixer/load/loadgen_options.hpp"

#include <stdexcept>
#include <string_view>

namespace sidebar::loadgen {
namespace {

constexpr std::string_view kUsage =
    "usage: sidebar_loadgen [--mode media|joins|sidebars] [--sip-port P] [--admin-port P]\n"
    "  [--pid PID] [--codec pcmu|opus] [--members N] [--room-size K] [--room-base NUMBER]\n"
    "  [--talkers-per-room T] [--warmup-s S] [--measure-s S] [--per-socket M]\n"
    "  [--concurrency C] [--join-rate R] [--join-rate-max R] [--join-step-s S] [--label TEXT]\n"
    "  [--sidebar-fraction F] [--sidebar-rounds R] [--sidebar-concurrency C] [--secret TEXT]";

double number(const std::string& option, const std::string& text, double lo, double hi) {
    double v = 0;
    try {
        v = std::stod(text);
    } catch (const std::exception&) {
        throw std::invalid_argument(option + ": not a number: " + text);
    }
    if (v < lo || v > hi) {
        throw std::invalid_argument(option + ": expected " + std::to_string(lo) + ".." +
                                    std::to_string(hi));
    }
    return v;
}

}  // namespace

Options parse_options(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string opt = argv[i];
        if (opt == "--help" || opt == "-h") throw std::invalid_argument(std::string(kUsage));
        if (i + 1 >= argc)
            throw std::invalid_argument(opt + ": missing value\n" + std::string(kUsage));
        const std::string v = argv[++i];
        auto integer = [&](double lo, double hi) {
            return static_cast<int>(number(opt, v, lo, hi));
        };
        if (opt == "--mode" && (v == "media" || v == "joins" || v == "sidebars"))
            o.mode = v;
        else if (opt == "--sip-port")
            o.sip_port = static_cast<uint16_t>(integer(1, 65535));
        else if (opt == "--admin-port")
            o.admin_port = static_cast<uint16_t>(integer(1, 65535));
        else if (opt == "--pid")
            o.pid = integer(0, 1 << 30);
        else if (opt == "--codec" && (v == "pcmu" || v == "opus"))
            o.codec = v;
        else if (opt == "--members")
            o.members = integer(2, 20000);
        else if (opt == "--room-size")
            o.room_size = integer(2, 1000);
        else if (opt == "--room-base")
            o.room_base = integer(1, 1e8);
        else if (opt == "--talkers-per-room")
            o.talkers_per_room = integer(0, 1000);
        else if (opt == "--warmup-s")
            o.warmup_s = number(opt, v, 0.2, 60);
        else if (opt == "--measure-s")
            o.measure_s = number(opt, v, 0.5, 600);
        else if (opt == "--per-socket")
            o.per_socket = integer(1, 1024);
        else if (opt == "--concurrency")
            o.concurrency = integer(1, 1000);
        else if (opt == "--join-rate")
            o.join_rate = number(opt, v, 1, 100000);
        else if (opt == "--join-rate-max")
            o.join_rate_max = number(opt, v, 1, 100000);
        else if (opt == "--join-step-s")
            o.join_step_s = number(opt, v, 0.5, 60);
        else if (opt == "--sidebar-fraction")
            o.sidebar_fraction = number(opt, v, 0, 1);
        else if (opt == "--sidebar-rounds")
            o.sidebar_rounds = integer(1, 100);
        else if (opt == "--sidebar-concurrency")
            o.sidebar_concurrency = integer(1, 1000);
        else if (opt == "--secret")
            o.secret = v;
        else if (opt == "--label")
            o.label = v;
        else
            throw std::invalid_argument("unknown option or value: " + opt + " " + v + "\n" +
                                        std::string(kUsage));
    }
    return o;
}

}  // namespace sidebar::loadgen
