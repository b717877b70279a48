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

TEST_CASE("four threads a rank send large payloads with one tag at once; each body meets its own header") {
    // Large payloads travel as a header message and a body, paired at the receiver by their
    // order; the two sends of one payload must not interleave with another thread's.
    baton::comm world;
    const int right = (world.rank() + 1) % world.size();
    const int left = (world.rank() + world.size() - 1) % world.size();
    const baton::tag<std::vector<double>> t{300};
    constexpr int per_thread = 50;
    // thread k's i-th payload: its own length, every element saying who sent it
    auto payload = [](int from, int k, int i) {
        std::vector<double> v(600 + static_cast<std::size_t>(k) * 37 + static_cast<std::size_t>(i % 5));
        for (std::size_t e = 0; e < v.size(); ++e) v[e] = from * 1e6 + k * 1e4 + i;
        return v;
    };
    std::atomic<int> wrong{0};
    std::thread receiver([&] {
        std::vector<int> next(threads, 0);  // per sending thread, the index expected next
        for (int n = 0; n < threads * per_thread; ++n) {
            const auto got = world.recv(left, t);
            const int k = static_cast<int>((got.front() - left * 1e6) / 1e4);
            if (k < 0 || k >= threads || got != payload(left, k, next[static_cast<std::size_t>(k)]++)) ++wrong;
        }
    });
    std::vector<std::thread> senders;
    for (int k = 0; k < threads; ++k) {
        senders.emplace_back([&, k] {
            for (int i = 0; i < per_thread; ++i) {
                if (k % 2 == 0) {
                    world.send(right, t, payload(world.rank(), k, i));
                } else {
                    world.isend(right, t, payload(world.rank(), k, i)).wait();
                }
            }
        });
    }
    for (auto& th : senders) th.join();
    receiver.join();
    CHECK(wrong.load() == 0);
    world.barrier();
}
