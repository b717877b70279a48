// Soak: ranks exchange a mix of payload kinds and sizes in every pattern (ring point-to-point,
// wildcard fan-in, non-blocking, collectives) for a fixed number of rounds, verifying every
// message's content and count, and checking that resident memory stays flat.
#include <doctest/doctest.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <baton/baton.hpp>

namespace {

#if defined(__SANITIZE_ADDRESS__)
// AddressSanitizer keeps freed memory in quarantine, so RSS grows without a leak; there
// LeakSanitizer checks for leaks at exit instead.
constexpr bool rss_is_meaningful = false;
#else
constexpr bool rss_is_meaningful = true;
#endif

long resident_kib() {
    std::ifstream statm("/proc/self/statm");
    long pages_total = 0, pages_resident = 0;
    statm >> pages_total >> pages_resident;
    return pages_resident * (::sysconf(_SC_PAGESIZE) / 1024);
}

std::vector<double> payload(int from, int round) {
    std::vector<double> v(static_cast<std::size_t>((round % 7) * 1500 + 1));
    for (std::size_t k = 0; k < v.size(); ++k) v[k] = from * 1e6 + round + static_cast<double>(k);
    return v;
}

}  // namespace

TEST_CASE("soak: every pattern, every message verified, memory flat") {
    baton::comm world;
    // The fan-in receives with any_tag: on its own communicator, so it sees only its own traffic.
    MPI_Comm fan_in_comm = MPI_COMM_NULL;
    MPI_Comm_dup(world.native(), &fan_in_comm);
    baton::comm fan_in(fan_in_comm);
    const int n = world.size(), me = world.rank();
    const int next = (me + 1) % n, prev = (me + n - 1) % n;
    const int rounds = 1500, warm_up = 150;
    const baton::tag<std::vector<double>> ring{1};
    const baton::tag<std::map<std::string, int>> maps{2};
    std::uint64_t verified = 0, wrong = 0;
    long rss_after_warm_up = 0;
    std::vector<double> buffer;

    for (int round = 0; round < rounds; ++round) {
        if (round == warm_up) rss_after_warm_up = resident_kib();
        // ring, blocking, sizes across the copied and in-place paths (odd ranks receive first)
        if (me % 2 == 1) world.recv_into(prev, ring, buffer);
        world.send(next, ring, payload(me, round));
        if (me % 2 == 0) world.recv_into(prev, ring, buffer);
        wrong += buffer != payload(prev, round);
        ++verified;

        // wildcard fan-in: every rank sends its rank with a round-dependent tag to root
        fan_in.send(0, baton::tag<int>{100 + round % 50}, me);
        if (me == 0) {
            std::set<int> from;
            for (int k = 0; k < n; ++k) {
                auto m = fan_in.recv_message<int>(baton::any_source, baton::any_tag);
                wrong += m.value != m.envelope.source || m.envelope.tag != 100 + round % 50;
                from.insert(m.value);
                ++verified;
            }
            wrong += from.size() != static_cast<std::size_t>(n);
        }

        // non-blocking, serialized payload
        auto r = world.irecv(prev, maps);
        auto s = world.isend(next, maps, std::map<std::string, int>{{"from", me}, {"round", round}});
        const auto got = r.wait();
        s.wait();
        wrong += got.at("from") != prev || got.at("round") != round;
        ++verified;

        // collectives
        const int sum = world.all_reduce(round + me, std::plus<>{});
        wrong += sum != n * round + n * (n - 1) / 2;
        std::string word = me == 0 ? "round " + std::to_string(round) : std::string();
        world.broadcast(word);
        wrong += word != "round " + std::to_string(round);
        auto all = world.all_gather(std::vector<int>(static_cast<std::size_t>(me % 3), round));
        for (int k = 0; k < n; ++k)
            wrong += all[static_cast<std::size_t>(k)] != std::vector<int>(static_cast<std::size_t>(k % 3), round);
        verified += 3;
    }
    const long growth = resident_kib() - rss_after_warm_up;
    const auto total = world.reduce(verified, std::plus<>{});
    const auto errors = world.all_reduce(wrong, std::plus<>{});
    const auto max_growth = world.all_reduce(growth, baton::maximum{});
    if (total)
        std::printf(
            "soak: %d ranks, %d rounds, %llu messages and collective results verified, %llu wrong, "
            "largest RSS growth after warm-up %ld KiB\n",
            n, rounds, static_cast<unsigned long long>(*total), static_cast<unsigned long long>(errors), max_growth);
    MPI_Comm_free(&fan_in_comm);
    CHECK(errors == 0);
    if (rss_is_meaningful) CHECK(max_growth < 16 * 1024);  // a leak of 500 bytes per message would exceed this
}

