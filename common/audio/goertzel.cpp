// Windowed Goertzel: the DTFT at exactly the asked frequency, scaled by the window's sum. One
// pass over the samples, with the window computed as it goes and every frequency's recursion
// updated together, so a 3 s block needs no buffers (allocating and faulting in two 384 KB
// temporaries per call cost ten times the arithmetic).
#include "common/audio/goertzel.hpp"

#include <cmath>
#include <limits>
#include <numbers>

namespace sidebar::audio {

namespace {

// Window values from cos(2*pi*n/(N-1)) by rotating a unit phasor rather than calling cos() for
// each sample.
class WindowSequence {
  public:
    WindowSequence(std::size_t n, Window window) : window_(window) {
        if (window_ != Window::rectangular && n >= 2) {
            const double step = 2.0 * std::numbers::pi / double(n - 1);
            step_c_ = std::cos(step);
            step_s_ = std::sin(step);
        } else {
            window_ = Window::rectangular;
        }
    }

    double next() {
        double w = 1.0;
        if (window_ == Window::hann) {
            w = 0.5 - 0.5 * c_;
        } else if (window_ == Window::blackman_harris) {
            const double c2 = 2.0 * c_ * c_ - 1.0;
            const double c3 = c_ * (2.0 * c2 - 1.0);
            w = 0.35875 - 0.48829 * c_ + 0.14128 * c2 - 0.01168 * c3;
        }
        const double c = c_ * step_c_ - s_ * step_s_;
        s_ = s_ * step_c_ + c_ * step_s_;
        c_ = c;
        if ((++count_ & 1023) == 0) {
            // Keep the rotation on the unit circle over long blocks.
            const double r = 1.0 / std::sqrt(c_ * c_ + s_ * s_);
            c_ *= r;
            s_ *= r;
        }
        return w;
    }

  private:
    Window window_;
    double c_ = 1.0, s_ = 0.0;
    double step_c_ = 1.0, step_s_ = 0.0;
    std::size_t count_ = 0;
};

bool valid_frequency(int sample_rate, double hz) {
    return sample_rate > 0 && hz > 0.0 && hz < sample_rate / 2.0;
}

}  // namespace

std::vector<double> tone_levels(std::span<const int16_t> samples, int sample_rate,
                                std::span<const double> freqs, Window window) {
    struct State {
        double coeff = 0.0, s1 = 0.0, s2 = 0.0;
    };
    std::vector<State> states(freqs.size());
    for (std::size_t k = 0; k < freqs.size(); ++k) {
        if (valid_frequency(sample_rate, freqs[k])) {
            states[k].coeff = 2.0 * std::cos(2.0 * std::numbers::pi * freqs[k] / sample_rate);
        }
    }
    WindowSequence w(samples.size(), window);
    double window_sum = 0.0;
    for (const int16_t sample : samples) {
        const double wv = w.next();
        window_sum += wv;
        const double x = double(sample) * wv;
        for (State& st : states) {
            const double s0 = x + st.coeff * st.s1 - st.s2;
            st.s2 = st.s1;
            st.s1 = s0;
        }
    }
    std::vector<double> out(freqs.size());
    for (std::size_t k = 0; k < freqs.size(); ++k) {
        if (!valid_frequency(sample_rate, freqs[k])) {
            out[k] = std::numeric_limits<double>::quiet_NaN();
            continue;
        }
        if (!(window_sum > 0.0)) {
            out[k] = kSilenceDbfs;
            continue;
        }
        const State& st = states[k];
        const double power =
            std::max(0.0, st.s1 * st.s1 + st.s2 * st.s2 - st.coeff * st.s1 * st.s2);
        // A sine of amplitude A gives |X| = A/2 * sum(w) at its own frequency.
        out[k] = amplitude_to_dbfs(2.0 * std::sqrt(power) / window_sum);
    }
    return out;
}

std::vector<double> tone_levels(std::span<const int16_t> samples, int sample_rate,
                                std::initializer_list<double> freqs, Window window) {
    return tone_levels(samples, sample_rate, std::span<const double>(freqs.begin(), freqs.size()),
                       window);
}

double tone_level(std::span<const int16_t> samples, int sample_rate, double hz, Window window) {
    const double f[] = {hz};
    return tone_levels(samples, sample_rate, f, window)[0];
}

}  // namespace sidebar::audio
