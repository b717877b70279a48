// BATON_CHECK_COLLECTIVES=1 (set for this test): ranks that call different collectives, or the
// same one with another root, payload type or operation, all get usage_error naming what each
// rank called, instead of a hang; matching collectives pass, and the job goes on after a
// mismatch.
#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

#include <baton/baton.hpp>

namespace {

// What this rank's call threw, or "" if it returned.
template <class F>
std::string thrown_by(F&& call) {
    try {
        call();
    } catch (const baton::usage_error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("matching collectives pass the check") {
    baton::comm world;
    world.barrier();
    int v = world.rank() + 10;
    world.broadcast(v, 0);
    CHECK(v == 10);
    CHECK(world.all_gather(world.rank()).size() == static_cast<std::size_t>(world.size()));
    CHECK(world.all_reduce(1, std::plus<>{}) == world.size());
    const auto total = world.reduce(2.0, std::plus<>{}, world.size() - 1);
    CHECK(total.has_value() == (world.rank() == world.size() - 1));
    world.ibarrier().wait();
}

TEST_CASE("a barrier against a broadcast throws on every rank, naming both") {
    baton::comm world;
    if (world.size() < 2) return;
    const std::string what = thrown_by([&] {
        if (world.rank() == 0) {
            world.barrier();
        } else {
            std::vector<double> v;
            world.broadcast(v, 0);
        }
    });
    CHECK(what.find("collectives do not match on MPI_COMM_WORLD: rank 0 called barrier(), rank 1 called "
                    "broadcast<std::vector<double>>(root 0)") == 0);
    // The job goes on: the next collective matches and works.
    CHECK(world.all_reduce(1, std::plus<>{}) == world.size());
}

TEST_CASE("a gather against a reduce, two roots, two payload types, two operations") {
    baton::comm world;
    if (world.size() < 2) return;
    const bool first = world.rank() == 0;
    std::string what = thrown_by([&] {
        if (first)
            (void)world.gather(1.0, 0);
        else
            (void)world.reduce(1.0, std::plus<>{}, 0);
    });
    CHECK(what.find("rank 0 called gather<double>(root 0), rank 1 called reduce<double>(") != std::string::npos);
    what = thrown_by([&] {
        int v = 0;
        world.broadcast(v, first ? 0 : 1);
    });
    CHECK(what.find("rank 0 called broadcast<int>(root 0), rank 1 called broadcast<int>(root 1)") != std::string::npos);
    what = thrown_by([&] {
        if (first)
            (void)world.all_gather(1);
        else
            (void)world.all_gather(std::string("one"));
    });
    CHECK(what.find("rank 0 called all_gather<int>(), rank 1 called all_gather<std::string>()") != std::string::npos);
    what = thrown_by([&] {
        if (first)
            (void)world.all_reduce(1, std::plus<>{});
        else
            (void)world.all_reduce(1, baton::maximum{});
    });
    CHECK(what.find("collectives do not match") == 0);
    CHECK(what.find("baton::maximum") != std::string::npos);
}

TEST_CASE("on a communicator baton made") {
    baton::comm world;
    if (world.size() < 2) return;
    baton::comm half = world.split(0, world.rank());
    const std::string what = thrown_by([&] {
        if (half.rank() == 0)
            half.barrier();
        else
            (void)half.all_gather(half.rank());
    });
    CHECK(what.find("collectives do not match on ") == 0);
    CHECK(what.find("rank 1 called all_gather<int>()") != std::string::npos);
}
