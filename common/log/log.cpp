// The global logger: threshold, service name, sink, and the lock that keeps lines whole.
#include "common/log/log.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <mutex>

namespace sidebar::log {

namespace {

struct Logger {
    std::atomic<int> threshold{static_cast<int>(Level::info)};
    std::mutex mutex;  // guards service, sink, and each write
    std::string service = "-";
    Sink sink;
};

Logger& logger() {
    static Logger instance;  // never destroyed before a late log line from another static
    return instance;
}

void write_stderr(std::string_view line) {
    const char* p = line.data();
    std::size_t left = line.size();
    while (left > 0) {
        const ssize_t n = ::write(STDERR_FILENO, p, left);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;  // nowhere else to report a failing stderr
        p += n;
        left -= static_cast<std::size_t>(n);
    }
}

void emit(Level level, std::string_view body, std::string_view message, bool has_message) {
    const auto now = std::chrono::system_clock::now();
    std::string tail;
    tail.reserve(body.size() + message.size() + 16);
    tail.append(body);
    if (has_message) {
        tail += " msg=";
        append_value(tail, message, true);
    }
    tail += '\n';
    Logger& log = logger();
    std::lock_guard lock(log.mutex);
    std::string line;
    line.reserve(tail.size() + 48);
    append_prefix(line, now, level, log.service);
    line += tail;
    if (log.sink) {
        log.sink(line);
    } else {
        write_stderr(line);
    }
}

void append_field(std::string& body, std::string_view key, std::string_view value) {
    body += ' ';
    append_key(body, key);
    body += '=';
    append_value(body, value);
}

}  // namespace

void set_level(Level threshold) {
    logger().threshold.store(static_cast<int>(threshold), std::memory_order_relaxed);
}

Level level() {
    return static_cast<Level>(logger().threshold.load(std::memory_order_relaxed));
}

bool enabled(Level level) {
    return static_cast<int>(level) >= logger().threshold.load(std::memory_order_relaxed);
}

std::optional<Level> parse_level(std::string_view text) {
    if (text == "debug") return Level::debug;
    if (text == "info") return Level::info;
    if (text == "warn" || text == "warning") return Level::warn;
    if (text == "error") return Level::error;
    return std::nullopt;
}

void set_service(std::string_view name) {
    Logger& log = logger();
    std::lock_guard lock(log.mutex);
    log.service = std::string(name);
}

void set_sink(Sink sink) {
    Logger& log = logger();
    std::lock_guard lock(log.mutex);
    log.sink = std::move(sink);
}

Value::Value(const Value& other) {
    const char* begin = other.digits_;
    const char* end = other.digits_ + sizeof(other.digits_);
    if (other.text_.data() >= begin && other.text_.data() < end) {
        std::copy(std::begin(other.digits_), std::end(other.digits_), digits_);
        text_ = std::string_view(digits_ + (other.text_.data() - begin), other.text_.size());
    } else {
        text_ = other.text_;
    }
}

void Value::set_number(int64_t number) {
    const auto r = std::to_chars(digits_, digits_ + sizeof(digits_), number);
    text_ = std::string_view(digits_, static_cast<std::size_t>(r.ptr - digits_));
}

void Value::set_unsigned(uint64_t number) {
    const auto r = std::to_chars(digits_, digits_ + sizeof(digits_), number);
    text_ = std::string_view(digits_, static_cast<std::size_t>(r.ptr - digits_));
}

void Value::set_double(double number) {
    // Shortest text that reads back as the same double; "nan"/"inf" as to_chars spells them.
    const auto r = std::to_chars(digits_, digits_ + sizeof(digits_), number);
    text_ = std::string_view(digits_, static_cast<std::size_t>(r.ptr - digits_));
}

void Value::set_float(float number) {
    const auto r = std::to_chars(digits_, digits_ + sizeof(digits_), number);
    text_ = std::string_view(digits_, static_cast<std::size_t>(r.ptr - digits_));
}

Event::Event(Level level, std::string_view name) : level_(level), enabled_(enabled(level)) {
    if (!enabled_) return;
    body_.reserve(128);
    body_ += "event=";
    append_value(body_, name);
}

Event::~Event() {
    if (enabled_) emit(level_, body_, msg_, has_msg_);
}

Event& Event::field(std::string_view key, const Value& value) {
    if (enabled_) append_field(body_, key, value.text());
    return *this;
}

Event& Event::msg(std::string_view text) {
    if (enabled_) {
        msg_.assign(text);
        has_msg_ = true;
    }
    return *this;
}

void write(Level level, std::string_view name, std::initializer_list<Field> fields,
           std::string_view message) {
    if (!enabled(level)) return;
    std::string body;
    body.reserve(128);
    body += "event=";
    append_value(body, name);
    for (const Field& f : fields)
        append_field(body, f.key, f.value.text());
    emit(level, body, message, !message.empty());
}

}  // namespace sidebar::log
