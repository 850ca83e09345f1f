// SIP text helpers for the load generator (see sip_text.hpp).
#include "test/bench/mixer/load/sip_text.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace sidebar::loadgen {
namespace {

constexpr std::size_t kMaxMessage = 65535;

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
        s.remove_suffix(1);
    }
    return s;
}

std::string param_value(std::string_view value, std::string_view param) {
    // ";tag=" style parameters after the URI; the header's own display part is skipped.
    const auto close = value.find('>');
    std::string_view rest = close == std::string_view::npos ? value : value.substr(close);
    const std::string key = ";" + std::string(param) + "=";
    const auto at = rest.find(key);
    if (at == std::string_view::npos) return {};
    rest.remove_prefix(at + key.size());
    return std::string(rest.substr(0, rest.find_first_of(";, >")));
}

std::string uri_of(std::string_view value) {
    const auto open = value.find('<');
    if (open != std::string_view::npos) {
        const auto close = value.find('>', open);
        if (close == std::string_view::npos) return {};
        return std::string(value.substr(open + 1, close - open - 1));
    }
    return std::string(trim(value.substr(0, value.find(';'))));
}

}  // namespace

std::optional<std::string_view> header_value(std::string_view head, std::string_view name,
                                             std::string_view compact) {
    std::size_t pos = 0;
    while (pos < head.size()) {
        auto end = head.find("\r\n", pos);
        if (end == std::string_view::npos) end = head.size();
        const std::string_view line = head.substr(pos, end - pos);
        pos = end + 2;
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        const std::string_view key = trim(line.substr(0, colon));
        if (iequals(key, name) || (!compact.empty() && iequals(key, compact))) {
            return trim(line.substr(colon + 1));
        }
    }
    return std::nullopt;
}

std::optional<SipMessage> parse_sip(std::string_view datagram) {
    if (datagram.size() > kMaxMessage) return std::nullopt;
    const auto split = datagram.find("\r\n\r\n");
    if (split == std::string_view::npos) return std::nullopt;
    SipMessage msg;
    msg.head = std::string(datagram.substr(0, split + 2));
    msg.body = std::string(datagram.substr(split + 4));
    const auto first_end = msg.head.find("\r\n");
    const std::string_view first = std::string_view(msg.head).substr(0, first_end);
    if (first.starts_with("SIP/2.0 ")) {
        const std::string_view code = first.substr(8, 3);
        auto [p, ec] = std::from_chars(code.data(), code.data() + code.size(), msg.status);
        if (ec != std::errc() || msg.status < 100 || msg.status > 699) return std::nullopt;
    } else {
        const auto space = first.find(' ');
        if (space == std::string_view::npos || !first.ends_with(" SIP/2.0")) return std::nullopt;
        msg.is_request = true;
        msg.method = std::string(first.substr(0, space));
    }
    const std::string_view head = msg.head;
    auto call_id = header_value(head, "Call-ID", "i");
    auto cseq = header_value(head, "CSeq", "");
    if (!call_id || !cseq) return std::nullopt;
    msg.call_id = std::string(*call_id);
    const auto space = cseq->find(' ');
    if (space == std::string_view::npos) return std::nullopt;
    auto [c_end, c_ec] = std::from_chars(cseq->data(), cseq->data() + space, msg.cseq);
    if (c_ec != std::errc() || c_end != cseq->data() + space) return std::nullopt;
    msg.cseq_method = std::string(trim(cseq->substr(space + 1)));
    if (auto to = header_value(head, "To", "t")) msg.to_tag = param_value(*to, "tag");
    if (auto contact = header_value(head, "Contact", "m")) msg.contact_uri = uri_of(*contact);
    return msg;
}

std::optional<uint16_t> sdp_audio_port(std::string_view body) {
    const auto at = body.find("m=audio ");
    if (at == std::string_view::npos) return std::nullopt;
    const std::string_view rest = body.substr(at + 8);
    unsigned port = 0;
    auto [p, ec] =
        std::from_chars(rest.data(), rest.data() + std::min<std::size_t>(rest.size(), 6), port);
    if (ec != std::errc() || port == 0 || port > 65535) return std::nullopt;
    return static_cast<uint16_t>(port);
}

std::string ok_response(const SipMessage& request) {
    std::string out = "SIP/2.0 200 OK\r\n";
    std::size_t pos = 0;
    const std::string_view head = request.head;
    while (pos < head.size()) {
        auto end = head.find("\r\n", pos);
        if (end == std::string_view::npos) end = head.size();
        const std::string_view line = head.substr(pos, end - pos);
        pos = end + 2;
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        const std::string_view key = trim(line.substr(0, colon));
        for (std::string_view keep : {"Via", "v", "From", "f", "To", "t", "Call-ID", "i", "CSeq"}) {
            if (iequals(key, keep)) {
                out.append(line);
                out += "\r\n";
                break;
            }
        }
    }
    out += "Content-Length: 0\r\n\r\n";
    return out;
}

}  // namespace sidebar::loadgen
