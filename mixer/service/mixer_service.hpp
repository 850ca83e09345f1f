// sidebar-mixer as a whole: starts the SIP thread, the media threads, the control thread (call
// routing and admin HTTP), loads the directory and prompts, and shuts everything down in order.
#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>
#include <thread>

#include "common/directory/sqlite_room_directory.hpp"
#include "common/http/server.hpp"
#include "common/prompt/prompt_set.hpp"
#include "common/sip/sip_stack.hpp"
#include "common/token/join_token.hpp"
#include "mixer/config/mixer_config.hpp"
#include "mixer/media/port_allocator.hpp"
#include "mixer/recording/recording_writer.hpp"
#include "mixer/room/room_types.hpp"
#include "mixer/service/call_router.hpp"
#include "mixer/service/media_threads.hpp"

namespace sidebar::mixer {

class MixerService {
  public:
    // Throws std::runtime_error naming what failed (a port in use, the directory file, ...).
    explicit MixerService(MixerConfig config);
    ~MixerService();

    // Runs until SIGINT/SIGTERM, then shuts down: BYE to every member, exit.
    int run();

  private:
    void shutdown();
    void attach_console();

    MixerConfig config_;
    MixerCounters counters_;
    std::unique_ptr<directory::SqliteRoomDirectory> directory_;
    std::optional<token::JoinTokenSigner> tokens_;
    std::optional<ControllerTrust> trust_;
    std::optional<prompt::PromptSet> prompts_;
    std::unique_ptr<PortAllocator> ports_;
    std::unique_ptr<RecordingWriter> recordings_;
    std::unique_ptr<MediaThreads> media_;
    boost::asio::io_context control_;
    std::unique_ptr<CallRouter> router_;
    std::unique_ptr<sip::Stack> sip_;
    std::unique_ptr<http::Server> admin_;
};

}  // namespace sidebar::mixer
