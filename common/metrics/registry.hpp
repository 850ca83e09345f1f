// Registry: owns the metrics of one process by name and labels, and renders them all in the
// Prometheus text format 0.0.4 for GET /metrics.
//
// Registration takes a mutex and may throw std::invalid_argument for programming errors (bad
// metric or label name, one name registered with two types or two bucket layouts); do it at
// start-up or when a room is created, never per packet. Registering the same name and labels twice
// returns the same object. The returned shared_ptr stays valid after remove() (the metric is then
// simply no longer rendered), so a room can drop its series when it ends.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/metrics/metric.hpp"

namespace sidebar::metrics {

struct Label {
    std::string name;
    std::string value;  // anything: escaped when rendered
};
using Labels = std::vector<Label>;

// Content-Type of render()'s output.
inline constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

class Registry {
  public:
    // Series one metric name may have; beyond it new label sets get a working metric that is not
    // rendered, so a flood of rooms cannot grow the scrape without bound.
    static constexpr std::size_t kMaxSeriesPerName = 1000;

    std::shared_ptr<Counter> counter(std::string_view name, std::string_view help,
                                     Labels labels = {});
    std::shared_ptr<Gauge> gauge(std::string_view name, std::string_view help, Labels labels = {});
    std::shared_ptr<IntGauge> int_gauge(std::string_view name, std::string_view help,
                                        Labels labels = {});
    // `bounds`: finite, strictly increasing upper bounds; +Inf is implicit.
    std::shared_ptr<Histogram> histogram(std::string_view name, std::string_view help,
                                         std::vector<double> bounds, Labels labels = {});

    // Stops rendering one series; false if it was not registered.
    bool remove(std::string_view name, const Labels& labels);

    // Families sorted by name, series by their label text.
    std::string render() const;

  private:
    enum class Type { counter, gauge, int_gauge, histogram };
    using Metric = std::variant<std::shared_ptr<Counter>, std::shared_ptr<Gauge>,
                                std::shared_ptr<IntGauge>, std::shared_ptr<Histogram>>;
    struct Family {
        Type type = Type::counter;
        std::string help;
        std::vector<double> bounds;
        std::map<std::string, Metric> series;  // key: rendered labels, e.g. room="1000"
    };

    // The family's series for `labels`, created with `make` when new.
    template <typename T, typename Make>
    std::shared_ptr<T> get_or_add(std::string_view name, std::string_view help, Type type,
                                  const std::vector<double>& bounds, Labels labels, Make make);
    static void render_family(std::string& out, const std::string& name, const Family& family);

    mutable std::mutex mutex_;
    std::map<std::string, Family, std::less<>> families_;
};

}  // namespace sidebar::metrics
