// Registration and rendering of the metrics Registry.
#include "common/metrics/registry.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "common/metrics/text_format.hpp"

namespace sidebar::metrics {

namespace {

// Sorted by name so that {a,b} and {b,a} are one series; rendered as the text between braces.
std::string label_key(Labels& labels, bool histogram) {
    std::sort(labels.begin(), labels.end(),
              [](const Label& a, const Label& b) { return a.name < b.name; });
    std::string key;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const Label& label = labels[i];
        if (!valid_label_name(label.name)) {
            throw std::invalid_argument("metrics: invalid label name '" + label.name + "'");
        }
        if (histogram && label.name == "le") {
            throw std::invalid_argument("metrics: a histogram cannot have a label named 'le'");
        }
        if (i > 0 && labels[i - 1].name == label.name) {
            throw std::invalid_argument("metrics: label '" + label.name + "' given twice");
        }
        if (!key.empty()) key += ',';
        key += label.name;
        key += "=\"";
        append_label_value(key, label.value);
        key += '"';
    }
    return key;
}

void check_bounds(const std::vector<double>& bounds) {
    for (std::size_t i = 0; i < bounds.size(); ++i) {
        if (!std::isfinite(bounds[i]) || (i > 0 && !(bounds[i] > bounds[i - 1]))) {
            throw std::invalid_argument(
                "metrics: histogram bounds must be finite and strictly increasing");
        }
    }
}

void append_series(std::string& out, std::string_view name, std::string_view suffix,
                   std::string_view labels, std::string_view extra_label) {
    out += name;
    out += suffix;
    if (!labels.empty() || !extra_label.empty()) {
        out += '{';
        out += labels;
        if (!labels.empty() && !extra_label.empty()) out += ',';
        out += extra_label;
        out += '}';
    }
    out += ' ';
}

}  // namespace

template <typename T, typename Make>
std::shared_ptr<T> Registry::get_or_add(std::string_view name, std::string_view help, Type type,
                                        const std::vector<double>& bounds, Labels labels,
                                        Make make) {
    if (!valid_metric_name(name)) {
        throw std::invalid_argument("metrics: invalid metric name '" + std::string(name) + "'");
    }
    const std::string key = label_key(labels, type == Type::histogram);
    std::lock_guard lock(mutex_);
    auto it = families_.find(name);
    if (it == families_.end()) {
        Family family;
        family.type = type;
        family.help = std::string(help);
        family.bounds = bounds;
        it = families_.emplace(std::string(name), std::move(family)).first;
    } else if (it->second.type != type || it->second.bounds != bounds) {
        throw std::invalid_argument("metrics: '" + std::string(name) +
                                    "' registered again with another type or buckets");
    }
    Family& family = it->second;
    if (auto found = family.series.find(key); found != family.series.end()) {
        return std::get<std::shared_ptr<T>>(found->second);
    }
    auto metric = make();
    if (family.series.size() < kMaxSeriesPerName) family.series.emplace(key, metric);
    return metric;
}

std::shared_ptr<Counter> Registry::counter(std::string_view name, std::string_view help,
                                           Labels labels) {
    return get_or_add<Counter>(name, help, Type::counter, {}, std::move(labels),
                               [] { return std::make_shared<Counter>(); });
}

std::shared_ptr<Gauge> Registry::gauge(std::string_view name, std::string_view help,
                                       Labels labels) {
    return get_or_add<Gauge>(name, help, Type::gauge, {}, std::move(labels),
                             [] { return std::make_shared<Gauge>(); });
}

std::shared_ptr<IntGauge> Registry::int_gauge(std::string_view name, std::string_view help,
                                              Labels labels) {
    return get_or_add<IntGauge>(name, help, Type::int_gauge, {}, std::move(labels),
                                [] { return std::make_shared<IntGauge>(); });
}

std::shared_ptr<Histogram> Registry::histogram(std::string_view name, std::string_view help,
                                               std::vector<double> bounds, Labels labels) {
    check_bounds(bounds);
    return get_or_add<Histogram>(name, help, Type::histogram, bounds, std::move(labels),
                                 [&bounds] { return std::make_shared<Histogram>(bounds); });
}

bool Registry::remove(std::string_view name, const Labels& labels) {
    Labels sorted = labels;
    std::string key;
    try {
        key = label_key(sorted, false);
    } catch (const std::invalid_argument&) {
        return false;  // such a series cannot have been registered
    }
    std::lock_guard lock(mutex_);
    const auto it = families_.find(name);
    if (it == families_.end()) return false;
    return it->second.series.erase(key) > 0;
}

std::string Registry::render() const {
    std::string out;
    std::lock_guard lock(mutex_);
    for (const auto& [name, family] : families_) {
        if (!family.series.empty()) render_family(out, name, family);
    }
    return out;
}

void Registry::render_family(std::string& out, const std::string& name, const Family& family) {
    out += "# HELP ";
    out += name;
    out += ' ';
    append_help(out, family.help);
    out += "\n# TYPE ";
    out += name;
    switch (family.type) {
        case Type::counter:
            out += " counter\n";
            break;
        case Type::gauge:
        case Type::int_gauge:
            out += " gauge\n";
            break;
        case Type::histogram:
            out += " histogram\n";
            break;
    }
    for (const auto& [labels, metric] : family.series) {
        if (const auto* c = std::get_if<std::shared_ptr<Counter>>(&metric)) {
            append_series(out, name, "", labels, "");
            out += std::to_string((*c)->value());
        } else if (const auto* g = std::get_if<std::shared_ptr<Gauge>>(&metric)) {
            append_series(out, name, "", labels, "");
            append_double(out, (*g)->value());
        } else if (const auto* ig = std::get_if<std::shared_ptr<IntGauge>>(&metric)) {
            append_series(out, name, "", labels, "");
            out += std::to_string((*ig)->value());
        } else {
            const auto& histogram = *std::get<std::shared_ptr<Histogram>>(metric);
            const Histogram::Snapshot snap = histogram.snapshot();
            for (std::size_t i = 0; i < snap.cumulative.size(); ++i) {
                std::string le = "le=\"";
                if (i < family.bounds.size()) {
                    append_double(le, family.bounds[i]);
                } else {
                    le += "+Inf";
                }
                le += '"';
                append_series(out, name, "_bucket", labels, le);
                out += std::to_string(snap.cumulative[i]);
                out += '\n';
            }
            append_series(out, name, "_sum", labels, "");
            append_double(out, snap.sum);
            out += '\n';
            append_series(out, name, "_count", labels, "");
            out += std::to_string(snap.count);
        }
        out += '\n';
    }
}

}  // namespace sidebar::metrics
