// Reading the "mixer" configuration object key by key.
#include "mixer/config/mixer_config.hpp"

#include <cctype>

#include <boost/asio/ip/address.hpp>
#include <nlohmann/json.hpp>

#include "common/config/config_reader.hpp"
#include "common/log/log.hpp"

namespace sidebar::mixer {
namespace {

using config::ConfigReader;
using std::chrono::milliseconds;

std::optional<codec::Kind> codec_named(std::string_view name) {
    if (name == "PCMU" || name == "pcmu") return codec::Kind::pcmu;
    if (name == "PCMA" || name == "pcma") return codec::Kind::pcma;
    if (name == "G722" || name == "g722") return codec::Kind::g722;
    if (name == "opus" || name == "OPUS") return codec::Kind::opus;
    return std::nullopt;
}

void read_sip(ConfigReader r, SipSettings& sip) {
    sip.address = r.ip_address("address", sip.address);
    sip.port = static_cast<uint16_t>(r.integer("port", 1, 65535, sip.port));
    const auto transports = r.strings("transports", {"udp", "tcp"});
    sip.udp = sip.tcp = false;
    for (const auto& t : transports) {
        if (t == "udp") {
            sip.udp = true;
        } else if (t == "tcp") {
            sip.tcp = true;
        } else {
            r.fail("transports", "expected \"udp\" and/or \"tcp\", got \"" + t + "\"");
        }
    }
    if (!sip.udp && !sip.tcp) r.fail("transports", "at least one of \"udp\", \"tcp\"");
    sip.public_host = r.string("public_host", "");
    sip.session_expires_s = static_cast<unsigned>(r.integer("session_expires_s", 90, 86400, 1800));
    sip.min_se_s = static_cast<unsigned>(r.integer("min_se_s", 90, 86400, 90));
    if (sip.min_se_s > sip.session_expires_s) {
        r.fail("min_se_s", "must not exceed session_expires_s");
    }
    r.finish();
}

void read_rtp(ConfigReader r, RtpSettings& rtp) {
    rtp.address = r.ip_address("address", rtp.address);
    rtp.port_min = static_cast<uint16_t>(r.integer("port_min", 1024, 65534, rtp.port_min));
    rtp.port_max = static_cast<uint16_t>(r.integer("port_max", 1025, 65535, rtp.port_max));
    if (rtp.port_max < rtp.port_min + 1) {
        r.fail("port_max", "must be above port_min (RTP and RTCP take a pair)");
    }
    rtp.inactivity_timeout = r.duration_ms("inactivity_timeout", milliseconds(2000),
                                           milliseconds(3600000), rtp.inactivity_timeout);
    rtp.jitter_min_ms = r.integer("jitter_min_ms", 0, 500, rtp.jitter_min_ms);
    rtp.jitter_max_ms = r.integer("jitter_max_ms", 20, 2000, rtp.jitter_max_ms);
    if (rtp.jitter_max_ms < rtp.jitter_min_ms) {
        r.fail("jitter_max_ms", "must not be below jitter_min_ms");
    }
    const auto names = r.strings("codecs", {"opus", "G722", "PCMU", "PCMA"});
    rtp.codecs.clear();
    for (const auto& name : names) {
        auto kind = codec_named(name);
        if (!kind) r.fail("codecs", "unknown codec \"" + name + "\" (opus, G722, PCMU, PCMA)");
        rtp.codecs.push_back(*kind);
    }
    if (rtp.codecs.empty()) r.fail("codecs", "at least one codec");
    r.finish();
}

void read_admin(ConfigReader r, AdminSettings& admin) {
    admin.address = r.ip_address("address", admin.address);
    admin.port = static_cast<uint16_t>(r.integer("port", 1, 65535, admin.port));
    admin.token = r.string("token", admin.token);
    r.finish();
}

void read_mixing(ConfigReader r, MixingSettings& m) {
    m.media_threads = r.integer("media_threads", 0, 64, m.media_threads);
    m.gate_threshold_dbfs = r.number("gate_threshold_dbfs", -96.0, 0.0, m.gate_threshold_dbfs);
    m.default_parent_gain_db =
        r.number("default_parent_gain_db", -60.0, 0.0, m.default_parent_gain_db);
    m.noise_suppression = r.boolean("noise_suppression", m.noise_suppression);
    m.agc = r.boolean("agc", m.agc);
    m.announce_joins = r.boolean("announce_joins", m.announce_joins);
    r.finish();
}

void read_limits(ConfigReader r, LimitSettings& l) {
    l.max_calls = r.integer("max_calls", 1, 100000, l.max_calls);
    l.create_rooms_on_demand = r.boolean("create_rooms_on_demand", l.create_rooms_on_demand);
    r.finish();
}

void read_controllers(ConfigReader r, ControllerSettings& c) {
    c.addresses = r.strings("addresses", c.addresses);
    for (std::size_t i = 0; i < c.addresses.size(); ++i) {
        boost::system::error_code ec;
        boost::asio::ip::make_address(c.addresses[i], ec);
        if (ec) {
            r.fail("addresses[" + std::to_string(i) + "]",
                   "expected an IP address, got \"" + c.addresses[i] + "\"");
        }
    }
    c.signature_window_s = r.integer("signature_window_s", 5, 3600, c.signature_window_s);
    r.finish();
}

void read_menu(ConfigReader r, MenuSettings& m) {
    m.ivr_uri = r.string("ivr_uri", m.ivr_uri, "a sip: URI (or empty)", [](std::string_view v) {
        return v.empty() || (v.starts_with("sip:") && v.size() > 4 &&
                             v.find_first_of(" <>\"\r\n") == std::string_view::npos);
    });
    m.answer_timeout_ms = r.integer("answer_timeout_ms", 500, 60000, m.answer_timeout_ms);
    r.finish();
}

directory::Room read_room(ConfigReader r, double default_parent_gain_db) {
    directory::Room room;
    room.sidebar_parent_gain_db = default_parent_gain_db;
    room.number = r.string("number", "");
    room.name = r.string("name", room.number);
    if (r.has("pin")) room.pin = r.string("pin", "");
    if (r.has("moderator_pin")) room.moderator_pin = r.string("moderator_pin", "");
    room.max_members = r.integer("max_members", 2, 10000, room.max_members);
    // dB, or "off": the room's sidebars hear nothing of the main room.
    room.sidebar_parent_gain_db =
        r.number_or_off("sidebar_parent_gain_db", -60.0, 0.0, room.sidebar_parent_gain_db);
    room.record = r.boolean("record", room.record);
    if (auto valid = directory::validate(room); !valid) {
        // validate() starts its message with the field at fault ("pin: expected ..."): name
        // that key, not the room number, in the path.
        const std::string& message = valid.message();
        const auto colon = message.find(": ");
        if (colon == std::string::npos) r.fail("number", message);
        r.fail(message.substr(0, colon), message.substr(colon + 2));
    }
    r.finish();
    return room;
}

void read_directory(ConfigReader r, MixerConfig& out) {
    out.directory_path = r.string("path", out.directory_path);
    if (r.has("rooms")) {
        out.rooms.clear();
        for (ConfigReader room : r.objects("rooms")) {
            out.rooms.push_back(read_room(room, out.mixing.default_parent_gain_db));
        }
    }
    r.finish();
}

}  // namespace

std::vector<directory::Room> MixerConfig::demo_rooms() {
    directory::Room open;
    open.number = "1000";
    open.name = "Demo";
    directory::Room locked;
    locked.number = "2000";
    locked.name = "PIN demo";
    locked.pin = "1234";
    return {open, locked};
}

std::string MixerConfig::contact_host() const {
    if (!sip.public_host.empty()) return sip.public_host;
    const bool v6 = sip.address.find(':') != std::string::npos;
    return (v6 ? "[" + sip.address + "]" : sip.address) + ":" + std::to_string(sip.port);
}

MixerConfig default_mixer_config() {
    MixerConfig config;
    config.rooms = MixerConfig::demo_rooms();
    return config;
}

MixerConfig read_mixer_config(const nlohmann::json& json) {
    MixerConfig out = default_mixer_config();
    ConfigReader root(json, "");
    ConfigReader r = root.child("mixer");
    if (r.has("sip")) read_sip(r.child("sip"), out.sip);
    if (r.has("rtp")) read_rtp(r.child("rtp"), out.rtp);
    if (r.has("admin")) read_admin(r.child("admin"), out.admin);
    if (r.has("mixing")) read_mixing(r.child("mixing"), out.mixing);
    if (r.has("limits")) read_limits(r.child("limits"), out.limits);
    if (r.has("controllers")) read_controllers(r.child("controllers"), out.controllers);
    if (r.has("menu")) read_menu(r.child("menu"), out.menu);
    // Rooms that say nothing of their sidebars' parent gain take the mixing default.
    for (directory::Room& room : out.rooms) {
        room.sidebar_parent_gain_db = out.mixing.default_parent_gain_db;
    }
    if (r.has("directory")) read_directory(r.child("directory"), out);
    out.secret = r.string("secret", out.secret);
    if (out.secret.size() < 16) r.fail("secret", "must be at least 16 characters");
    out.prompt_dir = r.string("prompt_dir", out.prompt_dir);
    out.language = r.string("language", out.language);
    out.recording_dir = r.string("recording_dir", out.recording_dir);
    out.log_level = r.string("log_level", out.log_level, "debug, info, warn or error",
                             [](std::string_view v) { return log::parse_level(v).has_value(); });
    const std::string menu = r.string("menu_key", "*", "one of 0-9, *, #", [](std::string_view v) {
        return v.size() == 1 &&
               (std::isdigit(static_cast<unsigned char>(v[0])) || v[0] == '*' || v[0] == '#');
    });
    out.menu_key = menu[0];
    r.finish();
    root.finish();
    return out;
}

}  // namespace sidebar::mixer
