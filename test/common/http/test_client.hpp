// Test support for the admin server: a server running on its own thread, and a blocking loopback
// client whose reads are bounded by a receive timeout, so no test can hang.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "common/http/server.hpp"

namespace sidebar::http::test {

class TestServer {
  public:
    explicit TestServer(ServerConfig config = {});
    ~TestServer();
    Server& server() { return *server_; }
    uint16_t port() const { return server_->local_port(); }
    // Starts the io thread; add routes before or after.
    void start();

  private:
    boost::asio::io_context io_;
    std::unique_ptr<Server> server_;
    std::thread thread_;
};

struct Reply {
    int status = 0;
    std::map<std::string, std::string> headers;  // lowercase names
    std::string body;
    bool keep_alive = false;
};

class Client {
  public:
    explicit Client(uint16_t port, std::chrono::milliseconds timeout = std::chrono::seconds(5));
    // True when the connection was set up (the server may still close it at once).
    bool connected() const { return connected_; }
    bool send(const std::string& raw);
    // nullopt on close, reset, timeout or an unparsable answer. `head`: the request was HEAD.
    std::optional<Reply> read(bool head = false);
    // Sends a request and reads its answer.
    std::optional<Reply> request(const std::string& method, const std::string& target,
                                 const std::string& body = {},
                                 const std::map<std::string, std::string>& headers = {});
    // True when the server closes (EOF or reset) within the receive timeout; data before the
    // close is skipped.
    bool wait_closed();

  private:
    class TimedStream;

    boost::asio::io_context io_;
    boost::asio::ip::tcp::socket socket_;
    std::chrono::milliseconds timeout_{5000};
    boost::beast::flat_buffer buffer_;
    bool connected_ = false;
};

}  // namespace sidebar::http::test
