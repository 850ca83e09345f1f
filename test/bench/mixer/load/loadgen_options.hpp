// Command-line options of the load generator.
#pragma once

#include <cstdint>
#include <string>

namespace sidebar::loadgen {

struct Options {
    // media: N members for a window; joins: SIP join-rate ramp; sidebars: media plus a
    // controller moving members into sidebars and back (sidebar_mode.hpp)
    std::string mode = "media";
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
    double sidebar_fraction = 0.1;  // sidebars mode: share of members put into sidebars, in pairs
    int sidebar_rounds = 2;         // sidebars mode: (sidebars, none) windows after the first none
    int sidebar_concurrency = 4;    // sidebars mode: sidebars the controller builds at once
    // The mixer config's `secret`, which signs the controller's requests (X-Sidebar-Auth).
    std::string secret = "development-secret-change-me";
    std::string label;
};

// Parses argv; throws std::invalid_argument with the offending option (a start-up error).
Options parse_options(int argc, char** argv);

}  // namespace sidebar::loadgen
