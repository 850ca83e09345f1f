// Server: binds the listening socket and accepts connections (closing those beyond the limit);
// each accepted connection becomes a Session on its own strand.
#include "common/http/server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "common/http/server_state.hpp"
#include "common/http/session.hpp"
#include "common/log/log.hpp"

namespace sidebar::http {

namespace net = boost::asio;
using tcp = net::ip::tcp;

struct Server::Impl : std::enable_shared_from_this<Server::Impl> {
    Impl(net::io_context& io_context, ServerConfig config)
        : io(io_context),
          acceptor(net::make_strand(io_context)),
          retry(acceptor.get_executor()),
          state(std::make_shared<ServerState>(std::move(config))) {}

    void accept() {
        acceptor.async_accept(
            net::make_strand(io),
            [self = shared_from_this()](boost::system::error_code ec, tcp::socket socket) {
                self->on_accept(ec, std::move(socket));
            });
    }

    void on_accept(boost::system::error_code ec, tcp::socket socket) {
        if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
        if (ec) {
            // E.g. out of file descriptors: try again a little later instead of spinning.
            log::warn("http_accept_error").field("error", ec.message());
            retry.expires_after(std::chrono::milliseconds(50));
            retry.async_wait([self = shared_from_this()](boost::system::error_code wait_ec) {
                if (!wait_ec) self->accept();
            });
            return;
        }
        if (state->connections.load(std::memory_order_relaxed) >= state->config.max_connections) {
            boost::system::error_code ignored;
            log::info("http_connection_limit").field("limit", state->config.max_connections);
            socket.close(ignored);
        } else {
            state->connections.fetch_add(1, std::memory_order_relaxed);
            auto session = std::make_shared<Session>(std::move(socket), state);
            state->track(session);
            session->start();
        }
        accept();
    }

    net::io_context& io;
    tcp::acceptor acceptor;
    net::steady_timer retry;
    std::shared_ptr<ServerState> state;
    uint16_t port = 0;
};

Result<std::unique_ptr<Server>> Server::create(net::io_context& io, ServerConfig config) {
    const std::string where = config.address + ":" + std::to_string(config.port);
    if (config.max_header_bytes == 0 || config.max_body_bytes == 0 || config.max_connections == 0 ||
        config.request_timeout.count() <= 0) {
        return make_error("http server " + where + ": limits must be positive");
    }
    boost::system::error_code ec;
    const auto address = net::ip::make_address(config.address, ec);
    if (ec) return make_error("http server: bad bind address '" + config.address + "'");
    const tcp::endpoint endpoint(address, config.port);

    auto impl = std::make_shared<Impl>(io, std::move(config));
    auto& acceptor = impl->acceptor;
    if (acceptor.open(endpoint.protocol(), ec) ||
        acceptor.set_option(net::socket_base::reuse_address(true), ec) ||
        acceptor.bind(endpoint, ec) ||
        acceptor.listen(net::socket_base::max_listen_connections, ec)) {
        return make_error("http server: cannot listen on " + where + ": " + ec.message());
    }
    impl->port = acceptor.local_endpoint(ec).port();
    log::info("http_listen")
        .field("address", endpoint.address().to_string())
        .field("port", impl->port);
    impl->accept();
    return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() {
    stop();
}

void Server::add_route(Method method, std::string_view pattern, Handler handler) {
    if (!handler) throw std::invalid_argument("http route '" + std::string(pattern) + "': empty");
    impl_->state->router.add(
        method, pattern, [handler = std::move(handler)](const Request& request, Responder respond) {
            respond(handler(request));
        });
}

void Server::add_async_route(Method method, std::string_view pattern, AsyncHandler handler) {
    impl_->state->router.add(method, pattern, std::move(handler));
}

uint16_t Server::local_port() const {
    return impl_->port;
}

void Server::stop() {
    net::post(impl_->acceptor.get_executor(), [impl = impl_] {
        boost::system::error_code ignored;
        impl->acceptor.close(ignored);
        impl->retry.cancel();
    });
    impl_->state->close_all();
}

}  // namespace sidebar::http
