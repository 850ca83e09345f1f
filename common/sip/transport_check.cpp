// Binding each transport's socket once before nua_create: a port in use is then reported
// plainly, and nua_create is not left to fail (Debian's sofia-sip leaks its root's port when it
// does).
#include "common/sip/transport_check.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace sidebar::sip {

std::string check_bindable(const StackConfig& config) {
    const bool v6 = config.address.find(':') != std::string::npos;
    sockaddr_storage storage{};
    socklen_t length = 0;
    if (v6) {
        auto* a = reinterpret_cast<sockaddr_in6*>(&storage);
        a->sin6_family = AF_INET6;
        a->sin6_port = htons(config.port);
        if (inet_pton(AF_INET6, config.address.c_str(), &a->sin6_addr) != 1) return "bad address";
        length = sizeof(sockaddr_in6);
    } else {
        auto* a = reinterpret_cast<sockaddr_in*>(&storage);
        a->sin_family = AF_INET;
        a->sin_port = htons(config.port);
        if (inet_pton(AF_INET, config.address.c_str(), &a->sin_addr) != 1) return "bad address";
        length = sizeof(sockaddr_in);
    }
    for (int type : {SOCK_DGRAM, SOCK_STREAM}) {
        if ((type == SOCK_DGRAM && !config.udp) || (type == SOCK_STREAM && !config.tcp)) continue;
        const int fd = socket(storage.ss_family, type, 0);
        if (fd < 0) return std::strerror(errno);
        const int on = 1;
        if (type == SOCK_STREAM) setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
        const int bound = bind(fd, reinterpret_cast<sockaddr*>(&storage), length);
        const int error = errno;
        close(fd);
        if (bound != 0) {
            return std::string(type == SOCK_DGRAM ? "udp" : "tcp") + ": " + std::strerror(error);
        }
    }
    return {};
}

}  // namespace sidebar::sip
