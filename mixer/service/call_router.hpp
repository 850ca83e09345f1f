// The mixer's signalling brain, on the control thread: takes the SIP thread's events, decides
// what each INVITE is for (room lookup, join token, limits, SDP parse) and hands calls to their
// room's media thread; later events of a dialog go to the room that holds it.
#pragma once

#include <boost/asio/io_context.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/directory/room_directory.hpp"
#include "common/sip/resource_uri.hpp"
#include "common/sip/sip_stack.hpp"
#include "common/token/join_token.hpp"
#include "mixer/room/room.hpp"
#include "mixer/service/controller_trust.hpp"
#include "mixer/service/media_threads.hpp"

namespace sidebar::mixer {

class CallRouter : public sip::Stack::Listener {
  public:
    CallRouter(boost::asio::io_context& control, directory::RoomDirectory& directory,
               const token::JoinTokenSigner& tokens, const ControllerTrust& trust,
               MediaThreads& media, RoomServices services);

    // The SIP stack is started after the router (the router is its listener).
    void attach_sip(sip::Stack* stack) { services_.sip = stack; }

    // SIP thread: copy the event over to the control thread.
    void on_sip_event(sip::Event event) override;
    // SIP thread (StackConfig::refer_policy): the answer to a REFER. 403 for anybody but a
    // trusted controller, 400 without a member in Refer-To, 404 for a target that is not a room
    // or sidebar URI; 202 otherwise (the room then reports the outcome by NOTIFY).
    int refer_answer(const sip::Event& event) const;

    // Control thread.
    std::shared_ptr<Room> find_room(const std::string& number) const;
    // The room object for a directory entry, created (idle, no clock) when it does not exist.
    std::shared_ptr<Room> open_room(const directory::Room& info) { return room_for(info); }
    std::vector<std::shared_ptr<Room>> rooms() const;
    std::size_t calls() const { return calls_.size(); }

  private:
    void handle(const sip::Event& event);
    void on_new_invite(const sip::Event& event);
    void on_reinvite(const sip::Event& event);
    void on_info(const sip::Event& event);
    void on_subscribe(const sip::Event& event);
    // Sidebars and controllers (call_router_sidebars.cpp).
    void on_sidebar_invite(const sip::Event& event, const sip::Resource& resource);
    void on_refer(const sip::Event& event);
    void on_channel_invite(const sip::Event& event, const sip::Resource& resource);
    // The answer to an INVITE a room sent (the menu call).
    void on_invite_response(const sip::Event& event);
    // Logs and answers 403 when `event` is not from a trusted controller.
    bool trusted_or_refused(const sip::Event& event);
    void end_subscription(sip::HandleId handle);
    void on_ended(const sip::Event& event, std::string_view reason);
    void refuse(const sip::Event& event, int status, std::string_view why,
                sip::ResponseOptions options = {});
    std::shared_ptr<Room> room_for(const directory::Room& info);
    // The SDP offer of an INVITE or re-INVITE; without one (or with garbage) the request has
    // been answered 488 with a Warning and nullopt comes back.
    std::optional<sdp::SessionDescription> offer_of(const sip::Event& event, std::string_view what);
    std::string contact_for(const sip::Event& event, const std::string& user) const;

    boost::asio::io_context& control_;
    directory::RoomDirectory& directory_;
    const token::JoinTokenSigner& tokens_;
    const ControllerTrust& trust_;
    MediaThreads& media_;
    RoomServices services_;
    std::map<std::string, std::shared_ptr<Room>> rooms_;
    std::unordered_map<sip::HandleId, std::shared_ptr<Room>> calls_;
    std::unordered_map<sip::HandleId, std::shared_ptr<Room>> subscriptions_;
};

}  // namespace sidebar::mixer
