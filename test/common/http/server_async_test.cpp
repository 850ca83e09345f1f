// Asynchronous handlers (answered from another thread, never answered, answered twice) and
// handlers that throw.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "test_client.hpp"

using namespace sidebar::http;
using sidebar::http::test::Client;
using sidebar::http::test::TestServer;
using namespace std::chrono_literals;

namespace {

// Stands in for a room's media thread: runs posted jobs in order on its own thread.
class WorkerThread {
  public:
    WorkerThread() : thread_([this] { run(); }) {}
    ~WorkerThread() {
        {
            std::lock_guard lock(mutex_);
            done_ = true;
        }
        ready_.notify_one();
        thread_.join();
    }
    void post(std::function<void()> job) {
        {
            std::lock_guard lock(mutex_);
            jobs_.push_back(std::move(job));
        }
        ready_.notify_one();
    }
    std::thread::id id() const { return thread_.get_id(); }

  private:
    void run() {
        std::unique_lock lock(mutex_);
        while (true) {
            ready_.wait(lock, [this] { return done_ || !jobs_.empty(); });
            if (jobs_.empty()) return;
            auto job = std::move(jobs_.front());
            jobs_.pop_front();
            lock.unlock();
            job();
            lock.lock();
        }
    }
    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<std::function<void()>> jobs_;
    bool done_ = false;
    std::thread thread_;
};

}  // namespace

TEST_CASE("an async route is answered from another thread", "[http][server]") {
    WorkerThread worker;
    std::atomic<bool> on_worker{false};
    TestServer ts;
    ts.server().add_async_route(
        Method::get, "/rooms/{room}/stats", [&](const Request& r, Responder respond) {
            worker.post([&, room = r.params.at("room"), respond] {
                on_worker = std::this_thread::get_id() == worker.id();
                respond(Response::json(200, {{"room", room}, {"members", 3}}));
            });
        });
    ts.start();
    Client client(ts.port());
    for (int i = 0; i < 20; ++i) {
        auto reply = client.request("GET", "/rooms/1000/stats");
        REQUIRE(reply);
        CHECK(reply->status == 200);
        CHECK(nlohmann::json::parse(reply->body) ==
              nlohmann::json{{"room", "1000"}, {"members", 3}});
    }
    CHECK(on_worker);
}

TEST_CASE("an async route never answered gets 504; late and second answers are dropped",
          "[http][server]") {
    ServerConfig config;
    config.request_timeout = 300ms;
    TestServer ts(config);
    std::mutex mutex;
    std::vector<Responder> kept;
    ts.server().add_async_route(Method::get, "/never", [&](const Request&, Responder respond) {
        std::lock_guard lock(mutex);
        kept.push_back(respond);  // keeps it, never calls it (until too late)
    });
    ts.server().add_async_route(Method::get, "/twice", [](const Request&, Responder respond) {
        CHECK(respond(Response::text(200, "first")));
        CHECK_FALSE(respond(Response::text(200, "second")));
    });
    ts.start();
    Client client(ts.port());
    const auto start = std::chrono::steady_clock::now();
    auto reply = client.request("GET", "/never");
    REQUIRE(reply);
    CHECK(reply->status == 504);
    CHECK(nlohmann::json::parse(reply->body)["error"]["status"] == 504);
    CHECK(std::chrono::steady_clock::now() - start >= 250ms);

    {
        std::lock_guard lock(mutex);
        REQUIRE(kept.size() == 1);
        CHECK(kept.front()(Response::text(200, "late")));  // accepted by the gate, dropped later
    }
    reply = client.request("GET", "/twice");
    REQUIRE(reply);
    CHECK(reply->status == 200);
    CHECK(reply->body == "first");
    // Nothing of the late or second answer leaked onto the connection.
    reply = client.request("GET", "/twice");
    REQUIRE(reply);
    CHECK(reply->body == "first");
}

TEST_CASE("a throwing handler gets 500 and the server keeps serving", "[http][server]") {
    TestServer ts;
    ts.server().add_route(Method::get, "/boom", [](const Request&) -> Response {
        throw std::runtime_error("handler bug");
    });
    ts.server().add_async_route(Method::get, "/boom-async", [](const Request&, Responder) {
        throw 42;  // not even a std::exception
    });
    ts.server().add_route(Method::get, "/healthz",
                          [](const Request&) { return Response::text(200, "ok\n"); });
    ts.start();
    Client client(ts.port());
    for (int i = 0; i < 3; ++i) {
        auto reply = client.request("GET", "/boom");
        REQUIRE(reply);
        CHECK(reply->status == 500);
        CHECK(nlohmann::json::parse(reply->body)["error"]["message"] == "internal error");
        reply = client.request("GET", "/boom-async");
        REQUIRE(reply);
        CHECK(reply->status == 500);
    }
    auto reply = client.request("GET", "/healthz");
    REQUIRE(reply);
    CHECK(reply->status == 200);
}
