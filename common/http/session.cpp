// One admin HTTP connection: read with limits, route, authorize, run the handler (synchronous
// handlers are wrapped as asynchronous ones), write, repeat while keep-alive.
#include "common/http/session.hpp"

#include <algorithm>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <cctype>
#include <exception>

#include "common/http/auth.hpp"
#include "common/http/path.hpp"
#include "common/log/log.hpp"

namespace sidebar::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

namespace {

std::optional<Method> to_method(bhttp::verb verb) {
    switch (verb) {
        case bhttp::verb::get:
            return Method::get;
        case bhttp::verb::head:
            return Method::head;
        case bhttp::verb::post:
            return Method::post;
        case bhttp::verb::put:
            return Method::put;
        case bhttp::verb::delete_:
            return Method::delete_;
        default:
            return std::nullopt;
    }
}

std::string lowercase(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool safe_header_value(std::string_view value) {
    return value.find_first_of("\r\n") == std::string_view::npos;
}

}  // namespace

Session::Session(net::ip::tcp::socket socket, std::shared_ptr<ServerState> state)
    : stream_(std::move(socket)),
      timer_(stream_.get_executor()),
      state_(std::move(state)),
      buffer_(state_->config.max_header_bytes + state_->config.max_body_bytes + 1024) {
    beast::error_code ec;
    const auto endpoint = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
}

Session::~Session() {
    state_->forget(this);
    state_->connections.fetch_sub(1, std::memory_order_relaxed);
}

void Session::start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read_request(); });
}

void Session::close() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
        beast::error_code ec;
        self->awaiting_ = false;
        self->timer_.cancel();
        self->stream_.socket().shutdown(net::ip::tcp::socket::shutdown_both, ec);
        self->stream_.close();
    });
}

void Session::read_request() {
    const ServerConfig& config = state_->config;
    parser_.emplace();
    parser_->header_limit(
        static_cast<std::uint32_t>(std::min<std::size_t>(config.max_header_bytes, UINT32_MAX)));
    parser_->body_limit(config.max_body_bytes);
    stream_.expires_after(config.request_timeout);
    bhttp::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
}

void Session::on_read(beast::error_code ec) {
    if (!ec) {
        handle_request();
        return;
    }
    if (ec == bhttp::error::end_of_stream || ec == net::error::operation_aborted) {
        beast::error_code ignored;
        stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
        return;
    }
    if (ec == beast::error::timeout) {
        // The stream is already closed: a client that sends too slowly (or idles) is cut.
        log::info("http_timeout").field("remote", remote_).msg("request not complete in time");
        return;
    }
    if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow) {
        fail_and_close(431, "request header too large");
    } else if (ec == bhttp::error::body_limit) {
        fail_and_close(413, "request body too large");
    } else if (ec == bhttp::error::partial_message) {
        return;  // the client went away mid-request; nobody to answer
    } else if (ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category()) {
        fail_and_close(400, "malformed request");
    } else {
        log::debug("http_read_error").field("remote", remote_).field("error", ec.message());
    }
}

void Session::handle_request() {
    bhttp::request<bhttp::string_body> message = parser_->release();
    parser_.reset();
    started_ = std::chrono::steady_clock::now();
    keep_alive_ = message.keep_alive();
    version_ = message.version();
    method_ = std::string(message.method_string());
    const std::optional<Method> method = to_method(message.method());
    head_ = method == Method::head;

    const std::string_view target(message.target().data(), message.target().size());
    const std::size_t question = target.find('?');
    path_ = std::string(target.substr(0, question));
    auto segments = split_path(path_);
    if (!segments) {
        // Not even origin-form ("*", "http://host/x", "x"): a malformed request line, so close.
        const bool malformed = path_.empty() || path_.front() != '/';
        send(Response::error(400, segments.message()), keep_alive_ && !malformed);
        return;
    }
    auto query = parse_query(question == std::string_view::npos ? std::string_view()
                                                                : target.substr(question + 1));
    if (!query) {
        send(Response::error(400, query.message()), keep_alive_);
        return;
    }
    RouteMatch match =
        state_->router.match(method.value_or(Method::get), method.has_value(), *segments);
    if (match.outcome == RouteMatch::Outcome::not_found) {
        send(Response::error(404, "not found"), keep_alive_);
        return;
    }
    if (match.outcome == RouteMatch::Outcome::method_not_allowed) {
        Response response = Response::error(405, "method not allowed");
        response.headers.emplace_back("Allow", match.allow);
        send(std::move(response), keep_alive_);
        return;
    }
    if (match.route->method != Method::get) {
        const std::string& token = state_->config.bearer_token;
        if (token.empty()) {
            send(Response::error(403, "admin token not configured"), keep_alive_);
            return;
        }
        const auto auth = message.find(bhttp::field::authorization);
        const std::string_view given =
            auth == message.end() ? std::string_view()
                                  : std::string_view(auth->value().data(), auth->value().size());
        if (!bearer_matches(given, token)) {
            Response response = Response::error(401, "missing or wrong bearer token");
            response.headers.emplace_back("WWW-Authenticate", "Bearer");
            send(std::move(response), keep_alive_);
            return;
        }
    }

    Request request;
    request.method = *method;
    request.path = path_;
    request.params = std::move(match.params);
    request.query = std::move(query).value();
    request.remote = remote_;
    for (const auto& field : message) {
        std::string name =
            lowercase(std::string_view(field.name_string().data(), field.name_string().size()));
        const std::string_view value(field.value().data(), field.value().size());
        auto [it, inserted] = request.headers.try_emplace(std::move(name), value);
        if (!inserted) {
            it->second += ", ";
            it->second += value;
        }
    }
    request.body = std::move(message.body());
    run_handler(*match.route, std::move(request));
}

