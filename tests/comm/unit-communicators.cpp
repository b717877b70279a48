// split, dup, split_shared and the null communicator; communicators freed by their last copy;
// the state baton keeps per MPI communicator (pending irecvs, self-sends).
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include <baton/baton.hpp>

namespace {
int count_if_rank(const baton::comm& world, bool (*pred)(int)) {
    int n = 0;
    for (int r = 0; r < world.size(); ++r) n += pred(r) ? 1 : 0;
    return n;
}
bool even(int r) {
    return r % 2 == 0;
}
bool odd(int r) {
    return r % 2 == 1;
}

// Outlives the test runner's environment: freed by it before MPI_Finalize, not after.
std::optional<baton::comm> kept_past_the_environment;
}  // namespace

TEST_CASE("split by color keeps the parent's order; messages stay within the group") {
    baton::comm world;
    baton::comm group = world.split(world.rank() % 2);
    REQUIRE_FALSE(group.is_null());
    CHECK(group.size() == count_if_rank(world, world.rank() % 2 == 0 ? even : odd));
    CHECK(group.rank() == world.rank() / 2);
    // a ring inside the group
    const int right = (group.rank() + 1) % group.size();
    const int left = (group.rank() + group.size() - 1) % group.size();
    const baton::tag<std::string> hello{3};
    auto sent = group.isend(right, hello, "from world rank " + std::to_string(world.rank()));
    const std::string got = group.recv(left, hello);
    sent.wait();
    const int left_in_world = 2 * left + world.rank() % 2;
    CHECK(got == "from world rank " + std::to_string(left_in_world));
}

TEST_CASE("split with a key orders the new ranks by it") {
    baton::comm world;
    baton::comm reversed = world.split(0, world.size() - world.rank());
    CHECK(reversed.size() == world.size());
    CHECK(reversed.rank() == world.size() - 1 - world.rank());
    auto ranks = reversed.all_gather(world.rank());
    for (int r = 0; r < world.size(); ++r) CHECK(ranks[static_cast<std::size_t>(r)] == world.size() - 1 - r);
}

TEST_CASE("split returns the comm type it is called on") {
    baton::portable_comm world;
    auto group = world.split(0);
    static_assert(std::is_same_v<decltype(group), baton::portable_comm>);
    static_assert(std::is_same_v<decltype(baton::raw_comm().dup()), baton::raw_comm>);
    CHECK(group.size() == world.size());
}

TEST_CASE("baton::undefined joins no group: the null communicator refuses every call") {
    baton::comm world;
    const bool joins = world.rank() % 2 == 0;
    baton::comm group = world.split(joins ? 7 : baton::undefined);
    CHECK(group.is_null() == !joins);
    if (joins) {
        CHECK(group.size() == count_if_rank(world, even));
        group.barrier();
    } else {
        CHECK_THROWS_WITH_AS((void)group.rank(), doctest::Contains("null communicator"), baton::usage_error);
        CHECK_THROWS_AS((void)group.size(), baton::usage_error);
        CHECK_THROWS_AS((void)group.native(), baton::usage_error);
        CHECK_THROWS_AS(group.send(0, 1, 2.0), baton::usage_error);
        CHECK_THROWS_AS((void)group.recv<double>(0, 1), baton::usage_error);
        CHECK_THROWS_AS(group.barrier(), baton::usage_error);
        CHECK_THROWS_AS((void)group.all_gather(1), baton::usage_error);
        CHECK_THROWS_AS((void)group.all_reduce(1, std::plus<>{}), baton::usage_error);
        CHECK_THROWS_AS((void)group.dup(), baton::usage_error);
        CHECK_THROWS_AS(group.on_root([] {}), baton::usage_error);
        baton::comm copy = group;
        CHECK(copy.is_null());
    }
}

TEST_CASE("a negative color other than baton::undefined is refused before MPI is called") {
    baton::comm world;
    CHECK_THROWS_WITH_AS((void)world.split(-3), doctest::Contains("split color -3"), baton::usage_error);
}

