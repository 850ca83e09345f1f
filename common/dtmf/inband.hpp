// In-band DTMF: detection in, and generation of, the product's 16 kHz audio, with spandsp's
// detector and generator (which work at 8 kHz) behind a speexdsp resampler.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "common/resample/resampler.hpp"
#include "common/util/result.hpp"

struct dtmf_rx_state_s;
struct dtmf_tx_state_s;

namespace sidebar::dtmf {

class InbandDetector {
  public:
    static Result<InbandDetector> create();

    // Any amount of 16 kHz audio, normally one 20 ms frame. Returns the digits whose tones were
    // recognised in it, each digit once per press ("" almost always).
    std::string process(std::span<const int16_t> pcm16k);

    // Forgets a half-heard tone (after a gap in the stream).
    void reset();

  private:
    struct RxDeleter {
        void operator()(dtmf_rx_state_s* state) const;
    };

    InbandDetector(std::unique_ptr<dtmf_rx_state_s, RxDeleter> rx, resample::Resampler down)
        : rx_(std::move(rx)), down_(std::move(down)) {}

    std::unique_ptr<dtmf_rx_state_s, RxDeleter> rx_;
    resample::Resampler down_;  // 16 -> 8 kHz
    std::array<int16_t, 512> scratch_{};
};

struct GeneratorOptions {
    int tone_ms = 100;
    int pause_ms = 100;
    int level_dbm0 = -10;  // of the low tone; the high tone is this plus `twist_db`
    int twist_db = 2;
};

class InbandGenerator {
  public:
    static Result<InbandGenerator> create(const GeneratorOptions& options = {});

    // Queues digits to play in order; all or nothing. Refuses a character that is not one of
    // 0-9 * # A-D, or more than 100 digits waiting.
    Status queue(std::string_view digits);

    // Fills `out` with the next 16 kHz audio: tones and pauses while digits are queued, then
    // silence.
    void generate(std::span<int16_t> out);

    // True until the last queued digit's tone and pause have been generated.
    bool busy() const { return busy_; }

  private:
    struct TxDeleter {
        void operator()(dtmf_tx_state_s* state) const;
    };
    static constexpr std::size_t kChunk = 80;  // 10 ms at 8 kHz per generation step

    InbandGenerator(std::unique_ptr<dtmf_tx_state_s, TxDeleter> tx, resample::Resampler up)
        : tx_(std::move(tx)), up_(std::move(up)) {}

    std::unique_ptr<dtmf_tx_state_s, TxDeleter> tx_;
    resample::Resampler up_;  // 8 -> 16 kHz
    std::array<int16_t, 1024> fifo_{};
    std::size_t fifo_size_ = 0;
    std::size_t queued_ = 0;  // digits handed to spandsp and not yet finished
    bool busy_ = false;
};

}  // namespace sidebar::dtmf
