// A payload of more than 2^31 bytes (MPI's int counts) arrives whole, on the checked and the
// unchecked wire, and through the collectives. Needs about 10 GiB of memory: labelled large_memory (ctest -LE
// large_memory skips it).
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

namespace {
// Over a round's share at 2 ranks (INT_MAX / 2 bytes), so these go in two rounds each.
constexpr std::size_t large_piece = (std::size_t{1} << 30) + (std::size_t{100} << 20) + 13;

std::vector<std::uint8_t> patterned(std::size_t size, int seed) {
    std::vector<std::uint8_t> v(size);
    for (std::size_t i = 0; i < size; i += 4096)
        v[i] = static_cast<std::uint8_t>(i / 4096 + static_cast<std::size_t>(seed));
    v.back() = static_cast<std::uint8_t>(0xA0 + seed);
    return v;
}
bool has_pattern(const std::vector<std::uint8_t>& v, std::size_t size, int seed) {
    if (v.size() != size) return false;
    std::size_t wrong = 0;
    for (std::size_t i = 0; i < size; i += 4096)
        wrong += v[i] != static_cast<std::uint8_t>(i / 4096 + static_cast<std::size_t>(seed));
    return wrong == 0 && v.back() == static_cast<std::uint8_t>(0xA0 + seed);
}
}  // namespace

TEST_CASE("collectives over 2 GiB: broadcast") {
    baton::comm world;
    std::vector<std::uint8_t> v;
    if (world.is_root()) v = patterned(big, 1);
    world.broadcast(v);
    CHECK(has_pattern(v, big, 1));
}

TEST_CASE(
    "collectives over 2 GiB: scatter, gather and all_gather of more than 2 GiB in all; one gathered piece over 2 GiB") {
    baton::comm world;
    if (world.size() != 2) return;
    {
        std::vector<std::vector<std::uint8_t>> parts;
        if (world.is_root()) parts = {patterned(large_piece, 0), patterned(large_piece + 7, 1)};
        auto mine = world.scatter(parts);
        CHECK(has_pattern(mine, large_piece + static_cast<std::size_t>(7 * world.rank()), world.rank()));
    }
    {
        // Rank 1's piece alone is past MPI's int counts (on MPI-3 it reaches the root as one
        // message of a derived datatype).
        const std::size_t past_int = (std::size_t{1} << 31) + 9;
        auto all = world.gather(patterned(world.rank() == 1 ? past_int : large_piece, world.rank()));
        if (all) {
            REQUIRE(all->size() == 2);
            CHECK(has_pattern((*all)[0], large_piece, 0));
            CHECK(has_pattern((*all)[1], past_int, 1));
        }
    }
    {
        auto all = world.all_gather(patterned(large_piece + static_cast<std::size_t>(world.rank()), world.rank()));
        REQUIRE(all.size() == 2);
        CHECK(has_pattern(all[0], large_piece, 0));
        CHECK(has_pattern(all[1], large_piece + 1, 1));
    }
}

TEST_CASE("collectives over 2 GiB: all_to_all of more than 2 GiB in all") {
    baton::comm world;
    if (world.size() != 2) return;
    std::vector<std::vector<std::uint8_t>> to_each;
    to_each.push_back(patterned(large_piece + static_cast<std::size_t>(world.rank()), 2 * world.rank()));
    to_each.push_back(patterned(large_piece + static_cast<std::size_t>(world.rank()), 2 * world.rank() + 1));
    auto got = world.all_to_all(to_each);
    to_each.clear();
    for (int r = 0; r < 2; ++r) {
        CHECK(has_pattern(got[static_cast<std::size_t>(r)], large_piece + static_cast<std::size_t>(r),
                          2 * r + world.rank()));
    }
}
