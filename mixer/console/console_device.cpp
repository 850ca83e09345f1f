// ConsoleDevice: finding the PortAudio device, choosing its rate, and the stream's callback.
#include "mixer/console/console_device.hpp"

#include <portaudio.h>

#include <cmath>
#include <optional>
#include <vector>

#include "common/log/log.hpp"

namespace sidebar::mixer {
namespace {

struct DevicePair {
    PaDeviceIndex input = paNoDevice;
    PaDeviceIndex output = paNoDevice;
};

// The PortAudio callback: the device's real-time thread. Only copies into and out of the rings.
int stream_callback(const void* input, void* output, unsigned long frames,
                    const PaStreamCallbackTimeInfo* /*time*/, PaStreamCallbackFlags /*flags*/,
                    void* user) {
    static_cast<ConsoleAudioPath*>(user)->on_device(static_cast<const int16_t*>(input),
                                                    static_cast<int16_t*>(output), frames);
    return paContinue;
}

std::string pa_message(PaError err) {
    std::string text = Pa_GetErrorText(err);
    if (err == paUnanticipatedHostError) {
        const PaHostErrorInfo* info = Pa_GetLastHostErrorInfo();
        if (info != nullptr && info->errorText != nullptr)
            text += std::string(": ") + info->errorText;
    }
    return text;
}

Result<DevicePair> find_devices(const std::string& name, const std::string& shown) {
    DevicePair pair;
    if (name.empty()) {
        pair.input = Pa_GetDefaultInputDevice();
        pair.output = Pa_GetDefaultOutputDevice();
    } else {
        const PaDeviceIndex count = Pa_GetDeviceCount();
        for (PaDeviceIndex i = 0; i < count; ++i) {
            const PaDeviceInfo* info = Pa_GetDeviceInfo(i);
            if (info != nullptr && info->name != nullptr && name == info->name) {
                pair.input = info->maxInputChannels > 0 ? i : paNoDevice;
                pair.output = info->maxOutputChannels > 0 ? i : paNoDevice;
                break;
            }
        }
    }
    if (pair.input == paNoDevice || pair.output == paNoDevice) {
        return make_error("console device '" + shown +
                          "': no such device with both a microphone and a speaker (PortAudio: " +
                          Pa_GetErrorText(paInvalidDevice) + ")");
    }
    return pair;
}

PaStreamParameters stream_parameters(PaDeviceIndex device, int latency_ms) {
    PaStreamParameters p;
    p.device = device;
    p.channelCount = 1;
    p.sampleFormat = paInt16;
    p.suggestedLatency = latency_ms / 1000.0;
    p.hostApiSpecificStreamInfo = nullptr;
    return p;
}

// 16 kHz first (no resampling), then the output device's own rate.
std::vector<int> candidate_rates(const ConsoleConfig& config, PaDeviceIndex output) {
    if (config.device_rate != 0) return {config.device_rate};
    std::vector<int> rates{kConsoleRate};
    const PaDeviceInfo* info = Pa_GetDeviceInfo(output);
    if (info != nullptr) {
        const int rate = static_cast<int>(std::lround(info->defaultSampleRate));
        if (rate != kConsoleRate && rate > 0) rates.push_back(rate);
    }
    return rates;
}

}  // namespace

Result<std::unique_ptr<ConsoleDevice>> ConsoleDevice::open(const ConsoleConfig& config) {
    const std::string shown = config.device.empty() ? std::string("default") : config.device;
    auto lease = PortAudioLease::acquire();
    if (!lease) return make_error("console device '" + shown + "': " + lease.message());
    auto devices = find_devices(config.device, shown);
    if (!devices) return devices.error();

    const PaStreamParameters in = stream_parameters(devices->input, config.latency_ms);
    const PaStreamParameters out = stream_parameters(devices->output, config.latency_ms);
    std::string failures;
    for (const int rate : candidate_rates(config, devices->output)) {
        auto path = ConsoleAudioPath::create(rate, config.latency_ms);
        if (!path) return make_error("console device '" + shown + "': " + path.message());
        PaStream* stream = nullptr;
        PaError err = Pa_IsFormatSupported(&in, &out, rate);
        if (err == paFormatIsSupported) {
            err = Pa_OpenStream(&stream, &in, &out, rate, (*path)->device_frame(), paNoFlag,
                                stream_callback, path->get());
        }
        if (err == paNoError) {
            err = Pa_StartStream(stream);
            if (err != paNoError) Pa_CloseStream(stream);
        }
        if (err != paNoError) {
            failures +=
                (failures.empty() ? "" : "; ") + std::to_string(rate) + " Hz: " + pa_message(err);
            continue;
        }
        log::info("console.open")
            .field("device", shown)
            .field("rate", rate)
            .field("latency-ms", config.latency_ms)
            .msg(rate == kConsoleRate ? "opened" : "opened; resampling to 16 kHz");
        return std::unique_ptr<ConsoleDevice>(
            new ConsoleDevice(std::move(lease).value(), shown, std::move(path).value(), stream));
    }
    return make_error("console device '" + shown + "': cannot open a mono int16 stream (" +
                      failures + ")");
}

ConsoleDevice::~ConsoleDevice() {
    auto* stream = static_cast<PaStream*>(stream_);
    if (stream == nullptr) return;
    const PaError err = Pa_StopStream(stream);
    if (err != paNoError) {
        log::warn("console.close").field("device", name_).msg(pa_message(err));
        Pa_AbortStream(stream);
    }
    Pa_CloseStream(stream);
    const Stats s = path_->stats();
    log::info("console.close")
        .field("device", name_)
        .field("captured", s.captured_frames)
        .field("played", s.played_frames)
        .field("capture-overflows", s.capture_overflows)
        .field("playback-underruns", s.playback_underruns)
        .msg("closed");
}

}  // namespace sidebar::mixer
