// FrameResampler: every call returns exactly the samples asked for, the stream stays continuous
// across calls, and odd request sizes carry over instead of being lost.
#include "common/codec/frame_resampler.hpp"

#include <catch2/catch.hpp>
#include <vector>

#include "test/common/codec/tone.hpp"

using sidebar::codec::FrameResampler;
namespace t = sidebar::codec::test;

SCENARIO("8 -> 16 kHz gives exactly twice the input on every call", "[resample]") {
    auto made = FrameResampler::create(8000, 16000);
    REQUIRE(made.ok());
    FrameResampler& r = *made;
    auto in = t::tone(8000, 1000.0, 160 * 100, -10.0);
    std::vector<int16_t> out;
    std::vector<int16_t> frame(320, 7777);
    for (std::size_t f = 0; f < 100; ++f) {
        std::fill(frame.begin(), frame.end(), 7777);
        r.process(std::span(in).subspan(f * 160, 160), frame);
        out.insert(out.end(), frame.begin(), frame.end());
    }
    // The first call starts with the filter's delay as silence; after that the tone is clean.
    CHECK(out.front() == 0);
    CHECK(t::tone_to_rest_db(std::span(out).last(16000), 16000, 1000.0) > 40.0);
    CHECK(t::to_dbfs(t::amplitude_at(std::span(out).last(16000), 16000, 1000.0)) ==
          Approx(-10.0).margin(0.2));
}

SCENARIO("16 -> 8 kHz and odd request sizes keep every sample", "[resample]") {
    auto made = FrameResampler::create(8000, 16000);
    REQUIRE(made.ok());
    FrameResampler& r = *made;
    auto in = t::tone(8000, 440.0, 8000, -10.0);
    std::vector<int16_t> out;
    std::size_t used = 0;
    std::size_t pending_after_start = 0;
    // 75 input samples give 150 out; asking for 149 each time leaves one more pending each call
    // (once the filter's start-up delay has been paid on the first).
    for (int i = 0; i < 10; ++i, used += 75) {
        std::vector<int16_t> part(149);
        r.process(std::span(in).subspan(used, 75), part);
        out.insert(out.end(), part.begin(), part.end());
        if (i == 1) pending_after_start = r.pending();
    }
    CHECK(pending_after_start <= 1);
    CHECK(r.pending() == pending_after_start + 8);

    auto down = FrameResampler::create(16000, 8000);
    REQUIRE(down.ok());
    auto in16 = t::tone(16000, 440.0, 320 * 50, -10.0);
    std::vector<int16_t> out8;
    std::vector<int16_t> frame(160);
    for (std::size_t f = 0; f < 50; ++f) {
        down->process(std::span(in16).subspan(f * 320, 320), frame);
        out8.insert(out8.end(), frame.begin(), frame.end());
    }
    CHECK(t::tone_to_rest_db(std::span(out8).last(4000), 8000, 440.0) > 40.0);
}

SCENARIO("ratios beyond 1:2 and bad rates are refused", "[resample][hostile]") {
    auto up3 = FrameResampler::create(16000, 48000);
    REQUIRE_FALSE(up3.ok());
    CHECK_THAT(up3.message(), Catch::Contains("above 1:2"));
    CHECK_FALSE(FrameResampler::create(0, 0).ok());
}

SCENARIO("an input larger than kMaxInput is cut, never overruns", "[resample][hostile]") {
    auto made = FrameResampler::create(8000, 16000);
    REQUIRE(made.ok());
    std::vector<int16_t> in(FrameResampler::kMaxInput * 3, 100);
    std::vector<int16_t> out(FrameResampler::kMaxInput * 2);
    made->process(in, out);
    CHECK(made->pending() <= FrameResampler::kMaxInput);
}
