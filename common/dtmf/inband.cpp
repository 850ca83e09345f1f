// spandsp-backed in-band DTMF. spandsp.h itself needs libtiff's headers, so only the DTMF
// headers and their prerequisites are included; spandsp's telephony.h defines lrint/lrintf as
// macros in C++, so the C++ headers come first and the macros are dropped after.
#include "common/dtmf/inband.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
// clang-format off
#include <spandsp/telephony.h>
#include <spandsp/logging.h>
#include <spandsp/super_tone_rx.h>
#include <spandsp/dtmf.h>
// clang-format on
#undef lrint
#undef lrintf

#include "common/dtmf/digit.hpp"

namespace sidebar::dtmf {

namespace {

constexpr std::size_t kMaxQueuedDigits = 100;  // spandsp's own queue holds 128

}  // namespace

void InbandDetector::RxDeleter::operator()(dtmf_rx_state_s* state) const {
    dtmf_rx_free(state);
}

Result<InbandDetector> InbandDetector::create() {
    auto down = resample::Resampler::create(16000, 8000);
    if (!down) return down.error();
    std::unique_ptr<dtmf_rx_state_s, RxDeleter> rx(dtmf_rx_init(nullptr, nullptr, nullptr));
    if (!rx) return make_error("dtmf: spandsp dtmf_rx_init failed");
    return InbandDetector(std::move(rx), std::move(down).value());
}

std::string InbandDetector::process(std::span<const int16_t> pcm16k) {
    // 320 samples in give 160 out; the scratch buffer has room for more than that.
    constexpr std::size_t kStep = 320;
    for (std::size_t off = 0; off < pcm16k.size(); off += kStep) {
        const auto chunk = pcm16k.subspan(off, std::min(kStep, pcm16k.size() - off));
        const std::size_t n = down_.process(chunk, scratch_);
        if (n > 0) dtmf_rx(rx_.get(), scratch_.data(), static_cast<int>(n));
    }
    std::string digits;
    char buf[MAX_DTMF_DIGITS + 1];
    const std::size_t got = dtmf_rx_get(rx_.get(), buf, MAX_DTMF_DIGITS);
    digits.assign(buf, std::min<std::size_t>(got, MAX_DTMF_DIGITS));
    return digits;
}

void InbandDetector::reset() {
    dtmf_rx_init(rx_.get(), nullptr, nullptr);
    down_.reset();
}

void InbandGenerator::TxDeleter::operator()(dtmf_tx_state_s* state) const {
    dtmf_tx_free(state);
}

Result<InbandGenerator> InbandGenerator::create(const GeneratorOptions& options) {
    if (options.tone_ms < 40 || options.tone_ms > 2000 || options.pause_ms < 40 ||
        options.pause_ms > 2000) {
        return make_error("dtmf: tone_ms and pause_ms must be 40..2000, got " +
                          std::to_string(options.tone_ms) + " and " +
                          std::to_string(options.pause_ms));
    }
    if (options.level_dbm0 < -40 || options.level_dbm0 > 0 || options.twist_db < 0 ||
        options.twist_db > 6) {
        return make_error("dtmf: level_dbm0 must be -40..0 and twist_db 0..6, got " +
                          std::to_string(options.level_dbm0) + " and " +
                          std::to_string(options.twist_db));
    }
    auto up = resample::Resampler::create(8000, 16000);
    if (!up) return up.error();
    std::unique_ptr<dtmf_tx_state_s, TxDeleter> tx(dtmf_tx_init(nullptr));
    if (!tx) return make_error("dtmf: spandsp dtmf_tx_init failed");
    dtmf_tx_set_timing(tx.get(), options.tone_ms, options.pause_ms);
    dtmf_tx_set_level(tx.get(), options.level_dbm0, options.twist_db);
    return InbandGenerator(std::move(tx), std::move(up).value());
}

Status InbandGenerator::queue(std::string_view digits) {
    for (char c : digits) {
        if (!is_keypad_digit(c)) {
            return make_error(std::string("dtmf: cannot generate '") +
                              (c >= 0x20 && c < 0x7F ? c : '?') + "': not a DTMF digit");
        }
    }
    if (queued_ + digits.size() > kMaxQueuedDigits) {
        return make_error("dtmf: " + std::to_string(digits.size()) +
                          " digits would queue more than " + std::to_string(kMaxQueuedDigits));
    }
    if (digits.empty()) return Ok{};
    // spandsp 0.0.6 loads all digits or none and returns how many did not fit (its header says
    // otherwise); our own limit keeps well under its 128.
    const int left = dtmf_tx_put(tx_.get(), digits.data(), static_cast<int>(digits.size()));
    if (left != 0) {
        return make_error("dtmf: spandsp could not queue " + std::to_string(left) + " of " +
                          std::to_string(digits.size()) + " digits");
    }
    queued_ += digits.size();
    busy_ = true;
    return Ok{};
}

void InbandGenerator::generate(std::span<int16_t> out) {
    std::size_t written = 0;
    while (written < out.size()) {
        if (fifo_size_ == 0) {
            std::array<int16_t, kChunk> narrow{};
            const int made = busy_ ? dtmf_tx(tx_.get(), narrow.data(), int(kChunk)) : 0;
            // spandsp stops short once its queue is empty and the last pause is played.
            if (busy_ && made < int(kChunk)) {
                busy_ = false;
                queued_ = 0;
            }
            fifo_size_ = up_.process(narrow, fifo_);
            if (fifo_size_ == 0) continue;  // the resampler's start-up delay
        }
        const std::size_t n = std::min(fifo_size_, out.size() - written);
        std::copy_n(fifo_.begin(), n, out.begin() + static_cast<long>(written));
        std::copy(fifo_.begin() + static_cast<long>(n),
                  fifo_.begin() + static_cast<long>(fifo_size_), fifo_.begin());
        fifo_size_ -= n;
        written += n;
    }
}

}  // namespace sidebar::dtmf
