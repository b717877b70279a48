// With MPI_THREAD_MULTIPLE, several threads of a rank call baton at once: on different
// communicators, and on one communicator with different tags; sends, receives and irecvs
// cross between ranks, and every value is checked.
#include <doctest/doctest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <baton/baton.hpp>

namespace {
constexpr int threads = 4;
constexpr int rounds = 200;

// Thread t of every rank sends to the next rank and receives from the previous one, with tag
// 100 + t: a message can only be matched by the thread it was meant for.
void ring(const baton::comm& c, int t, std::atomic<int>& wrong) {
    const int right = (c.rank() + 1) % c.size();
    const int left = (c.rank() + c.size() - 1) % c.size();
    const baton::tag<std::vector<int>> numbers{100 + t};
    const baton::tag<std::string> words{200 + t};
    for (int i = 0; i < rounds; ++i) {
        auto pending = c.irecv(left, words);
        c.send(right, numbers, std::vector<int>{c.rank(), t, i});
        auto sent = c.isend(right, words, "t" + std::to_string(t) + "i" + std::to_string(i));
        const auto got = c.recv(left, numbers);
        if (got != std::vector<int>{left, t, i}) ++wrong;
        if (pending.wait() != "t" + std::to_string(t) + "i" + std::to_string(i)) ++wrong;
        sent.wait();
    }
}
}  // namespace

TEST_CASE("MPI grants MPI_THREAD_MULTIPLE to this test") {
    int provided = 0;
    MPI_Query_thread(&provided);
    REQUIRE(provided == MPI_THREAD_MULTIPLE);
}

TEST_CASE("four threads a rank on one communicator, each with its own tags") {
    baton::comm world;
    std::atomic<int> wrong{0};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) pool.emplace_back([&, t] { ring(world, t, wrong); });
    for (auto& th : pool) th.join();
    CHECK(wrong.load() == 0);
    world.barrier();
}

TEST_CASE("four threads a rank, each on a communicator of its own") {
    baton::comm world;
    std::vector<baton::comm> own;
    for (int t = 0; t < threads; ++t) own.push_back(world.dup());  // made in the same order on every rank
    std::atomic<int> wrong{0};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) pool.emplace_back([&, t] { ring(own[static_cast<std::size_t>(t)], 0, wrong); });
    for (auto& th : pool) th.join();
    CHECK(wrong.load() == 0);
    world.barrier();
}