TEST_CASE("dup has the same ranks and its own message space") {
    baton::comm world;
    baton::comm copy = world.dup();
    CHECK(copy.size() == world.size());
    CHECK(copy.rank() == world.rank());
    CHECK(copy.native() != world.native());
    world.send(world.rank(), 5, 1.5);
    CHECK_FALSE(copy.iprobe(world.rank(), 5).has_value());
    CHECK(world.recv<double>(world.rank(), 5) == 1.5);
}

TEST_CASE("split_shared groups ranks of one node, in their order, each rank in exactly one group") {
    // Not "every rank here": MPICH run with MPIR_CVAR_NOLOCAL=1 (the TCP leg) shares no memory.
    baton::comm world;
    baton::comm node = world.split_shared();
    const auto hosts = node.all_gather(baton::environment::processor_name());
    for (const auto& h : hosts) CHECK(h == hosts.front());
    const auto world_ranks = node.all_gather(world.rank());
    CHECK(world_ranks[static_cast<std::size_t>(node.rank())] == world.rank());
    for (std::size_t i = 1; i < world_ranks.size(); ++i) CHECK(world_ranks[i - 1] < world_ranks[i]);
    CHECK(world.all_reduce(node.is_root() ? node.size() : 0, std::plus<>{}) == world.size());
}

TEST_CASE("communicators are freed with their last copy: thousands made in a row do not run out") {
    // MPICH has room for about 2,000 live communicators per process: a leak fails this loop.
    // Made from MPI_COMM_SELF so that no rank waits for the others 2,500 times over.
    baton::comm self(MPI_COMM_SELF);
    const baton::tag<int> counter{9};
    for (int i = 0; i < 2500; ++i) {
        baton::comm c = i % 2 == 0 ? self.dup() : self.split(0);
        c.send(c.rank(), counter, i);  // self-sends in each
        REQUIRE(c.recv(c.rank(), counter) == i);
    }
    baton::comm world;
    for (int i = 0; i < 20; ++i) {
        baton::comm c = i % 2 == 0 ? world.dup() : world.split(world.rank() % 2);
        c.send(c.rank(), counter, i);
        REQUIRE(c.recv(c.rank(), counter) == i);
    }
}

TEST_CASE("a communicator still alive when the environment ends is freed before MPI_Finalize") {
    baton::comm world;
    kept_past_the_environment = world.dup();
    kept_past_the_environment->barrier();
}

TEST_CASE("two baton::comm built separately on MPI_COMM_WORLD share one queue of pending irecvs") {
    baton::comm a;
    baton::comm b;
    const baton::tag<int> t{21};
    auto early = a.irecv(a.rank(), t);
    b.send(b.rank(), t, 1);
    b.send(b.rank(), t, 2);
    // MPI's order: the irecv posted first matches the first message, whichever comm posted it.
    CHECK(b.recv(b.rank(), t) == 2);
    CHECK(early.wait() == 1);
}

TEST_CASE("receives on two communicators interleave with pending irecvs on each") {
    baton::comm world;
    baton::comm other = world.dup();
    const baton::tag<int> t{4};
    const int me = world.rank();
    auto on_world = world.irecv(me, t);
    auto on_other = other.irecv(me, t);
    other.send(me, t, 20);
    world.send(me, t, 10);
    other.send(me, t, 21);
    world.send(me, t, 11);
    CHECK(other.recv(me, t) == 21);  // the pending irecv on `other` takes 20 first
    CHECK(world.recv(me, t) == 11);
    CHECK(on_world.wait() == 10);
    CHECK(on_other.wait() == 20);
}

TEST_CASE("a task farm made and destroyed ten times in a row, with self-sends in between") {
    baton::comm world;
    const baton::tag<std::vector<int>> t{12};
    for (int round = 0; round < 10; ++round) {
        {
            baton::task_farm farm(world);
            std::vector<int> tasks{1, 2, 3, 4, 5};
            auto squares = farm.map(tasks, [](int x) { return x * x; });
            if (squares) CHECK(*squares == std::vector<int>{1, 4, 9, 16, 25});
        }
        world.send(world.rank(), t, std::vector<int>{round, round});
        CHECK(world.recv(world.rank(), t) == std::vector<int>{round, round});
    }
}
