// isend/irecv: round trips, temporaries, wait_any, wait_all, order, type checks.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <baton/baton.hpp>

namespace {
int next(const baton::comm& c) {
    return (c.rank() + 1) % c.size();
}
int prev(const baton::comm& c) {
    return (c.rank() + c.size() - 1) % c.size();
}
}  // namespace

TEST_CASE("a ring of non-blocking sends and receives, large payloads, no ordering of calls") {
    baton::comm world;
    const baton::tag<std::vector<double>> t{600};
    auto r = world.irecv(prev(world), t);
    // a temporary: the request keeps its own copy
    auto s = world.isend(next(world), t, std::vector<double>(300000, world.rank()));
    auto got = r.wait();
    s.wait();
    CHECK(got.size() == 300000);
    CHECK(got.front() == prev(world));
}

TEST_CASE("test() polls; wait_message() gives the envelope") {
    baton::comm world;
    const baton::tag<std::map<std::string, int>> t{601};
    auto r = world.irecv(baton::any_source, t);
    world.barrier();
    auto s = world.isend(next(world), t, std::map<std::string, int>{{"from", world.rank()}});
    auto m = r.wait_message();
    CHECK(m.envelope.source == prev(world));
    CHECK(m.envelope.tag == 601);
    CHECK(m.value.at("from") == prev(world));
    s.wait();
    CHECK(s.test());
}

TEST_CASE("wait_any returns the request whose message is there, not the first in the list") {
    baton::comm world;
    std::vector<baton::recv_request<int>> requests;
    requests.push_back(world.irecv(world.rank(), baton::tag<int>{602}));  // nothing sent yet
    requests.push_back(world.irecv(world.rank(), baton::tag<int>{603}));
    world.send(world.rank(), 603, 33);
    CHECK(baton::wait_any(requests) == 1);
    CHECK(requests[1].wait() == 33);
    world.send(world.rank(), 602, 22);
    CHECK(baton::wait_any(requests) == 0);  // request 1 was taken: skipped, as MPI skips inactive ones
    CHECK(requests[0].wait() == 22);
    CHECK_FALSE(requests[0].active());
    CHECK_THROWS_WITH_AS(baton::wait_any(requests), doctest::Contains("no active requests"), baton::usage_error);
}

TEST_CASE("wait_any drains one message from every rank; wait_all completes the sends") {
    baton::comm world;
    std::vector<baton::recv_request<int>> requests;
    for (int r = 0; r < world.size(); ++r) requests.push_back(world.irecv(r, baton::tag<int>{604}));
    std::vector<baton::send_request> sends;
    for (int r = 0; r < world.size(); ++r) sends.push_back(world.isend(r, baton::tag<int>{604}, 1000 + world.rank()));
    std::vector<int> got;
    while (!requests.empty()) {
        const std::size_t i = baton::wait_any(requests);
        got.push_back(requests[i].wait());
        requests.erase(requests.begin() + static_cast<long>(i));
    }
    std::sort(got.begin(), got.end());
    for (int r = 0; r < world.size(); ++r) CHECK(got[static_cast<std::size_t>(r)] == 1000 + r);
    baton::wait_all(sends);
    for (auto& s : sends) CHECK_FALSE(s.pending());
}

TEST_CASE("receives posted earlier match earlier messages (MPI's order), even with a blocking recv after") {
    baton::comm world;
    const baton::tag<int> t{603};
    auto first = world.irecv(world.rank(), t);
    auto second = world.irecv(world.rank(), t);
    world.send(world.rank(), t, 1);
    world.send(world.rank(), t, 2);
    world.send(world.rank(), t, 3);
    const int third = world.recv(world.rank(), t);  // blocking, posted last
    CHECK(second.wait() == 2);
    CHECK(first.wait() == 1);
    CHECK(third == 3);
}

TEST_CASE("pending irecvs that nest take messages in MPI's order, whichever is waited on first") {
    // Its own communicator: the wildcard receive must see no message another test sends.
    const baton::comm world = baton::comm{}.dup();
    const int me = world.rank();
    const baton::tag<int> five{605}, six{606};
    world.send(me, five, 1);
    world.send(me, six, 2);
    world.send(me, five, 3);
    auto by_tag = world.irecv(me, five);                              // the first tag-605 message
    auto wide = world.irecv<int>(baton::any_source, baton::any_tag);  // the first one left
    auto by_tag_again = world.irecv(me, five);                        // the next tag-605 one
    auto later = world.irecv(me, six);                                // none left: waits
    CHECK(later.test() == std::nullopt);  // sweeps all four; only `later` is left without a message
    CHECK(by_tag_again.wait() == 3);
    CHECK(wide.wait_message().envelope.tag == 606);
    CHECK(by_tag.wait() == 1);
    world.send(me, six, 4);
    CHECK(later.wait() == 4);
}

TEST_CASE("thousands of pending irecvs each get their own message, waited on last first") {
    baton::comm world;
    constexpr int count = 3000;
    const int from = prev(world);
    std::vector<baton::recv_request<int>> pending;
    for (int k = 0; k < count; ++k) pending.push_back(world.irecv(from, baton::tag<int>{700 + k % 7}));
    for (int k = 0; k < count; ++k) world.send(next(world), baton::tag<int>{700 + k % 7}, k);
    // The j-th irecv of a tag gets the j-th message of that tag, so irecv k gets k.
    int wrong = 0;
    for (int k = count - 1; k >= 0; --k) {
        if (pending[static_cast<std::size_t>(k)].wait() != k) ++wrong;
    }
    CHECK(wrong == 0);
}

TEST_CASE("wait_any over a thousand irecvs takes each message once, into its own request") {
    baton::comm world;
    constexpr int count = 1000;
    const int from = prev(world);
    std::vector<baton::recv_request<int>> pending;
    for (int k = 0; k < count; ++k) pending.push_back(world.irecv(from, baton::tag<int>{800 + k}));
    for (int k = count - 1; k >= 0; --k) world.send(next(world), baton::tag<int>{800 + k}, k);
    std::vector<int> times_taken(count, 0);
    int wrong = 0;
    for (int k = 0; k < count; ++k) {
        const std::size_t i = baton::wait_any(pending);
        ++times_taken[i];
        if (*pending[i].test() != static_cast<int>(i)) ++wrong;
    }
    CHECK(wrong == 0);
    CHECK(std::all_of(times_taken.begin(), times_taken.end(), [](int n) { return n == 1; }));
}

TEST_CASE("a type mismatch surfaces from wait()") {
    baton::comm world;
    auto r = world.irecv(world.rank(), baton::tag<double>{605});
    auto s = world.isend(world.rank(), baton::tag<int>{605}, 5);
    CHECK_THROWS_AS(r.wait(), baton::type_mismatch);
    s.wait();
}
