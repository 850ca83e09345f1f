// Exact render output of small registries, label escaping, histograms, registration errors.
#include "common/metrics/registry.hpp"

#include <catch2/catch.hpp>
#include <stdexcept>

using namespace sidebar::metrics;

TEST_CASE("an empty registry renders nothing", "[metrics]") {
    Registry registry;
    CHECK(registry.render().empty());
}

TEST_CASE("counters and gauges render exactly", "[metrics]") {
    Registry registry;
    auto requests = registry.counter("http_requests_total", "Admin HTTP requests.",
                                     {{"method", "GET"}, {"code", "200"}});
    auto posts = registry.counter("http_requests_total", "ignored second help",
                                  {{"code", "401"}, {"method", "POST"}});
    auto rooms = registry.int_gauge("sidebar_rooms", "Rooms open.");
    auto level = registry.gauge("sidebar_level", "A level.\nSecond line \\ here.");
    requests->inc();
    requests->inc(4);
    posts->inc();
    rooms->set(3);
    rooms->dec();
    level->set(-0.25);
    level->add(1.0);
    CHECK(registry.render() ==
          "# HELP http_requests_total Admin HTTP requests.\n"
          "# TYPE http_requests_total counter\n"
          "http_requests_total{code=\"200\",method=\"GET\"} 5\n"
          "http_requests_total{code=\"401\",method=\"POST\"} 1\n"
          "# HELP sidebar_level A level.\\nSecond line \\\\ here.\n"
          "# TYPE sidebar_level gauge\n"
          "sidebar_level 0.75\n"
          "# HELP sidebar_rooms Rooms open.\n"
          "# TYPE sidebar_rooms gauge\n"
          "sidebar_rooms 2\n");
}

TEST_CASE("registering the same series twice returns the same metric", "[metrics]") {
    Registry registry;
    auto a = registry.counter("c_total", "h", {{"x", "1"}, {"y", "2"}});
    auto b = registry.counter("c_total", "h", {{"y", "2"}, {"x", "1"}});
    CHECK(a == b);
    auto other = registry.counter("c_total", "h", {{"x", "2"}});
    CHECK(other != a);
}

TEST_CASE("hostile label values are escaped and cannot forge lines", "[metrics]") {
    Registry registry;
    auto c =
        registry.counter("members_total", "Members.", {{"room", "1000\"} 99\nfake_metric{a=\"\\"}});
    c->inc(2);
    const std::string text = registry.render();
    CHECK(text ==
          "# HELP members_total Members.\n"
          "# TYPE members_total counter\n"
          "members_total{room=\"1000\\\"} 99\\nfake_metric{a=\\\"\\\\\"} 2\n");
    // Exactly three lines: the value's newline did not become a line of its own.
    CHECK(std::count(text.begin(), text.end(), '\n') == 3);
}

TEST_CASE("histogram buckets are cumulative with sum, count and +Inf", "[metrics]") {
    Registry registry;
    auto h = registry.histogram("tick_us", "Mixing time per tick.", {100, 250.5, 1000},
                                {{"thread", "0"}});
    for (const double v : {50.0, 100.0, 100.5, 250.5, 999.0, 5000.0, 7000.0}) {
        h->observe(v);
    }
    h->observe(std::nan(""));  // ignored
    CHECK(registry.render() ==
          "# HELP tick_us Mixing time per tick.\n"
          "# TYPE tick_us histogram\n"
          "tick_us_bucket{thread=\"0\",le=\"100\"} 2\n"
          "tick_us_bucket{thread=\"0\",le=\"250.5\"} 4\n"
          "tick_us_bucket{thread=\"0\",le=\"1000\"} 5\n"
          "tick_us_bucket{thread=\"0\",le=\"+Inf\"} 7\n"
          "tick_us_sum{thread=\"0\"} 13500\n"
          "tick_us_count{thread=\"0\"} 7\n");
    const auto snap = h->snapshot();
    CHECK(snap.count == 7);
    CHECK(snap.cumulative == std::vector<uint64_t>{2, 4, 5, 7});
}

TEST_CASE("a histogram without labels renders le alone", "[metrics]") {
    Registry registry;
    auto h = registry.histogram("lat", "L.", {1});
    h->observe(0.5);
    CHECK(registry.render() ==
          "# HELP lat L.\n# TYPE lat histogram\n"
          "lat_bucket{le=\"1\"} 1\nlat_bucket{le=\"+Inf\"} 1\nlat_sum 0.5\nlat_count 1\n");
}

TEST_CASE("programming errors are rejected at registration", "[metrics]") {
    Registry registry;
    CHECK_THROWS_AS(registry.counter("bad name", "h"), std::invalid_argument);
    CHECK_THROWS_AS(registry.counter("c", "h", {{"__x", "1"}}), std::invalid_argument);
    CHECK_THROWS_AS(registry.counter("c", "h", {{"a", "1"}, {"a", "2"}}), std::invalid_argument);
    CHECK_THROWS_AS(registry.histogram("h", "h", {1, 1}), std::invalid_argument);
    CHECK_THROWS_AS(registry.histogram("h", "h", {2, 1}), std::invalid_argument);
    CHECK_THROWS_AS(registry.histogram("h", "h", {1, INFINITY}), std::invalid_argument);
    CHECK_THROWS_AS(registry.histogram("h", "h", {1}, {{"le", "x"}}), std::invalid_argument);
    registry.counter("taken", "h");
    CHECK_THROWS_AS(registry.gauge("taken", "h"), std::invalid_argument);
    registry.histogram("hist", "h", {1, 2});
    CHECK_THROWS_AS(registry.histogram("hist", "h", {1, 3}), std::invalid_argument);
}

TEST_CASE("removed series are no longer rendered but stay usable", "[metrics]") {
    Registry registry;
    auto c = registry.counter("room_packets_total", "P.", {{"room", "1000"}});
    c->inc();
    CHECK(registry.remove("room_packets_total", {{"room", "1000"}}));
    CHECK_FALSE(registry.remove("room_packets_total", {{"room", "1000"}}));
    CHECK_FALSE(registry.remove("nothing", {}));
    c->inc();  // the holder's pointer is still valid
    CHECK(c->value() == 2);
    CHECK(registry.render().empty());
}

TEST_CASE("series per name are capped", "[metrics]") {
    Registry registry;
    for (std::size_t i = 0; i < Registry::kMaxSeriesPerName + 5; ++i) {
        auto g = registry.int_gauge("g", "h", {{"room", std::to_string(i)}});
        g->set(1);
    }
    const std::string text = registry.render();
    CHECK(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) ==
          Registry::kMaxSeriesPerName + 2);
}
