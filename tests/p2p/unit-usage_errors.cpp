// Bad arguments are refused with baton::usage_error before MPI is called.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <baton/baton.hpp>

TEST_CASE("a rank outside the communicator") {
    baton::comm world;
    const int n = world.size();
    CHECK_THROWS_WITH_AS(
        world.send(n, 1, 5),
        doctest::Contains(("send to rank " + std::to_string(n) + ", but the communicator has").c_str()),
        baton::usage_error);
    CHECK_THROWS_AS(world.send(-3, 1, 5), baton::usage_error);
    CHECK_THROWS_AS((void)world.recv<int>(n, 1), baton::usage_error);
    CHECK_THROWS_AS((void)world.probe(n + 5, 1), baton::usage_error);
    CHECK_THROWS_AS(world.on_rank(n, [] {}), baton::usage_error);
}

TEST_CASE("a tag that is negative or above MPI_TAG_UB") {
    baton::comm world;
    CHECK_THROWS_WITH_AS(world.send(0, -1, 5), doctest::Contains("tag -1 is outside [0, "), baton::usage_error);
    void* ub = nullptr;
    int found = 0;
    MPI_Comm_get_attr(MPI_COMM_WORLD, MPI_TAG_UB, &ub, &found);
    REQUIRE(found);
    const int upper = *static_cast<int*>(ub);
    if (upper < 2147483647) {
        CHECK_THROWS_AS(world.send(0, upper + 1, 5), baton::usage_error);
    }
    // any_tag is for receiving only
    CHECK_THROWS_AS(world.send(0, baton::any_tag, 5), baton::usage_error);
}

TEST_CASE("a blocking receive from oneself with nothing sent would wait forever") {
    baton::comm world;
    CHECK_THROWS_WITH_AS((void)world.recv<int>(world.rank(), 99), doctest::Contains("would wait forever"),
                         baton::usage_error);
    // ...but with something sent it works
    world.send(world.rank(), 99, 5);
    CHECK(world.recv<int>(world.rank(), 99) == 5);
    if (world.size() == 1) {
        CHECK_THROWS_AS((void)world.recv<int>(baton::any_source, 99), baton::usage_error);
    }
}

TEST_CASE("errors derive from baton::error and std::runtime_error") {
    baton::comm world;
    try {
        world.send(world.size(), 1, 1);
    } catch (const std::runtime_error& e) {
        CHECK(dynamic_cast<const baton::error*>(&e) != nullptr);
        CHECK(std::string(e.what()).find("rank " + std::to_string(world.rank())) == 0);
    }
}
