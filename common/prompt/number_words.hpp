// Saying numbers with prompts: the prompt ids that speak an integer ("two thousand twenty four")
// or a string of keypad digits one by one (PIN read-back). The ids are those of the manifest:
// n_0..n_19, n_20, n_30 .. n_90, n_hundred, n_thousand, key_star, key_pound.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sidebar::prompt {

inline constexpr int kMaxSpokenNumber = 9999;
// digit_words says at most this many keys; a PIN or a conference number is far shorter.
inline constexpr std::size_t kMaxDigitWords = 64;

// 0..9999 in US English without "and": 105 -> n_1 n_hundred n_5; 2024 -> n_2 n_thousand n_20
// n_4. Empty outside 0..9999 (member and room numbers the caller can say are smaller).
std::vector<std::string> number_words(int n);

// One id per key: '0'..'9' -> n_0..n_9, '*' -> key_star, '#' -> key_pound. Other characters
// (DTMF A-D, spaces) are skipped: there is nothing useful to say for them. At most
// kMaxDigitWords ids.
std::vector<std::string> digit_words(std::string_view digits);

}  // namespace sidebar::prompt
