// mix() must not allocate once members are in (it runs on the room's media thread every 20 ms):
// this program replaces the global operator new with a counting one and checks that a tick with
// talkers, sidebars, channels and announcements allocates nothing.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <new>

#include "test/mixer/engine/engine_test_support.hpp"

namespace {
std::size_t g_allocations = 0;
}

// Every replaceable form, so that the sanitizer's own operators never see our pointers.
void* operator new(std::size_t size) {
    ++g_allocations;
    if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t size) {
    return operator new(size);
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
    ++g_allocations;
    return std::malloc(size == 0 ? 1 : size);
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept {
    return operator new(size, tag);
}
void operator delete(void* p) noexcept {
    std::free(p);
}
void operator delete[](void* p) noexcept {
    std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
    std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
    std::free(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
    std::free(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
    std::free(p);
}

using namespace sidebar::mixer;
using namespace sidebar::mixer::test;

TEST_CASE("mix() allocates nothing", "[engine][alloc]") {
    MixEngine engine;
    for (MemberId id = 1; id <= 200; ++id)
        engine.add_member(id);
    const GroupId sb = engine.create_sidebar();
    engine.move_member(1, sb);
    engine.move_member(2, sb);
    engine.set_output_gain(7, -6.0);
    const ChannelId ch = engine.open_channel(3);
    const Frame loud = constant_frame(3000);
    const Frame hiss = constant_frame(1);
    engine.mix();  // the first tick after the set-up

    const std::size_t before = g_allocations;
    for (int tick = 0; tick < 20; ++tick) {
        for (MemberId id = 1; id <= 200; ++id)
            engine.put_input(id, id <= 5 ? loud : hiss);
        engine.put_channel_input(ch, loud);
        engine.add_group_announcement(kMainGroup, loud);
        engine.add_member_announcement(9, loud);
        engine.mix();
    }
    const std::size_t during = g_allocations - before;
    CHECK(during == 0);
    CHECK_FALSE(is_zero(engine.output(9).pcm));
    CHECK(g_allocations > 0);  // the counter does count (the set-up allocated)
}
