// MPI's non-overtaking rule holds through baton: messages between one pair of ranks with
// one tag arrive in the order they were sent, over 100,000 messages of mixed sizes.
#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include <baton/baton.hpp>

TEST_CASE("100,000 messages arrive in order") {
    baton::comm world;
    if (world.size() < 2) return;  // needs a sender and a receiver
    const baton::tag<std::vector<std::int64_t>> t{400};
    constexpr std::int64_t count = 100000;
    world.on_rank(0, [&] {
        std::vector<std::int64_t> v;
        for (std::int64_t i = 0; i < count; ++i) {
            // sizes cycle through the copied (small) and in-place (large) paths
            v.assign(static_cast<std::size_t>(i % 7 == 0 ? 1000 : 1 + i % 5), i);
            world.send(1, t, v);
        }
    });
    world.on_rank(1, [&] {
        std::vector<std::int64_t> v;
        std::int64_t in_order = 0;
        for (std::int64_t i = 0; i < count; ++i) {
            world.recv_into(0, t, v);
            if (!v.empty() && v.front() == i && v.back() == i) ++in_order;
        }
        CHECK(in_order == count);
    });
    world.barrier();
}
