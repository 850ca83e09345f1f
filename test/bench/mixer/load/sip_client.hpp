// The load generator's SIP side: a raw UDP user agent that sets calls up against the mixer
// (INVITE with an SDP offer, ACK on 200, BYE at the end) with bounded concurrency, INVITE
// retransmission and a deadline. It answers 200 to whatever the mixer asks in a dialog.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/util/result.hpp"

namespace sidebar::loadgen {

enum class Phase { idle, inviting, established, failed, closing, ended };

struct Call {
    std::string room;  // conf=<room>
    uint16_t local_rtp_port = 0;
    Phase phase = Phase::idle;
    int final_status = 0;  // status of the INVITE's final response (0 = none: timed out)
    uint16_t remote_rtp_port = 0;
    int64_t first_sent_us = 0;
    int64_t answered_us = 0;  // 200 received
    // Dialog state.
    std::string call_id;
    std::string from_tag;
    std::string to_tag;
    std::string branch;
    std::string request_uri;
    int64_t last_sent_us = 0;
    int retransmits = 0;
};

struct SipPlan {
    std::string payload_name = "PCMU";  // PCMU or opus
    int max_outstanding = 100;          // INVITEs (or BYEs) in flight at once
    double rate_per_s = 0;              // 0 = as fast as max_outstanding allows
    int timeout_ms = 8000;              // per transaction, retransmissions included
    int deadline_ms = 120000;           // for the whole batch
};

struct SipRunStats {
    int attempted = 0;
    int established = 0;
    int failed = 0;
    double seconds = 0;
    std::vector<int64_t> setup_us;  // per established call, INVITE to 200
};

class SipClient {
  public:
    // Binds a UDP socket on 127.0.0.1 (any port) to talk to the mixer at 127.0.0.1:mixer_port.
    static Result<SipClient> open(uint16_t mixer_port);
    SipClient(SipClient&& other) noexcept;
    SipClient& operator=(SipClient&&) = delete;
    ~SipClient();

    // Sets up calls[begin, end) (each idle) per the plan. Returns when all have ended one way
    // or the other, or at the deadline (calls still inviting are marked failed).
    SipRunStats invite(std::vector<Call>& calls, std::size_t begin, std::size_t end,
                       const SipPlan& plan);
    // Sends BYE on every established call and waits (bounded) for the answers.
    void hang_up(std::vector<Call>& calls, const SipPlan& plan);
    // Answers in-dialog requests from the mixer (re-INVITE refreshes, BYE) for `ms`.
    void serve(std::vector<Call>& calls, int ms);

  private:
    SipClient(int fd, uint16_t local_port, uint16_t mixer_port);
    void send_text(const std::string& text);
    std::string invite_text(const Call& call, const SipPlan& plan) const;
    std::string in_dialog(const Call& call, std::string_view method, int cseq,
                          std::string_view branch) const;
    // Reads what has arrived (waiting at most wait_ms) and handles it.
    void pump(std::vector<Call>& calls, int wait_ms);

    int fd_ = -1;
    uint16_t local_port_ = 0;
    uint16_t mixer_port_ = 0;
    uint64_t next_id_ = 1;
    std::unordered_map<std::string, std::size_t> index_;  // Call-ID -> index in calls
};

}  // namespace sidebar::loadgen
