// Controller signatures: exactly the request that was signed, by the holder of the secret, at
// about the present time; and the same bytes a script computes with Python's hmac module.
#include "common/token/controller_auth.hpp"

#include <catch2/catch.hpp>
#include <string>

using sidebar::token::ControllerSigner;
using sidebar::token::SignedRequest;

namespace {

constexpr int64_t kNow = 1'800'000'000;
const std::string kSecret = "development-secret-0123456789";

ControllerSigner signer(const std::string& secret = kSecret) {
    auto s = ControllerSigner::create(secret);
    REQUIRE(s.ok());
    return std::move(s).value();
}

const SignedRequest kInvite{"INVITE", "abc@127.0.0.1", 1};

}  // namespace

SCENARIO("a signature matches the one computed independently (Python hmac)", "[token]") {
    // python3: hmac.new(secret, b"v1\nINVITE\nabc@127.0.0.1\n1\n1800000000", sha256).hexdigest()
    CHECK(signer().sign(kInvite, kNow) ==
          "v1.1800000000.8c10d13ade14d68e98dc4e1b75af88a9d4cc1e85d5c36ca15fb77cd10b6ba3b1");
}

SCENARIO("a signed request verifies within the window and not outside it", "[token]") {
    const auto s = signer();
    const std::string value = s.sign(kInvite, kNow);
    CHECK(s.verify(value, kInvite, kNow).ok());
    CHECK(s.verify(value, kInvite, kNow + 60).ok());
    CHECK(s.verify(value, kInvite, kNow - 60).ok());  // the signer's clock is a little ahead
    auto late = s.verify(value, kInvite, kNow + 61);
    REQUIRE_FALSE(late.ok());
    CHECK(late.message().find("outside") != std::string::npos);
    CHECK_FALSE(s.verify(value, kInvite, kNow - 61).ok());
}

SCENARIO("a signature covers method, Call-ID, CSeq and the secret", "[token]") {
    const auto s = signer();
    const std::string value = s.sign(kInvite, kNow);
    CHECK_FALSE(s.verify(value, {"REFER", "abc@127.0.0.1", 1}, kNow).ok());
    CHECK_FALSE(s.verify(value, {"INVITE", "abd@127.0.0.1", 1}, kNow).ok());
    CHECK_FALSE(s.verify(value, {"INVITE", "abc@127.0.0.1", 2}, kNow).ok());
    const auto other = signer("another-secret-of-enough-length");
    auto refused = other.verify(value, kInvite, kNow);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.message() == "controller signature: MAC does not match this request");
    // The time is part of the MAC: moving it into the window does not help.
    std::string moved = value;
    moved.replace(3, 10, "1800000001");
    CHECK_FALSE(s.verify(moved, kInvite, kNow).ok());
}

SCENARIO("malformed signatures are refused with the reason", "[token]") {
    const auto s = signer();
    const std::string mac(64, 'a');
    struct Case {
        std::string value;
        std::string reason;
    };
    const Case cases[] = {
        {"", "controller signature: unknown version"},
        {"v2.1800000000." + mac, "controller signature: unknown version"},
        {"v1." + mac, "controller signature: no time"},
        {"v1..", "controller signature: no time"},
        {"v1.18x.abc", "controller signature: time is not a number"},
        {"v1.-5." + mac, "controller signature: time is not a number"},
        {"v1.1800000000.abc", "controller signature: MAC has wrong length"},
        {"v1.1800000000." + std::string(200, 'a'), "controller signature too long"},
    };
    for (const Case& c : cases) {
        INFO(c.value);
        auto result = s.verify(c.value, kInvite, kNow);
        REQUIRE_FALSE(result.ok());
        CHECK(result.message() == c.reason);
    }
    CHECK_FALSE(ControllerSigner::create("short").ok());
}
