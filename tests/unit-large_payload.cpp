// A payload of more than 2^31 bytes (MPI's int counts) arrives whole, on the checked and the
// unchecked wire. Needs about 10 GiB of memory: labelled large_memory (ctest -LE large_memory
// skips it).
#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include <baton/baton.hpp>

namespace {
constexpr std::size_t big = (std::size_t{1} << 31) + 4099;  // just over 2 GiB, not a round number

template <class Comm>
void send_and_check(const Comm& c, int tag_number) {
    const baton::tag<std::vector<std::uint8_t>> t{tag_number};
    c.on_rank(0, [&] {
        std::vector<std::uint8_t> v(big);
        for (std::size_t i = 0; i < big; i += 4096) v[i] = static_cast<std::uint8_t>(i / 4096);
        v.back() = 0xAB;
        c.send(1, t, v);
    });
    c.on_rank(1, [&] {
        auto v = c.recv(0, t);
        REQUIRE(v.size() == big);
        std::size_t wrong = 0;
        for (std::size_t i = 0; i < big; i += 4096) wrong += v[i] != static_cast<std::uint8_t>(i / 4096);
        CHECK(wrong == 0);
        CHECK(v.back() == 0xAB);
    });
}
}  // namespace

TEST_CASE("over 2 GiB through the checked wire") {
    baton::comm world;
    if (world.size() < 2) return;
    send_and_check(world, 1);
    world.barrier();
}

TEST_CASE("over 2 GiB through the unchecked wire") {
    baton::raw_comm raw;
    if (raw.size() < 2) return;
    send_and_check(raw, 2);
    raw.barrier();
}
