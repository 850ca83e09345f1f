// WaveformPlc at 16 kHz: it finds pitch periods spandsp's 8 kHz search cannot reach, repeats the
// signal without clicks, fades over 50 ms, and blends back into real audio.
#include "common/codec/waveform_plc.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <vector>

#include "test/common/codec/tone.hpp"

using sidebar::codec::WaveformPlc;
namespace t = sidebar::codec::test;

namespace {

int largest_step(std::span<const int16_t> x) {
    int step = 0;
    for (std::size_t i = 1; i < x.size(); ++i)
        step = std::max(step, std::abs(x[i] - x[i - 1]));
    return step;
}

}  // namespace

SCENARIO("the pitch period of a low voice is found at 16 kHz", "[plc]") {
    // 100 Hz and 125 Hz are 160 and 128 samples at 16 kHz: beyond the 120 samples spandsp
    // searches, which is why G.722 does not use it.
    struct Case {
        double hz;
        int period;
    };
    for (auto c : {Case{100.0, 160}, Case{125.0, 128}, Case{200.0, 80}}) {
        WaveformPlc plc(16000);
        // A voice-like wave: the fundamental plus two harmonics.
        auto a = t::tone(16000, c.hz, 1600, -12.0);
        auto b = t::tone(16000, 2 * c.hz, 1600, -18.0);
        auto d = t::tone(16000, 3 * c.hz, 1600, -20.0);
        for (std::size_t i = 0; i < a.size(); ++i)
            a[i] = static_cast<int16_t>(a[i] + b[i] + d[i]);
        plc.rx(a);
        std::vector<int16_t> out(320);
        plc.fill(out);
        CHECK(plc.pitch_period() == c.period);
    }
}

SCENARIO("concealment repeats the signal without clicks and fades in 50 ms", "[plc]") {
    WaveformPlc plc(16000);
    auto x = t::tone(16000, 440.0, 3200, -10.0);
    const int natural = largest_step(x);
    plc.rx(x);
    std::vector<int16_t> gap(800);  // 50 ms
    plc.fill(gap);
    // The join with the real audio and every repeat of the cycle stay as smooth as the tone.
    std::vector<int16_t> joined(x.end() - 100, x.end());
    joined.insert(joined.end(), gap.begin(), gap.end());
    CHECK(largest_step(joined) <= natural * 3 / 2);
    CHECK(t::rms(std::span(gap).first(160)) > t::rms(std::span(gap).subspan(480, 160)));
    std::vector<int16_t> after(320, 1);
    plc.fill(after);
    CHECK(t::rms(after) == 0.0);
}

SCENARIO("real audio after a short gap is blended in, not switched", "[plc]") {
    WaveformPlc plc(16000);
    auto x = t::tone(16000, 440.0, 3200 + 160 + 320, -10.0);
    plc.rx(std::span(x).first(3200));
    std::vector<int16_t> gap(160);  // 10 ms lost
    plc.fill(gap);
    std::vector<int16_t> resumed(x.begin() + 3360, x.end());
    plc.rx(resumed);
    std::vector<int16_t> joined(gap);
    joined.insert(joined.end(), resumed.begin(), resumed.end());
    CHECK(largest_step(joined) <= largest_step(x) * 3 / 2);
    // Past the quarter-period blend, the real audio is untouched.
    CHECK(std::equal(resumed.begin() + 60, resumed.end(), x.begin() + 3360 + 60));
}

SCENARIO("concealment of any length, before any audio, stays in bounds", "[plc][hostile]") {
    WaveformPlc plc(16000);
    for (std::size_t n : {0, 1, 5, 19, 20, 321, 5000}) {
        std::vector<int16_t> out(n, 123);
        plc.fill(out);
        CHECK(std::all_of(out.begin(), out.end(), [](int16_t s) { return s == 0; }));
    }
    std::vector<int16_t> one(1, 1000);
    plc.rx(one);
    std::vector<int16_t> huge(10000, 5);
    plc.rx(huge);
    std::vector<int16_t> tiny(3);
    plc.fill(tiny);
    CHECK(tiny[0] != 0);
}
