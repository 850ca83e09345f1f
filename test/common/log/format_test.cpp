// Log line text: timestamps, columns, and escaping of hostile values so no line can be forged.
#include "common/log/format.hpp"

#include <catch2/catch.hpp>
#include <string>

using namespace sidebar::log;

namespace {

std::string value_text(std::string_view v, bool always_quote = false) {
    std::string out;
    append_value(out, v, always_quote);
    return out;
}

std::chrono::system_clock::time_point at_ms(int64_t ms) {
    return std::chrono::system_clock::time_point(std::chrono::milliseconds(ms));
}

}  // namespace

TEST_CASE("timestamps are UTC ISO 8601 with milliseconds", "[log]") {
    std::string out;
    append_timestamp(out, at_ms(1795579800123));
    CHECK(out == "2026-11-25T04:10:00.123Z");
    out.clear();
    append_timestamp(out, at_ms(-1));
    CHECK(out == "1969-12-31T23:59:59.999Z");
}

TEST_CASE("the prefix pads level and service into columns", "[log]") {
    std::string out;
    append_prefix(out, at_ms(1795579800123), Level::info, "mixer");
    CHECK(out == "2026-11-25T04:10:00.123Z INFO  mixer  ");
    out.clear();
    append_prefix(out, at_ms(1795579800123), Level::error, "ivr");
    CHECK(out == "2026-11-25T04:10:00.123Z ERROR ivr    ");
    out.clear();
    append_prefix(out, at_ms(0), Level::warn, "a service\nname");
    CHECK(out == "1970-01-01T00:00:00.000Z WARN  a_service_name  ");
}

TEST_CASE("plain values are written bare", "[log]") {
    CHECK(value_text("a84b4c76e66710") == "a84b4c76e66710");
    CHECK(value_text("PCMU") == "PCMU");
    CHECK(value_text("sip:1000@127.0.0.1:5070;transport=udp") ==
          "\"sip:1000@127.0.0.1:5070;transport=udp\"");
    CHECK(value_text("10.0.0.1:20000") == "10.0.0.1:20000");
    CHECK(value_text("joined", true) == "\"joined\"");
}

TEST_CASE("values that need it are quoted and escaped", "[log]") {
    CHECK(value_text("") == "\"\"");
    CHECK(value_text("two words") == "\"two words\"");
    CHECK(value_text("a=b") == "\"a=b\"");
    CHECK(value_text("say \"hi\"") == "\"say \\\"hi\\\"\"");
    CHECK(value_text("back\\slash") == "\"back\\\\slash\"");
    CHECK(value_text("tab\there") == "\"tab\\there\"");
    CHECK(value_text("del\x7f") == "\"del\\x7f\"");
    CHECK(value_text("Zo\xc3\xab") == "\"Zo\xc3\xab\"");  // valid UTF-8 stays readable
}

TEST_CASE("hostile values cannot break or forge a line", "[log]") {
    SECTION("newline and carriage return") {
        const std::string forged =
            "x\n2026-11-25T04:10:00.123Z ERROR mixer  event=admin.login user=root\r";
        const std::string out = value_text(forged);
        CHECK(out.find('\n') == std::string::npos);
        CHECK(out.find('\r') == std::string::npos);
        CHECK(out ==
              "\"x\\n2026-11-25T04:10:00.123Z ERROR mixer  event=admin.login "
              "user=root\\r\"");
    }
    SECTION("NUL and other C0 controls") {
        const std::string v("a\0b\x1b[31m\x08", 9);
        CHECK(value_text(v) == "\"a\\x00b\\x1b[31m\\x08\"");
    }
    SECTION("C1 controls and Unicode line separators") {
        CHECK(value_text("a\xc2\x85z") == "\"a\\xc2\\x85z\"");           // U+0085 NEL
        CHECK(value_text("a\xe2\x80\xa8z") == "\"a\\xe2\\x80\\xa8z\"");  // U+2028
        CHECK(value_text("a\xe2\x80\xa9z") == "\"a\\xe2\\x80\\xa9z\"");  // U+2029
    }
    SECTION("bytes that are not UTF-8") {
        CHECK(value_text("\xff\xfe") == "\"\\xff\\xfe\"");
        CHECK(value_text("\xc3") == "\"\\xc3\"");                             // truncated sequence
        CHECK(value_text("\xc0\xaf") == "\"\\xc0\\xaf\"");                    // overlong '/'
        CHECK(value_text("\xed\xa0\x80") == "\"\\xed\\xa0\\x80\"");           // surrogate
        CHECK(value_text("\xf4\x90\x80\x80") == "\"\\xf4\\x90\\x80\\x80\"");  // > U+10FFFF
    }
    SECTION("every byte value yields printable ASCII or UTF-8 and no line break") {
        std::string all;
        for (int b = 0; b < 256; ++b)
            all += static_cast<char>(b);
        const std::string out = value_text(all);
        for (const char ch : out) {
            const auto c = static_cast<unsigned char>(ch);
            CHECK((c >= 0x20 && c != 0x7f));
        }
    }
}

TEST_CASE("very long values are cut at 1 KiB with a marker", "[log]") {
    SECTION("ASCII") {
        const std::string out = value_text(std::string(5000, 'a'));
        CHECK(out == "\"" + std::string(kMaxValueBytes, 'a') + "...(truncated, 5000 bytes)\"");
    }
    SECTION("a cut never splits a UTF-8 character") {
        const std::string v = "a" + std::string(3000, '\0');
        std::string utf8 = "a";
        for (int i = 0; i < 1000; ++i)
            utf8 += "\xc3\xa9";  // é
        const std::string out = value_text(utf8);
        CHECK(out.find("\\x") == std::string::npos);
        CHECK(out.find("...(truncated, 2001 bytes)") != std::string::npos);
        CHECK(out.size() < kMaxValueBytes + 40);
        // Escaping can grow a value, but the input it shows is still capped.
        CHECK(value_text(v).size() < 4 * kMaxValueBytes + 40);
    }
    SECTION("exactly the limit is kept whole") {
        CHECK(value_text(std::string(kMaxValueBytes, 'b')) == std::string(kMaxValueBytes, 'b'));
    }
}

TEST_CASE("keys keep only safe characters", "[log]") {
    std::string out;
    append_key(out, "call-id");
    CHECK(out == "call-id");
    out.clear();
    append_key(out, "a b=c\n\"d\"");
    CHECK(out == "a_b_c__d_");
    out.clear();
    append_key(out, "");
    CHECK(out == "_");
    out.clear();
    append_key(out, std::string(500, 'k'));
    CHECK(out.size() == 64);
}

TEST_CASE("level names", "[log]") {
    CHECK(to_string(Level::debug) == "DEBUG");
    CHECK(to_string(Level::info) == "INFO");
    CHECK(to_string(Level::warn) == "WARN");
    CHECK(to_string(Level::error) == "ERROR");
}
