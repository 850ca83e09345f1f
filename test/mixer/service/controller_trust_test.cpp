// Controller trust: a configured source address AND a valid signature over this very request;
// either missing is a refusal whose reason names what was wrong.
#include "mixer/service/controller_trust.hpp"

#include <catch2/catch.hpp>

using sidebar::mixer::ControllerSettings;
using sidebar::mixer::ControllerTrust;
using sidebar::sip::Event;
using sidebar::token::ControllerSigner;

namespace {

constexpr int64_t kNow = 1'800'000'000;
const std::string kSecret = "development-secret-0123456789";

ControllerSigner signer(const std::string& secret = kSecret) {
    auto s = ControllerSigner::create(secret);
    REQUIRE(s.ok());
    return std::move(s).value();
}

Event request(const std::string& source, const std::string& method = "INVITE") {
    Event e;
    e.method = method;
    e.call_id = "c1@127.0.0.1";
    e.cseq = 7;
    e.source_address = source;
    return e;
}

void sign(Event& e, const ControllerSigner& with, int64_t at = kNow) {
    e.headers.push_back({"X-Sidebar-Auth", with.sign({e.method, e.call_id, e.cseq}, at)});
}

}  // namespace

TEST_CASE("a signed request from a controller address is trusted", "[mixer][trust]") {
    const ControllerTrust trust(ControllerSettings{}, signer());
    Event v4 = request("127.0.0.1");
    sign(v4, signer());
    CHECK(trust.refusal(v4, kNow).empty());
    Event v6 = request("::1", "REFER");
    sign(v6, signer());
    CHECK(trust.refusal(v6, kNow + 59).empty());
}

TEST_CASE("anything less is refused with the reason", "[mixer][trust]") {
    ControllerSettings settings;
    settings.addresses = {"10.0.0.7"};
    const ControllerTrust trust(settings, signer());

    Event elsewhere = request("127.0.0.1");
    sign(elsewhere, signer());
    CHECK(trust.refusal(elsewhere, kNow) == "source 127.0.0.1 is not a configured controller");

    Event unsigned_request = request("10.0.0.7");
    CHECK(trust.refusal(unsigned_request, kNow) == "no X-Sidebar-Auth header");

    Event wrong_secret = request("10.0.0.7");
    sign(wrong_secret, signer("some-other-secret-of-length"));
    CHECK(trust.refusal(wrong_secret, kNow).find("MAC does not match") != std::string::npos);

    Event stale = request("10.0.0.7");
    sign(stale, signer(), kNow - 600);
    CHECK(trust.refusal(stale, kNow).find("outside") != std::string::npos);

    // A signature is for one request: replayed on another method or CSeq it fails.
    Event replayed = request("10.0.0.7", "REFER");
    sign(replayed, signer());
    replayed.method = "INVITE";
    CHECK_FALSE(trust.refusal(replayed, kNow).empty());

    Event garbage_source = request("not-an-address");
    sign(garbage_source, signer());
    CHECK_FALSE(trust.refusal(garbage_source, kNow).empty());
}
