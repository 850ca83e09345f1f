// SDP writer: RFC 4566 line order (v o s i u e p c b t r z k a, then per m=: m i c b k a).
// Within a media section rtpmap and fmtp follow the m= line's format order, as phones write
// them, so the text reads naturally; typed attributes come before the generic ones.
#include "common/sdp/sdp_writer.hpp"

#include <set>

namespace sidebar::sdp {

namespace {

class Writer {
  public:
    void line(char type, std::string_view value) {
        out_ += type;
        out_ += '=';
        out_ += value;
        out_ += "\r\n";
    }
    void attribute(std::string_view name, std::optional<std::string_view> value = std::nullopt) {
        out_ += "a=";
        out_ += name;
        if (value) {
            out_ += ':';
            out_ += *value;
        }
        out_ += "\r\n";
    }
    std::string take() { return std::move(out_); }

  private:
    std::string out_;
};

std::string connection_text(const Connection& c) {
    return c.net_type + " " + std::string(to_string(c.addr_type)) + " " + c.address;
}

void write_bandwidths(Writer& w, const std::vector<Bandwidth>& bandwidths) {
    for (const auto& b : bandwidths)
        w.line('b', b.type + ":" + std::to_string(b.value));
}

void write_attributes(Writer& w, const std::vector<Attribute>& attributes) {
    for (const auto& a : attributes) {
        w.attribute(a.name, a.value ? std::optional<std::string_view>(*a.value) : std::nullopt);
    }
}

void write_rtpmap(Writer& w, int pt, const RtpMap& map) {
    std::string value =
        std::to_string(pt) + " " + map.encoding + "/" + std::to_string(map.clock_rate);
    if (map.channels != 1) value += "/" + std::to_string(map.channels);
    w.attribute("rtpmap", value);
}

void write_fmtp(Writer& w, int pt, const Fmtp& fmtp) {
    std::string value = std::to_string(pt);
    if (!fmtp.raw.empty()) value += " " + fmtp.raw;
    w.attribute("fmtp", value);
}

void write_media(Writer& w, const MediaDescription& m) {
    std::string mline = m.media + " " + std::to_string(m.port);
    if (m.port_count != 1) mline += "/" + std::to_string(m.port_count);
    mline += " " + m.proto;
    for (const auto& f : m.formats)
        mline += " " + f;
    w.line('m', mline);
    if (m.information) w.line('i', *m.information);
    if (m.connection) w.line('c', connection_text(*m.connection));
    write_bandwidths(w, m.bandwidths);
    if (m.encryption_key) w.line('k', *m.encryption_key);

    std::set<int> written;
    for (const auto& f : m.formats) {
        const auto pt = payload_type_of(f);
        if (!pt || !written.insert(*pt).second) continue;
        if (auto it = m.rtpmaps.find(*pt); it != m.rtpmaps.end()) write_rtpmap(w, *pt, it->second);
        if (auto it = m.fmtps.find(*pt); it != m.fmtps.end()) write_fmtp(w, *pt, it->second);
    }
    // Maps for payload types the m= line does not list: kept, though nothing uses them.
    for (const auto& [pt, map] : m.rtpmaps) {
        if (!written.count(pt)) write_rtpmap(w, pt, map);
    }
    for (const auto& [pt, fmtp] : m.fmtps) {
        if (!written.count(pt)) write_fmtp(w, pt, fmtp);
    }
    if (m.ptime) w.attribute("ptime", std::to_string(*m.ptime));
    if (m.maxptime) w.attribute("maxptime", std::to_string(*m.maxptime));
    if (m.rtcp) {
        std::string value = std::to_string(m.rtcp->port);
        if (m.rtcp->connection) value += " " + connection_text(*m.rtcp->connection);
        w.attribute("rtcp", value);
    }
    if (m.rtcp_mux) w.attribute("rtcp-mux");
    write_attributes(w, m.attributes);
    if (m.direction) w.attribute(to_string(*m.direction));
}

}  // namespace

std::string write(const SessionDescription& sd) {
    Writer w;
    w.line('v', std::to_string(sd.version));
    const Origin& o = sd.origin;
    w.line('o', o.username + " " + o.session_id + " " + std::to_string(o.session_version) + " " +
                    o.net_type + " " + std::string(to_string(o.addr_type)) + " " + o.address);
    w.line('s', sd.session_name);
    if (sd.information) w.line('i', *sd.information);
    if (sd.uri) w.line('u', *sd.uri);
    for (const auto& e : sd.emails)
        w.line('e', e);
    for (const auto& p : sd.phones)
        w.line('p', p);
    if (sd.connection) w.line('c', connection_text(*sd.connection));
    write_bandwidths(w, sd.bandwidths);
    for (const auto& t : sd.timings) {
        w.line('t', std::to_string(t.start) + " " + std::to_string(t.stop));
        for (const auto& r : t.repeats)
            w.line('r', r);
    }
    if (sd.time_zones) w.line('z', *sd.time_zones);
    if (sd.encryption_key) w.line('k', *sd.encryption_key);
    write_attributes(w, sd.attributes);
    if (sd.direction) w.attribute(to_string(*sd.direction));
    for (const auto& m : sd.media)
        write_media(w, m);
    return w.take();
}

}  // namespace sidebar::sdp
