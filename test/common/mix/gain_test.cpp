// Q15 gains: dB conversion accuracy and clamping.
#include "common/mix/gain.hpp"

#include <catch2/catch.hpp>
#include <cmath>

using namespace sidebar::mix;

TEST_CASE("dB to Q15 gain and back", "[mix]") {
    CHECK(dbfs_to_gain(0.0) == kUnityGain);
    CHECK(gain_to_db(dbfs_to_gain(-12.0)) == Approx(-12.0).margin(0.05));
    CHECK(gain_to_db(dbfs_to_gain(-12.0)) == Approx(-12.0).margin(0.002));
    CHECK(gain_to_db(dbfs_to_gain(-10.0)) == Approx(-10.0).margin(0.002));
    CHECK(gain_to_db(dbfs_to_gain(-40.0)) == Approx(-40.0).margin(0.01));
    // Q15 resolution is one part in 32768: at -60 dB a step is about 0.25 dB.
    CHECK(gain_to_db(dbfs_to_gain(-60.0)) == Approx(-60.0).margin(0.15));
    CHECK(dbfs_to_gain(6.0206) == kMaxSourceGain);
    CHECK(dbfs_to_gain(40.0) == kMaxSourceGain);
    CHECK(dbfs_to_gain(-INFINITY) == kSilentGain);
    CHECK(dbfs_to_gain(std::nan("")) == kSilentGain);
    CHECK(dbfs_to_gain(-300.0) == kSilentGain);
    CHECK(gain_to_db(kSilentGain) == -INFINITY);
    CHECK(gain_to_db(-5) == -INFINITY);
}