TEST_CASE("soak: header messages mixed with small messages, wildcards, probes, irecvs and deadlines") {
    baton::comm world;
    // the fan-in receives with any_tag: on a communicator of its own (baton-made, so it has a
    // body channel too), where it cannot take the ring's messages
    const baton::comm fan_in = world.dup();
    const int n = world.size(), me = world.rank();
    const int next = (me + 1) % n, prev = (me + n - 1) % n;
    // sizes straddle the threshold from which payloads are no longer copied next to the header
    // (they travel as a header message and a body, or in one message through two blocks)
    const std::size_t edge = baton::comm::wire_type::first_uncopied_payload() / sizeof(double);
    auto size_at = [edge](int from, int round, int k) {
        const int mix = from * 7 + round * 13 + k * 5;
        return mix % 4 == 0 ? std::size_t{3} : edge - 8 + static_cast<std::size_t>(mix % 17);
    };
    auto stamped = [&](int from, int round, int k) {
        std::vector<double> v(size_at(from, round, k));
        for (std::size_t i = 0; i < v.size(); ++i) v[i] = from * 1e6 + round * 10 + k + static_cast<double>(i) * 1e-3;
        return v;
    };
    const int rounds = 200;
    std::uint64_t verified = 0, wrong = 0;
    std::vector<int> last_round(static_cast<std::size_t>(2 * n), -1);  // root: by sender and tag
    for (int round = 0; round < rounds; ++round) {
        // wildcard fan-in: two messages from every rank, root's own to itself first
        auto send_two = [&] {
            for (int k = 0; k < 2; ++k) fan_in.send(0, baton::tag<std::vector<double>>{300 + k}, stamped(me, round, k));
        };
        if (me != 0) send_two();
        world.on_root([&] {
            send_two();
            // Each message's round is read from its content: it must be whole, and each
            // sender's rounds must arrive in order for each tag, every one of them (checked
            // after the last round).
            for (int m = 0; m < 2 * n; ++m) {
                auto got = fan_in.recv_message<std::vector<double>>(baton::any_source, baton::any_tag);
                const int k = got.envelope.tag - 300, from = got.envelope.source;
                const int its_round =
                    got.value.empty() ? -1 : static_cast<int>((got.value[0] - from * 1e6 - k) / 10 + 0.5);
                auto& last = last_round[static_cast<std::size_t>(from * 2 + (k & 1))];
                wrong += k < 0 || k > 1 || its_round != last + 1 || got.value != stamped(from, its_round, k);
                last = its_round;
                ++verified;
            }
        });
        // Without this a rank could run a round ahead and root could take its next round's
        // messages in this one, then block in its ring send to a rank that is itself blocked
        // sending root a message too large to go eagerly: a deadlock of the test, not baton.
        fan_in.barrier();
        // ring: odd ranks probe and receive with a deadline before sending; even ranks post an
        // irecv, send, then wait on it
        const baton::tag<std::vector<double>> ring{310};
        if (me % 2 == 1) {
            const auto e = world.probe(prev, ring);
            wrong += e.count != size_at(prev, round, 2);
            wrong += world.recv(prev, ring, std::chrono::seconds(60)) != stamped(prev, round, 2);
            world.send(next, ring, stamped(me, round, 2));
        } else {
            auto r = world.irecv(prev, ring);
            world.send(next, ring, stamped(me, round, 2));
            wrong += r.wait() != stamped(prev, round, 2);
        }
        verified += 2;
        // serialized ring: isent, of an encoding on either side of the longest whole message
        // (16 KiB, beyond which it travels as a header message and a body), received by a
        // blocking receive from any source (taken whole, without a probe, on MPICH)
        const baton::tag<std::vector<std::string>> names{320};
        auto named = [](int from, int its_round) {
            const std::size_t count = its_round % 3 == 0 ? 2 : 1500 + static_cast<std::size_t>(its_round % 11);
            std::vector<std::string> v(count, "rank " + std::to_string(from) + " round " + std::to_string(its_round));
            return v;
        };
        auto sent = world.isend(next, names, named(me, round));
        const auto got = world.recv_message(baton::any_source, names);
        wrong += got.envelope.source != prev || got.value != named(prev, round);
        sent.wait();
        ++verified;
    }
    for (int last : last_round) wrong += me == 0 && last != rounds - 1;
    const auto errors = world.all_reduce(wrong, std::plus<>{});
    const auto total = world.reduce(verified, std::plus<>{});
    if (total)
        std::printf("soak (header messages): %d ranks, %d rounds, %llu checks, %llu wrong\n", n, rounds,
                    static_cast<unsigned long long>(*total), static_cast<unsigned long long>(errors));
    CHECK(errors == 0);
}
