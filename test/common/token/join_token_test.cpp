// Join tokens: what the IVR issues the mixer accepts, and nothing else.
#include "common/token/join_token.hpp"

#include <catch2/catch.hpp>
#include <string>

using sidebar::token::JoinTokenSigner;

namespace {

constexpr int64_t kNow = 1'800'000'000;

JoinTokenSigner signer(const std::string& secret = "development-secret-0123456789") {
    auto s = JoinTokenSigner::create(secret);
    REQUIRE(s.ok());
    return std::move(s).value();
}

}  // namespace

SCENARIO("a token issued for a room and caller is accepted for them until it expires", "[token]") {
    const auto s = signer();
    const std::string token = s.issue("2000", "alice@example.com", kNow + 60);
    CHECK(token.starts_with("v1.1800000060."));
    CHECK(token.size() == std::string("v1.1800000060.").size() + 64);
    CHECK(s.verify(token, "2000", "alice@example.com", kNow).ok());
    CHECK(s.verify(token, "2000", "alice@example.com", kNow + 60).ok());

    auto expired = s.verify(token, "2000", "alice@example.com", kNow + 61);
    REQUIRE_FALSE(expired.ok());
    CHECK(expired.message() == "join token expired");
}

SCENARIO("a token does not open another room, for another caller, or under another secret",
         "[token]") {
    const auto s = signer();
    const std::string token = s.issue("2000", "alice@example.com", kNow + 60);
    CHECK_FALSE(s.verify(token, "2001", "alice@example.com", kNow).ok());
    CHECK_FALSE(s.verify(token, "2000", "mallory@example.com", kNow).ok());
    CHECK_FALSE(
        signer("another-secret-0123456789").verify(token, "2000", "alice@example.com", kNow).ok());
    // Field boundaries are part of what is signed.
    const std::string shifted = s.issue("200", "0alice@example.com", kNow + 60);
    CHECK_FALSE(s.verify(shifted, "2000", "alice@example.com", kNow).ok());
}

SCENARIO("tampered and malformed tokens are refused with a reason", "[token]") {
    const auto s = signer();
    std::string token = s.issue("2000", "alice@example.com", kNow + 60);
    std::string flipped = token;
    flipped.back() = flipped.back() == '0' ? '1' : '0';
    CHECK(s.verify(flipped, "2000", "alice@example.com", kNow).message() ==
          "join token: MAC does not match room and caller");

    // Moving the expiry later invalidates the MAC.
    std::string later = token;
    later.replace(3, 10, "1800000099");
    CHECK_FALSE(s.verify(later, "2000", "alice@example.com", kNow).ok());

    for (const char* bad : {"", "v1.", "v1..", "v2.1800000060.00", "v1.abc.00", "v1.-5.00",
                            "v1.1800000060.", "v1.1800000060.zz", "v1.99999999999999999999.00"}) {
        INFO(bad);
        CHECK_FALSE(s.verify(bad, "2000", "alice@example.com", kNow).ok());
    }
    CHECK_FALSE(s.verify(std::string(4096, 'a'), "2000", "alice@example.com", kNow).ok());
}

SCENARIO("a token that lives longer than allowed is refused", "[token]") {
    const auto s = signer();
    const std::string token = s.issue("2000", "alice@example.com", kNow + 3600);
    CHECK(s.verify(token, "2000", "alice@example.com", kNow, 300).message() ==
          "join token expiry too far ahead");
}

SCENARIO("a short secret is refused", "[token]") {
    auto s = JoinTokenSigner::create("short");
    REQUIRE_FALSE(s.ok());
    CHECK(s.message().find("at least 16 bytes") != std::string::npos);
}
