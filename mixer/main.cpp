// sidebar-mixer: the conference server. Usage:
//   sidebar-mixer [--config FILE] [--check-config]
// With no --config it runs on loopback with the embedded defaults (DESIGN.md 6).
#include <cstring>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "common/config/config_error.hpp"
#include "common/config/json_file.hpp"
#include "common/log/log.hpp"
#include "mixer/config/mixer_config.hpp"
#include "mixer/service/mixer_service.hpp"

namespace {

constexpr const char* kUsage =
    "usage: sidebar-mixer [--config FILE] [--check-config] [--console ROOM [--console-device N]]\n"
    "  --config FILE          JSON configuration ({\"mixer\": {...}}); defaults when absent\n"
    "  --check-config         read the configuration, report problems, and exit\n"
    "  --console ROOM         the machine's sound device joins room ROOM as a member\n"
    "  --console-device NAME  a PortAudio device name instead of the default device\n";

}  // namespace

int main(int argc, char** argv) {
    using namespace sidebar;
    std::string config_path;
    bool check_only = false;
    std::string console_room;
    std::string console_device;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--config" && i + 1 < argc) {
            config_path = argv[++i];
        } else if (arg == "--console" && i + 1 < argc) {
            console_room = argv[++i];
        } else if (arg == "--console-device" && i + 1 < argc) {
            console_device = argv[++i];
        } else if (arg == "--check-config") {
            check_only = true;
        } else if (arg == "--help" || arg == "-h") {
            std::cout << kUsage;
            return 0;
        } else {
            std::cerr << "sidebar-mixer: unknown argument \"" << arg << "\"\n" << kUsage;
            return 2;
        }
    }
    log::set_service("mixer");
    mixer::MixerConfig config;
    try {
        config = config_path.empty()
                     ? mixer::default_mixer_config()
                     : mixer::read_mixer_config(config::load_json_file(config_path));
    } catch (const config::ConfigError& e) {
        std::cerr << "sidebar-mixer: configuration error: " << e.what() << "\n";
        return 2;
    }
    config.console_room = console_room;
    config.console_device = console_device;
    if (check_only) {
        std::cout << "configuration ok\n";
        return 0;
    }
    if (auto level = log::parse_level(config.log_level)) log::set_level(*level);
    try {
        mixer::MixerService service(std::move(config));
        return service.run();
    } catch (const std::exception& e) {
        log::error("mixer_failed").msg(e.what());
        std::cerr << "sidebar-mixer: " << e.what() << "\n";
        return 1;
    }
}
