// Start-up and shutdown of the mixer's threads and services.
#include "mixer/service/mixer_service.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <future>
#include <stdexcept>

#include "common/log/log.hpp"
#include "mixer/service/admin_api.hpp"

namespace sidebar::mixer {

namespace asio = boost::asio;

namespace {

template <typename T>
T need(Result<T> result, const std::string& what) {
    if (!result) throw std::runtime_error(what + ": " + result.message());
    return std::move(*result);
}

}  // namespace

MixerService::MixerService(MixerConfig config) : config_(std::move(config)) {
    directory_ = need(directory::SqliteRoomDirectory::open(config_.directory_path),
                      "mixer.directory.path " + config_.directory_path);
    for (const directory::Room& room : config_.rooms) {
        if (Status stored = directory_->upsert(room); !stored) {
            throw std::runtime_error("mixer.directory.rooms: room " + room.number + ": " +
                                     stored.message());
        }
    }
    tokens_.emplace(need(token::JoinTokenSigner::create(config_.secret), "mixer.secret"));
    trust_.emplace(config_.controllers,
                   need(token::ControllerSigner::create(config_.secret), "mixer.secret"));

    std::vector<std::filesystem::path> prompt_dirs;
    if (!config_.prompt_dir.empty()) prompt_dirs.emplace_back(config_.prompt_dir);
    prompt_dirs.push_back(prompt::default_prompt_dir());
    if (auto loaded = prompt::PromptSet::load(prompt_dirs, config_.language)) {
        prompts_.emplace(std::move(*loaded));
    } else {
        // Prompts are a courtesy, not a reason to refuse calls: say so loudly and go on.
        log::error("prompts_unavailable").field("lang", config_.language).msg(loaded.message());
    }

    ports_ = std::make_unique<PortAllocator>(config_.rtp.address, config_.rtp.port_min,
                                             config_.rtp.port_max);
    media_ = std::make_unique<MediaThreads>(config_.mixing.media_threads);
    recordings_ = std::make_unique<RecordingWriter>();

    RoomServices services;
    services.ports = ports_.get();
    services.config = &config_;
    services.prompts = prompts_ ? &*prompts_ : nullptr;
    services.counters = &counters_;
    services.recordings = recordings_.get();
    router_ =
        std::make_unique<CallRouter>(control_, *directory_, *tokens_, *trust_, *media_, services);

    sip::StackConfig sip_config;
    sip_config.address = config_.sip.address;
    sip_config.port = config_.sip.port;
    sip_config.udp = config_.sip.udp;
    sip_config.tcp = config_.sip.tcp;
    sip_config.user_agent = "sidebar-mixer/0.1";
    sip_config.session_expires_s = config_.sip.session_expires_s;
    sip_config.min_se_s = config_.sip.min_se_s;
    sip_config.allow_events = "conference";
    sip_config.refer_policy = [router = router_.get()](const sip::Event& event) {
        return router->refer_answer(event);
    };
    sip_ = need(sip::Stack::start(sip_config, *router_), "mixer.sip");
    router_->attach_sip(sip_.get());

    http::ServerConfig admin_config;
    admin_config.address = config_.admin.address;
    admin_config.port = config_.admin.port;
    admin_config.bearer_token = config_.admin.token;
    admin_ = need(http::Server::create(control_, admin_config), "mixer.admin");
    add_admin_routes(*admin_, *router_, counters_);
    if (!config_.console_room.empty()) attach_console();
    log::info("mixer_started")
        .field("sip", config_.contact_host())
        .field("admin", config_.admin.address + ":" + std::to_string(admin_->local_port()))
        .field("rtp", config_.rtp.address + ":" + std::to_string(config_.rtp.port_min) + "-" +
                          std::to_string(config_.rtp.port_max))
        .field("media_threads", media_->size())
        .field("rooms", config_.rooms.size())
        .msg("ready");
}

MixerService::~MixerService() {
    shutdown();
}

void MixerService::attach_console() {
    auto found = directory_->find(config_.console_room);
    if (!found || !*found) throw std::runtime_error("--console: no room " + config_.console_room);
    ConsoleConfig console;
    console.device = config_.console_device;
    auto device = need(ConsoleDevice::open(console), "--console");
    std::shared_ptr<Room> room = router_->open_room(**found);
    asio::post(room->io(), [room, device = std::move(device)]() mutable {
        room->attach_console(std::move(device));
    });
}

int MixerService::run() {
    asio::signal_set signals(control_, SIGINT, SIGTERM);
    signals.async_wait([this](const boost::system::error_code& ec, int signal) {
        if (ec) return;
        log::info("mixer_stopping").field("signal", signal).msg("BYE to every member");
        // Every room says goodbye on its own thread; then the control loop may end.
        std::vector<std::future<void>> closed;
        for (auto& room : router_->rooms()) {
            auto done = std::make_shared<std::promise<void>>();
            closed.push_back(done->get_future());
            asio::post(room->io(), [room, done] {
                room->close("shutdown");
                done->set_value();
            });
        }
        for (auto& f : closed)
            f.wait_for(std::chrono::seconds(2));
        admin_->stop();
        control_.stop();
    });
    control_.run();
    shutdown();
    log::info("mixer_stopped").msg("bye");
    return 0;
}

void MixerService::shutdown() {
    if (sip_) sip_->stop(2000);  // sends the BYEs still queued, ends nua
    if (media_) media_->stop();
    if (recordings_) recordings_->close_all_and_wait();
    admin_.reset();
    sip_.reset();
}

}  // namespace sidebar::mixer
