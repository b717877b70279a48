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

TEST_CASE("a type mismatch surfaces from wait()") {
    baton::comm world;
    auto r = world.irecv(world.rank(), baton::tag<double>{605});
    auto s = world.isend(world.rank(), baton::tag<int>{605}, 5);
    CHECK_THROWS_AS(r.wait(), baton::type_mismatch);
    s.wait();
}
