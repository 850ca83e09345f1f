// Server: the admin HTTP API of a service (HTTP/1.0 and 1.1, keep-alive), run on an io_context
// the caller owns and runs (normally on a dedicated thread).
//
// Routes: GET routes are "read" routes and need no token (HEAD is answered by them); POST, PUT and
// DELETE routes are "mutating" and need `Authorization: Bearer <token>` (401 otherwise); with no
// token configured they answer 403. Unknown path: 404; known path, other method: 405 with Allow.
// Bad request line/headers: 400 and close; headers over the limit: 431, body over the limit: 413
// (both close). A request not complete within the timeout, and an idle keep-alive connection, are
// closed. A handler that throws gets 500 and the server goes on. Errors are JSON.
//
// Handlers run on the server's io_context thread: keep them short. A handler that needs data
// owned by another thread registers with add_async_route and answers through its Responder
// later; the Request is only valid during the call, so copy what is needed.
//
// Lifetime: destroy the Server before its io_context. stop() may be called from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/http/request.hpp"
#include "common/http/responder.hpp"
#include "common/http/response.hpp"
#include "common/http/router.hpp"
#include "common/util/result.hpp"

namespace boost::asio {
class io_context;
}

namespace sidebar::http {

struct ServerConfig {
    std::string address = "127.0.0.1";
    uint16_t port = 0;         // 0: an ephemeral port, see Server::local_port()
    std::string bearer_token;  // empty: mutating routes answer 403
    std::size_t max_header_bytes = 8 * 1024;
    std::size_t max_body_bytes = 64 * 1024;
    // To receive a whole request, to write a response, for an idle keep-alive connection, and
    // for an asynchronous handler to answer (then 504).
    std::chrono::milliseconds request_timeout{10000};
    std::size_t max_connections = 64;  // more are closed as soon as they are accepted
};

class Server {
  public:
    // Binds and listens; accepting starts when the io_context runs. An error (naming the address)
    // when the address is invalid, the port is taken, or a limit is zero.
    static Result<std::unique_ptr<Server>> create(boost::asio::io_context& io, ServerConfig config);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Throw std::invalid_argument for a malformed pattern or a duplicate (start-up errors).
    void add_route(Method method, std::string_view pattern, Handler handler);
    void add_async_route(Method method, std::string_view pattern, AsyncHandler handler);

    uint16_t local_port() const;

    // Stops accepting and closes every connection (asynchronously, on the io_context).
    void stop();

    struct Impl;

  private:
    explicit Server(std::shared_ptr<Impl> impl);
    std::shared_ptr<Impl> impl_;
};

}  // namespace sidebar::http
