// The test server thread and the bounded blocking client.
#include "test_client.hpp"

#include <poll.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cctype>
#include <stdexcept>

namespace sidebar::http::test {

namespace net = boost::asio;
namespace bhttp = boost::beast::http;

TestServer::TestServer(ServerConfig config) {
    auto created = Server::create(io_, std::move(config));
    if (!created) throw std::runtime_error(created.message());
    server_ = std::move(created).value();
}

void TestServer::start() {
    thread_ = std::thread([this] { io_.run(); });
}

TestServer::~TestServer() {
    server_->stop();
    io_.stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();
}

Client::Client(uint16_t port, std::chrono::milliseconds timeout) : socket_(io_) {
    boost::system::error_code ec;
    socket_.connect({net::ip::make_address("127.0.0.1"), port}, ec);
    connected_ = !ec;
    if (!connected_) return;
    timeout_ = timeout;
}

// A SyncReadStream whose reads give up after the timeout: asio's own blocking reads ignore
// SO_RCVTIMEO (they poll again on EAGAIN), so the wait is done here with poll().
class Client::TimedStream {
  public:
    TimedStream(net::ip::tcp::socket& socket, std::chrono::milliseconds timeout)
        : socket_(socket), timeout_(timeout) {}

    template <typename Buffers>
    std::size_t read_some(const Buffers& buffers, boost::system::error_code& ec) {
        pollfd fd{};
        fd.fd = socket_.native_handle();
        fd.events = POLLIN;
        if (::poll(&fd, 1, static_cast<int>(timeout_.count())) <= 0) {
            ec = net::error::timed_out;
            return 0;
        }
        return socket_.read_some(buffers, ec);
    }
    template <typename Buffers>
    std::size_t read_some(const Buffers& buffers) {
        boost::system::error_code ec;
        const std::size_t n = read_some(buffers, ec);
        if (ec) throw boost::system::system_error(ec);
        return n;
    }

  private:
    net::ip::tcp::socket& socket_;
    std::chrono::milliseconds timeout_;
};

bool Client::send(const std::string& raw) {
    boost::system::error_code ec;
    net::write(socket_, net::buffer(raw), ec);
    return !ec;
}

std::optional<Reply> Client::read(bool head) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.skip(head);
    parser.body_limit(16 * 1024 * 1024);
    boost::system::error_code ec;
    TimedStream stream(socket_, timeout_);
    bhttp::read(stream, buffer_, parser, ec);
    if (ec) return std::nullopt;
    const auto& message = parser.get();
    Reply reply;
    reply.status = static_cast<int>(message.result_int());
    reply.body = message.body();
    reply.keep_alive = message.keep_alive();
    for (const auto& field : message) {
        std::string name(field.name_string());
        for (char& c : name)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        reply.headers[name] = std::string(field.value());
    }
    return reply;
}

std::optional<Reply> Client::request(const std::string& method, const std::string& target,
                                     const std::string& body,
                                     const std::map<std::string, std::string>& headers) {
    std::string raw = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (const auto& [name, value] : headers)
        raw += name + ": " + value + "\r\n";
    if (!body.empty() || method == "POST" || method == "PUT") {
        raw += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    }
    raw += "\r\n" + body;
    if (!send(raw)) return std::nullopt;
    return read(method == "HEAD");
}

bool Client::wait_closed() {
    char scratch[4096];
    TimedStream stream(socket_, timeout_);
    // Bounded: each read_some returns within the receive timeout, and a server that keeps
    // sending is stopped by the byte cap.
    for (std::size_t total = 0; total < 1024 * 1024;) {
        boost::system::error_code ec;
        const std::size_t n = stream.read_some(net::buffer(scratch), ec);
        if (ec == net::error::eof || ec == net::error::connection_reset) return true;
        if (ec) return false;  // the timeout or another failure
        total += n;
    }
    return false;
}

}  // namespace sidebar::http::test
