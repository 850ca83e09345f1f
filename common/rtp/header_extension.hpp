// RFC 8285 header extension elements (the one-byte 0xBEDE form and the two-byte 0x100x form)
// inside an RTP header extension, e.g. the RFC 6464 audio level a mixer may want per packet.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "common/rtp/rtp_packet.hpp"
#include "common/util/result.hpp"

namespace sidebar::rtp {

inline constexpr uint16_t kOneByteExtensionProfile = 0xBEDE;
// Two-byte headers use 0x1000..0x100F; the low 4 bits are "appbits" the receiver ignores.
inline constexpr uint16_t kTwoByteExtensionProfile = 0x1000;

bool is_one_byte_extension(const HeaderExtension& extension);
bool is_two_byte_extension(const HeaderExtension& extension);

// The data of the first element with `id` (1..14 for one-byte, 1..255 for two-byte headers), a
// view into the same buffer as `extension.data`. nullopt when no element has that id or the
// extension is of another profile; an error when an element runs past the extension's end.
Result<std::optional<std::span<const uint8_t>>> find_extension_element(
    const HeaderExtension& extension, uint8_t id);

}  // namespace sidebar::rtp
