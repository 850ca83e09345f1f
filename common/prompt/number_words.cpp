// English number words as prompt ids.
#include "common/prompt/number_words.hpp"

namespace sidebar::prompt {
namespace {

std::string unit_id(int n) {
    return "n_" + std::to_string(n);
}

// 1..99 (0 says nothing: it only appears inside a larger number).
void below_hundred(int n, std::vector<std::string>& out) {
    if (n == 0) return;
    if (n < 20) {
        out.push_back(unit_id(n));
        return;
    }
    out.push_back(unit_id(n / 10 * 10));
    if (n % 10 != 0) out.push_back(unit_id(n % 10));
}

}  // namespace

std::vector<std::string> number_words(int n) {
    std::vector<std::string> out;
    if (n < 0 || n > kMaxSpokenNumber) return out;
    if (n == 0) {
        out.push_back("n_0");
        return out;
    }
    if (n >= 1000) {
        out.push_back(unit_id(n / 1000));
        out.push_back("n_thousand");
    }
    const int hundreds = n / 100 % 10;
    if (hundreds != 0) {
        out.push_back(unit_id(hundreds));
        out.push_back("n_hundred");
    }
    below_hundred(n % 100, out);
    return out;
}

std::vector<std::string> digit_words(std::string_view digits) {
    std::vector<std::string> out;
    for (char c : digits) {
        if (out.size() >= kMaxDigitWords) break;
        if (c >= '0' && c <= '9') {
            out.push_back(unit_id(c - '0'));
        } else if (c == '*') {
            out.push_back("key_star");
        } else if (c == '#') {
            out.push_back("key_pound");
        }
    }
    return out;
}

}  // namespace sidebar::prompt