void Session::run_handler(const Route& route, Request request) {
    const uint64_t id = ++request_id_;
    awaiting_ = true;
    timer_.expires_after(state_->config.request_timeout);
    timer_.async_wait([self = shared_from_this(), id](beast::error_code ec) {
        if (ec || !self->awaiting_ || self->request_id_ != id) return;
        log::warn("http_handler_timeout").field("path", self->path_).msg("no response in time");
        self->finish(id, Response::error(504, "no response in time"));
    });
    std::weak_ptr<Session> weak = weak_from_this();
    auto executor = stream_.get_executor();
    Responder responder([weak, executor, id](Response response) {
        net::post(executor, [weak, id, response = std::move(response)]() mutable {
            if (auto self = weak.lock()) self->finish(id, std::move(response));
        });
    });
    try {
        route.handler(request, responder);
    } catch (const std::exception& e) {
        log::error("http_handler_exception")
            .field("path", path_)
            .field("route", route.pattern)
            .msg(e.what());
        responder(Response::error(500, "internal error"));
    } catch (...) {
        log::error("http_handler_exception").field("path", path_).msg("unknown exception");
        responder(Response::error(500, "internal error"));
    }
}

void Session::finish(uint64_t id, Response response) {
    if (!awaiting_ || id != request_id_) return;  // late: the 504 already went out
    awaiting_ = false;
    timer_.cancel();
    send(std::move(response), keep_alive_);
}

void Session::send(Response response, bool keep_alive) {
    const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - started_);
    log::debug("http_request")
        .field("remote", remote_)
        .field("method", method_)
        .field("path", path_)
        .field("status", response.status)
        .field("us", elapsed.count());
    if (response.status >= 500) {
        log::warn("http_error").field("path", path_).field("status", response.status);
    } else if (response.status >= 400) {
        log::info("http_error").field("path", path_).field("status", response.status);
    }

    auto message = std::make_shared<bhttp::response<bhttp::string_body>>();
    message->version(version_ == 10 ? 10 : 11);
    message->result(static_cast<unsigned>(std::clamp(response.status, 100, 599)));
    message->set(bhttp::field::server, "sidebar");
    message->set(bhttp::field::content_type, response.content_type);
    for (const auto& [name, value] : response.headers) {
        if (safe_header_value(name) && safe_header_value(value) && !name.empty()) {
            message->set(name, value);
        }
    }
    message->keep_alive(keep_alive);
    if (head_) {
        message->content_length(response.body.size());
    } else {
        message->body() = std::move(response.body);
        message->prepare_payload();
    }
    stream_.expires_after(state_->config.request_timeout);
    bhttp::async_write(stream_, *message,
                       [self = shared_from_this(), message, keep_alive](
                           beast::error_code ec, std::size_t) { self->on_write(ec, keep_alive); });
}

void Session::on_write(beast::error_code ec, bool keep_alive) {
    if (ec) return;  // dropping the last reference closes the socket
    if (keep_alive) {
        read_request();
        return;
    }
    beast::error_code ignored;
    stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
    drain();
}

void Session::fail_and_close(int status, std::string_view message) {
    parser_.reset();
    head_ = false;
    version_ = 11;
    if (started_ == std::chrono::steady_clock::time_point()) {
        started_ = std::chrono::steady_clock::now();
    }
    send(Response::error(status, message), false);
}

// Reads (and drops) what the client still sends after our final answer, for a bounded time and
// size: closing with unread data would reset the connection and could destroy the answer before
// the client reads it.
void Session::drain() {
    if (drained_ == 0) {
        stream_.expires_after(std::min<std::chrono::milliseconds>(state_->config.request_timeout,
                                                                  std::chrono::seconds(1)));
    }
    stream_.async_read_some(net::buffer(drain_buffer_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                                self->drained_ += n;
                                if (!ec && self->drained_ < 64 * 1024) self->drain();
                            });
}

}  // namespace sidebar::http
