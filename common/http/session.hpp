// One admin HTTP connection (internal to the http module): reads a request within the limits,
// routes it, checks the token, runs the handler and writes the answer; then the next request on
// the same connection. All of it runs on the connection's strand.
#pragma once

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "common/http/router.hpp"
#include "common/http/server_state.hpp"

namespace sidebar::http {

class Session : public std::enable_shared_from_this<Session> {
  public:
    // The socket's executor must be a strand; the caller has already counted the connection.
    Session(boost::asio::ip::tcp::socket socket, std::shared_ptr<ServerState> state);
    ~Session();

    void start();
    // From any thread.
    void close();

  private:
    using Parser = boost::beast::http::request_parser<boost::beast::http::string_body>;

    void read_request();
    void on_read(boost::beast::error_code ec);
    void handle_request();
    void run_handler(const Route& route, Request request);
    void finish(uint64_t id, Response response);
    void send(Response response, bool keep_alive);
    void on_write(boost::beast::error_code ec, bool keep_alive);
    void fail_and_close(int status, std::string_view message);
    void drain();

    boost::beast::tcp_stream stream_;
    boost::asio::steady_timer timer_;  // an asynchronous handler's deadline
    std::shared_ptr<ServerState> state_;
    boost::beast::flat_buffer buffer_;
    std::optional<Parser> parser_;
    std::string remote_;

    // The request being answered.
    uint64_t request_id_ = 0;
    bool awaiting_ = false;
    bool keep_alive_ = false;
    bool head_ = false;
    unsigned version_ = 11;
    std::string method_;
    std::string path_;
    std::chrono::steady_clock::time_point started_;

    std::array<char, 4096> drain_buffer_{};
    std::size_t drained_ = 0;
};

}  // namespace sidebar::http
