// A receive with a deadline throws timeout_error on time, and returns the message when one
// comes in time.
#include <doctest/doctest.h>

#include <chrono>
#include <ctime>
#include <string>

#include <baton/baton.hpp>

using namespace std::chrono_literals;

namespace {
double cpu_seconds() {
    return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
}
}  // namespace

TEST_CASE("nothing sent: timeout_error after the deadline, naming source, tag and type") {
    baton::comm world;
    const baton::tag<std::vector<double>> t{300};
    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = cpu_seconds();
    try {
        (void)world.recv(baton::any_source, t, 300ms);
        FAIL("no timeout");
    } catch (const baton::timeout_error& e) {
        const std::string what = e.what();
        CHECK(what.find("rank " + std::to_string(world.rank()) + ": no message from any rank tag 300") == 0);
        CHECK(what.find("std::vector<double>") != std::string::npos);
        CHECK(what.find("300 ms") != std::string::npos);
    }
    const auto waited = std::chrono::steady_clock::now() - start;
    CHECK(waited >= 300ms);
    CHECK(waited < 5s);
    // The wait sleeps: it must not spend the whole 300 ms on the CPU.
    CHECK(cpu_seconds() - cpu_start < 0.2);
    world.barrier();
}

TEST_CASE("a message that arrives before the deadline is received") {
    baton::comm world;
    const baton::tag<int> t{301};
    const int to = (world.rank() + 1) % world.size();
    const int from = (world.rank() + world.size() - 1) % world.size();
    world.send(to, t, world.rank());
    CHECK(world.recv(from, t, 10s) == from);
    world.barrier();
}

TEST_CASE("a deadline receive ignores messages with other tags, which stay receivable") {
    baton::comm world;
    world.send(world.rank(), 302, 1);
    CHECK_THROWS_AS((void)world.recv<int>(world.rank(), 303, 50ms), baton::timeout_error);
    CHECK(world.recv<int>(world.rank(), 302) == 1);
}
