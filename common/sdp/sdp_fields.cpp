// Value parsers for the o=, c=, b=, t= and m= lines (RFC 4566 5.2-5.14). Every number is
// range-checked and every address is an IP literal where the media path would use it.
#include <string>

#include "common/sdp/sdp_fields.hpp"
#include "common/sdp/sdp_parser.hpp"
#include "common/sdp/sdp_text.hpp"

namespace sidebar::sdp::fields {

using text::quoted;

namespace {

constexpr std::size_t kMaxSessionIdDigits = 32;
constexpr uint64_t kMaxBandwidth = 1'000'000'000'000ULL;
constexpr std::size_t kMaxOriginAddress = 255;

bool is_visible(std::string_view s) {
    for (char c : s) {
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
    }
    return !s.empty();
}

// proto = token *("/" token)
bool is_proto(std::string_view s) {
    while (true) {
        const std::size_t slash = s.find('/');
        if (!text::is_token(s.substr(0, slash))) return false;
        if (slash == std::string_view::npos) return true;
        s.remove_prefix(slash + 1);
    }
}

Status check_net_type(std::string_view net_type) {
    if (!text::iequals(net_type, "IN")) {
        return make_error("network type " + quoted(net_type) + " is not IN");
    }
    return Ok{};
}

}  // namespace

Result<Origin> parse_origin(std::string_view value) {
    const auto f = text::split_fields(value);
    if (f.size() != 6) {
        return make_error("o= needs 6 fields (username sess-id sess-version IN IP4 address), got " +
                          std::to_string(f.size()));
    }
    Origin origin;
    if (!is_visible(f[0])) return make_error("o= username " + quoted(f[0]) + " is not valid");
    origin.username = std::string(f[0]);
    if (f[1].size() > kMaxSessionIdDigits ||
        f[1].find_first_not_of("0123456789") != std::string_view::npos) {
        return make_error("o= session id " + quoted(f[1]) + " is not a number of at most " +
                          std::to_string(kMaxSessionIdDigits) + " digits");
    }
    origin.session_id = std::string(f[1]);
    const auto version = text::parse_uint(f[2], UINT64_MAX);
    if (!version) {
        return make_error("o= session version " + quoted(f[2]) + " is not a 64-bit number");
    }
    origin.session_version = *version;
    if (auto s = check_net_type(f[3]); !s) return make_error("o= " + s.message());
    const auto addr_type = text::addr_type_from_string(f[4]);
    if (!addr_type) return make_error("o= address type " + quoted(f[4]) + " is not IP4 or IP6");
    origin.addr_type = *addr_type;
    if (f[5].size() > kMaxOriginAddress || !is_visible(f[5])) {
        return make_error("o= address " + quoted(f[5]) + " is not valid");
    }
    origin.address = std::string(f[5]);
    return origin;
}

Result<Connection> parse_connection(std::string_view value) {
    const auto f = text::split_fields(value);
    if (f.size() != 3) {
        return make_error("c= needs 3 fields (IN IP4 address), got " + std::to_string(f.size()));
    }
    if (auto s = check_net_type(f[0]); !s) return make_error("c= " + s.message());
    const auto addr_type = text::addr_type_from_string(f[1]);
    if (!addr_type) return make_error("c= address type " + quoted(f[1]) + " is not IP4 or IP6");
    if (f[2].find('/') != std::string_view::npos) {
        return make_error("c= address " + quoted(f[2]) +
                          " has a multicast TTL or count, which is not supported");
    }
    if (!text::is_ip_literal(*addr_type, f[2])) {
        return make_error("c= address " + quoted(f[2]) + " is not a valid " +
                          (*addr_type == AddrType::ip4 ? "IPv4" : "IPv6") +
                          " address (host names are not supported)");
    }
    return Connection{"IN", *addr_type, std::string(f[2])};
}

Result<Bandwidth> parse_bandwidth(std::string_view value) {
    const std::size_t colon = value.find(':');
    if (colon == std::string_view::npos) {
        return make_error("b= " + quoted(value) + " is not <type>:<bandwidth>");
    }
    const std::string_view type = value.substr(0, colon);
    if (!text::is_token(type)) return make_error("b= type " + quoted(type) + " is not a token");
    const auto bw = text::parse_uint(value.substr(colon + 1), kMaxBandwidth);
    if (!bw) {
        return make_error("b= bandwidth " + quoted(value.substr(colon + 1)) +
                          " is not a number up to " + std::to_string(kMaxBandwidth));
    }
    return Bandwidth{std::string(type), *bw};
}

Result<Timing> parse_timing(std::string_view value) {
    const auto f = text::split_fields(value);
    if (f.size() != 2) {
        return make_error("t= needs 2 fields (start stop), got " + std::to_string(f.size()));
    }
    const auto start = text::parse_uint(f[0], UINT64_MAX);
    const auto stop = text::parse_uint(f[1], UINT64_MAX);
    if (!start || !stop) {
        return make_error("t= times " + quoted(value) + " are not two decimal numbers");
    }
    return Timing{*start, *stop, {}};
}

Result<MediaDescription> parse_media_line(std::string_view value) {
    const auto f = text::split_fields(value);
    if (f.size() < 4) {
        return make_error("m= needs <media> <port> <proto> and at least one format, got " +
                          quoted(value));
    }
    MediaDescription m;
    if (!text::is_token(f[0])) return make_error("m= media " + quoted(f[0]) + " is not a token");
    m.media = std::string(f[0]);

    const std::string_view port_field = f[1];
    const std::size_t slash = port_field.find('/');
    const auto port = text::parse_uint(port_field.substr(0, slash), 65535);
    if (!port) {
        return make_error("m= port " + quoted(port_field.substr(0, slash)) +
                          " is out of range 0..65535");
    }
    m.port = static_cast<uint16_t>(*port);
    if (slash != std::string_view::npos) {
        const auto count = text::parse_uint(port_field.substr(slash + 1), kMaxPortCount);
        if (!count || *count == 0) {
            return make_error("m= port count " + quoted(port_field.substr(slash + 1)) +
                              " is out of range 1.." + std::to_string(kMaxPortCount));
        }
        m.port_count = static_cast<int>(*count);
    }

    if (!is_proto(f[2])) return make_error("m= proto " + quoted(f[2]) + " is not valid");
    m.proto = std::string(f[2]);

    if (f.size() - 3 > kMaxFormats) {
        return make_error("m= line has " + std::to_string(f.size() - 3) +
                          " formats, more than the " + std::to_string(kMaxFormats) + " allowed");
    }
    const bool rtp = is_rtp_proto(m.proto);
    for (std::size_t i = 3; i < f.size(); ++i) {
        if (rtp) {
            const auto pt = text::parse_uint(f[i], 127);
            if (!pt) {
                return make_error("m= payload type " + quoted(f[i]) + " is not a number in 0..127");
            }
            m.formats.push_back(std::to_string(*pt));
        } else {
            if (!text::is_token(f[i])) {
                return make_error("m= format " + quoted(f[i]) + " is not a token");
            }
            m.formats.emplace_back(f[i]);
        }
    }
    return m;
}

}  // namespace sidebar::sdp::fields
