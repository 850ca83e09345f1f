// The sidebar mode's controller: plays the IVR's part of the sidebar contract over raw SIP/UDP
// from its own socket on 127.0.0.1 (a trusted source), every request signed with X-Sidebar-Auth.
// For each sidebar it sends INVITE sidebar=<room> (a=inactive: it only signals), ACKs the 200,
// then moves the members in one at a time with REFERs in that controlling dialog, answering
// every NOTIFY; later a BYE on the dialog dissolves the sidebar. It times INVITE -> 200 and
// REFER -> NOTIFY "SIP/2.0 200 OK" (the mixer sends that once the member's audio is routed).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/token/controller_auth.hpp"
#include "common/util/result.hpp"
#include "test/bench/mixer/load/sip_text.hpp"

namespace sidebar::loadgen {

struct SidebarJob {
    std::string room;
    std::vector<uint32_t> members;  // member numbers to move in, in this order

    // Outcome.
    std::string uri;                // the sidebar, conf=<room>.sb<n>, from the 200's Contact
    int64_t invite_us = -1;         // INVITE first sent -> 200 received
    std::vector<int64_t> refer_us;  // per member: REFER first sent -> NOTIFY 200 received
    std::string error;              // why it stopped short; empty when everything worked

    // The controlling dialog and its one outstanding request.
    enum class Step { idle, inviting, referring, ready, closing, ended, failed };
    Step step = Step::idle;
    std::string call_id, from_tag, to_tag, branch;
    uint32_t cseq = 0;
    std::size_t next_member = 0;
    std::string request;  // the outstanding request's text, for retransmission
    int64_t sent_us = 0, last_sent_us = 0;
    int retransmits = 0;
    bool answered = false;  // a response (or a NOTIFY) stopped the retransmissions
};

class SidebarController {
  public:
    // Binds a UDP socket on 127.0.0.1 to signal to the mixer at 127.0.0.1:mixer_port.
    // media_port is what its a=inactive SDP names (nothing is sent there).
    static Result<SidebarController> open(uint16_t mixer_port, uint16_t media_port,
                                          const std::string& secret);
    SidebarController(SidebarController&& other) noexcept;
    SidebarController& operator=(SidebarController&&) = delete;
    ~SidebarController();

    // Creates every job's sidebar and moves its members in, with at most `concurrency` jobs in
    // progress at once. Returns when each job is ready or failed, or at the deadline.
    void build(std::vector<SidebarJob>& jobs, int concurrency, int deadline_ms);
    // BYE on every dialog still up (its members return to the main room); bounded wait.
    void dissolve(std::vector<SidebarJob>& jobs, int deadline_ms);

  private:
    SidebarController(int fd, uint16_t local_port, uint16_t mixer_port, uint16_t media_port,
                      token::ControllerSigner signer);
    void send_text(const std::string& text);
    std::string request_text(const SidebarJob& job, std::string_view method,
                             std::string_view branch, std::string_view extra,
                             std::string_view body) const;
    void start_invite(SidebarJob& job);
    void send_tracked(SidebarJob& job, std::string_view method, std::string_view extra = {},
                      std::string_view body = {});
    void next_refer_or_ready(SidebarJob& job);
    void on_response(SidebarJob& job, const SipMessage& msg);
    void on_notify(SidebarJob& job, const SipMessage& msg);
    // Retransmits what is unanswered (T1 doubling) and fails what timed out.
    void tick(std::vector<SidebarJob>& jobs);
    void pump(std::vector<SidebarJob>& jobs, int wait_ms);

    int fd_ = -1;
    uint16_t local_port_ = 0;
    uint16_t mixer_port_ = 0;
    uint16_t media_port_ = 0;
    uint64_t next_id_ = 1;
    token::ControllerSigner signer_;
    std::unordered_map<std::string, std::size_t> index_;  // Call-ID -> index in jobs
};

}  // namespace sidebar::loadgen
