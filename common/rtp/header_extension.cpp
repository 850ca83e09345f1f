// RFC 8285 element walk.
#include "common/rtp/header_extension.hpp"

#include <string>

namespace sidebar::rtp {

using ElementResult = Result<std::optional<std::span<const uint8_t>>>;

bool is_one_byte_extension(const HeaderExtension& extension) {
    return extension.profile == kOneByteExtensionProfile;
}

bool is_two_byte_extension(const HeaderExtension& extension) {
    return (extension.profile & 0xFFF0) == kTwoByteExtensionProfile;
}

namespace {

ElementResult overrun(uint8_t id, std::size_t offset, std::size_t length, std::size_t size) {
    return make_error("rtp: extension element " + std::to_string(id) + " at offset " +
                      std::to_string(offset) + " with " + std::to_string(length) +
                      " data bytes runs past the " + std::to_string(size) + "-byte extension");
}

// One-byte form: ID (4 bits) and length-1 (4 bits), then 1..16 bytes. Zero bytes are padding
// between elements; ID 15 ends the walk (RFC 8285 4.2).
ElementResult find_one_byte(std::span<const uint8_t> data, uint8_t id) {
    std::size_t i = 0;
    while (i < data.size()) {
        const uint8_t element_id = data[i] >> 4;
        if (data[i] == 0) {
            ++i;
            continue;
        }
        if (element_id == 15) break;
        const std::size_t length = std::size_t{data[i] & 0x0Fu} + 1;
        if (i + 1 + length > data.size()) return overrun(element_id, i, length, data.size());
        if (element_id == id) return std::optional(data.subspan(i + 1, length));
        i += 1 + length;
    }
    return std::optional<std::span<const uint8_t>>();
}

// Two-byte form: ID octet, length octet (0..255), data. A zero ID octet is padding (RFC 8285 4.3).
ElementResult find_two_byte(std::span<const uint8_t> data, uint8_t id) {
    std::size_t i = 0;
    while (i < data.size()) {
        const uint8_t element_id = data[i];
        if (element_id == 0) {
            ++i;
            continue;
        }
        if (i + 2 > data.size()) return overrun(element_id, i, 0, data.size());
        const std::size_t length = data[i + 1];
        if (i + 2 + length > data.size()) return overrun(element_id, i, length, data.size());
        if (element_id == id) return std::optional(data.subspan(i + 2, length));
        i += 2 + length;
    }
    return std::optional<std::span<const uint8_t>>();
}

}  // namespace

ElementResult find_extension_element(const HeaderExtension& extension, uint8_t id) {
    if (is_one_byte_extension(extension)) {
        if (id == 0 || id > 14) {
            return make_error("rtp: one-byte extension element id " + std::to_string(id) +
                              " is outside 1..14");
        }
        return find_one_byte(extension.data, id);
    }
    if (is_two_byte_extension(extension)) {
        if (id == 0) return make_error("rtp: two-byte extension element id 0 is padding");
        return find_two_byte(extension.data, id);
    }
    return std::optional<std::span<const uint8_t>>();
}

}  // namespace sidebar::rtp
