// Command-line options of the load generator.
#pragma once

#include <cstdint>
#include <string>

namespace sidebar::loadgen {

struct Options {
    std::string mode = "media";  // media: N members for a window; joins: SIP join-rate ramp
    uint16_t sip_port = 5070;
    uint16_t admin_port = 8070;
    int pid = 0;                 // the mixer's, for /proc sampling (0 = skip)
    std::string codec = "pcmu";  // pcmu or opus
    int members = 100;
    int room_size = 20;
    int room_base = 1000;
    int talkers_per_room = 1;
    double warmup_s = 4;  // the entry announcement plays ~3 s
    double measure_s = 8;
    int per_socket = 64;
    int concurrency = 100;
    double join_rate = 50;  // joins mode: first step's rate (per second)
    double join_rate_max = 2000;
    double join_step_s = 4;
    std::string label;
};

// Parses argv; throws std::invalid_argument with the offending option (a start-up error).
Options parse_options(int argc, char** argv);

}  // namespace sidebar::loadgen
