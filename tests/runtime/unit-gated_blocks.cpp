// Rank-gated blocks run where they should and return optionals elsewhere empty.
#include <doctest/doctest.h>

#include <string>

#include <baton/baton.hpp>

TEST_CASE("on_rank, on_root, on_ranks, on_ranks_except") {
    baton::comm world;
    int runs = 0;
    world.on_rank(world.size() - 1, [&] { ++runs; });
    CHECK(runs == (world.rank() == world.size() - 1 ? 1 : 0));

    auto v = world.on_root([] { return 5; });
    CHECK(v.has_value() == world.is_root());
    if (world.is_root()) CHECK(*v == 5);

    auto s = world.on_ranks({0, world.size() - 1}, [&] { return std::to_string(world.rank()); });
    CHECK(s.has_value() == (world.rank() == 0 || world.rank() == world.size() - 1));

    int workers = 0;
    world.on_ranks_except(0, [&] { ++workers; });
    CHECK(workers == (world.rank() == 0 ? 0 : 1));
}
