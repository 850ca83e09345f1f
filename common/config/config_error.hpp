// The one exception of configuration: start-up stops with its message, which names the file or
// the full key path ("mixer.rtp.port_min: expected an integer in 1024..65535, got \"abc\"").
#pragma once

#include <stdexcept>
#include <string>

namespace sidebar::config {

class ConfigError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

}  // namespace sidebar::config
