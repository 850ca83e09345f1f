// libFuzzer entry for the mixer's Request-URI resources (a peer chooses the user part): whatever
// parses must print back to the same text and parse again to the same resource.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/sip/resource_uri.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    const std::string_view user(reinterpret_cast<const char*>(data), size);
    auto resource = sidebar::sip::parse_resource(user);
    if (!resource) return 0;
    const std::string printed = sidebar::sip::resource_user(*resource);
    if (printed != user) std::abort();
    auto again = sidebar::sip::parse_resource(printed);
    if (!again || again->kind != resource->kind || again->room != resource->room ||
        again->number != resource->number) {
        std::abort();
    }
    return 0;
}
