// Number words: the ids that speak integers and keypad digits.
#include <catch2/catch.hpp>

#include "common/prompt/number_words.hpp"

using sidebar::prompt::digit_words;
using sidebar::prompt::number_words;
using Words = std::vector<std::string>;

TEST_CASE("numbers are spoken in English", "[prompt][numbers]") {
    CHECK(number_words(0) == Words{"n_0"});
    CHECK(number_words(7) == Words{"n_7"});
    CHECK(number_words(13) == Words{"n_13"});
    CHECK(number_words(20) == Words{"n_20"});
    CHECK(number_words(21) == Words{"n_20", "n_1"});
    CHECK(number_words(100) == Words{"n_1", "n_hundred"});
    CHECK(number_words(105) == Words{"n_1", "n_hundred", "n_5"});
    CHECK(number_words(999) == Words{"n_9", "n_hundred", "n_90", "n_9"});
    CHECK(number_words(1000) == Words{"n_1", "n_thousand"});
    CHECK(number_words(2024) == Words{"n_2", "n_thousand", "n_20", "n_4"});
    CHECK(number_words(3010) == Words{"n_3", "n_thousand", "n_10"});
    CHECK(number_words(9999) == Words{"n_9", "n_thousand", "n_9", "n_hundred", "n_90", "n_9"});
}

TEST_CASE("numbers outside 0..9999 give no words", "[prompt][numbers]") {
    CHECK(number_words(-1).empty());
    CHECK(number_words(10000).empty());
    CHECK(number_words(std::numeric_limits<int>::min()).empty());
}

TEST_CASE("digits are spoken one by one", "[prompt][numbers]") {
    CHECK(digit_words("1234") == Words{"n_1", "n_2", "n_3", "n_4"});
    CHECK(digit_words("0*#") == Words{"n_0", "key_star", "key_pound"});
    CHECK(digit_words("1A 2") == Words{"n_1", "n_2"});
    CHECK(digit_words("").empty());
    CHECK(digit_words(std::string(1000, '5')).size() == sidebar::prompt::kMaxDigitWords);
}
