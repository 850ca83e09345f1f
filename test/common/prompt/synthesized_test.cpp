// The prompts the build synthesized with espeak-ng (the `prompts` target): all load from the
// default folder with no configuration, every word number_words can ask for exists, and each is
// real speech of a sane length.
#include <catch2/catch.hpp>

#include "common/prompt/number_words.hpp"
#include "common/prompt/prompt_set.hpp"

using sidebar::prompt::PromptSet;

namespace {

const PromptSet& english() {
    static const auto set = PromptSet::load({sidebar::prompt::default_prompt_dir()}, "en");
    if (!set.ok()) FAIL(set.message());
    return set.value();
}

}  // namespace

TEST_CASE("the synthesized English prompts load", "[prompt][synth]") {
    const auto& set = english();
    CHECK(set.size() > 50);
    for (const auto& id : set.ids()) {
        INFO(id);
        const auto pcm = set.audio(id);
        CHECK(pcm.size() >= 16000 / 10);    // at least 100 ms
        CHECK(pcm.size() <= 16000u * 20u);  // no prompt of the manifest is this long
        int peak = 0;
        for (auto s : pcm)
            peak = std::max(peak, std::abs(static_cast<int>(s)));
        CHECK(peak > 2000);  // speech, not silence
    }
}

TEST_CASE("every number and digit word exists", "[prompt][synth]") {
    const auto& set = english();
    for (int n = 0; n <= sidebar::prompt::kMaxSpokenNumber; ++n) {
        for (const auto& id : sidebar::prompt::number_words(n)) {
            if (!set.has(id)) FAIL("missing " << id << " for " << n);
        }
    }
    for (const auto& id : sidebar::prompt::digit_words("0123456789*#"))
        CHECK(set.has(id));
}

TEST_CASE("the services' prompts exist", "[prompt][synth]") {
    const auto& set = english();
    for (const char* id : {"welcome",
                           "enter_conference_number",
                           "enter_pin",
                           "invalid_conference",
                           "invalid_pin",
                           "too_many_attempts",
                           "room_full",
                           "joining",
                           "goodbye",
                           "error_try_later",
                           "say_or_press",
                           "you_are_member",
                           "menu",
                           "enter_member_number",
                           "invitation",
                           "invitation_accept_decline",
                           "invitation_declined",
                           "invitation_timeout",
                           "sidebar_started",
                           "returned_to_main",
                           "member_not_found",
                           "member_busy"}) {
        CHECK(set.has(id));
    }
    // A longer sentence takes longer to say: the files match their texts.
    CHECK(set.audio("menu").size() > set.audio("goodbye").size() * 3);
}
