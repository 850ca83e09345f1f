// SDP cost per call set-up: parsing a typical phone's offer, negotiating the answer and writing
// it. One iteration is one offer (SDP work happens per INVITE, not per 20 ms frame), so the
// figures read as "ns per offer".
#include <benchmark/benchmark.h>

#include <string>

#include "common/sdp/offer_answer.hpp"
#include "common/sdp/sdp_parser.hpp"
#include "common/sdp/sdp_writer.hpp"

namespace {

// baresip 1.0.0's offer as captured (test/data/sdp/offers/baresip-1.0.0.sdp).
const std::string kOffer =
    "v=0\r\n"
    "o=- 1424767930 1170744865 IN IP4 192.0.2.2\r\n"
    "s=-\r\n"
    "c=IN IP4 192.0.2.2\r\n"
    "t=0 0\r\n"
    "a=tool:baresip 1.0.0\r\n"
    "m=audio 16016 RTP/AVP 0 8 9 96 101\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:8 PCMA/8000\r\n"
    "a=rtpmap:9 G722/8000\r\n"
    "a=rtpmap:96 opus/48000/2\r\n"
    "a=fmtp:96 stereo=1;sprop-stereo=1\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-15\r\n"
    "a=sendrecv\r\n"
    "a=label:1\r\n"
    "a=rtcp-rsize\r\n"
    "a=ssrc:557776318 cname:sip:a@127.0.0.1\r\n"
    "a=minptime:20\r\n"
    "a=ptime:20\r\n";

void BM_sdp_parse_offer(benchmark::State& state) {
    for (auto _ : state) {
        auto sd = sidebar::sdp::parse(kOffer);
        benchmark::DoNotOptimize(sd);
    }
}
BENCHMARK(BM_sdp_parse_offer);

void BM_sdp_negotiate_answer(benchmark::State& state) {
    const auto offer = sidebar::sdp::parse(kOffer);
    const sidebar::sdp::Capabilities caps;
    for (auto _ : state) {
        auto n = sidebar::sdp::negotiate_answer(*offer, caps);
        benchmark::DoNotOptimize(n);
    }
}
BENCHMARK(BM_sdp_negotiate_answer);

// What the SIP layer does per INVITE: parse, negotiate, write the answer body.
void BM_sdp_parse_negotiate_write(benchmark::State& state) {
    const sidebar::sdp::Capabilities caps;
    for (auto _ : state) {
        const auto offer = sidebar::sdp::parse(kOffer);
        const auto n = sidebar::sdp::negotiate_answer(*offer, caps);
        auto body = sidebar::sdp::write(n->answer);
        benchmark::DoNotOptimize(body);
    }
}
BENCHMARK(BM_sdp_parse_negotiate_write);

}  // namespace
