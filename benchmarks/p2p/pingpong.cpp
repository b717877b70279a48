// Ping-pong between two ranks: baton against raw MPI and Boost.MPI, interleaved in one run.
// Each round times every variant at every size; the table shows the median over rounds of
// the one-way latency (half a round trip) and the ratio to raw MPI. For vectors it also times
// the checked wire's framing written in plain MPI (checked_framing.hpp), the floor that baton's
// own code is measured against.
//
//   mpiexec -n 2 pingpong [--rounds 7] [--max-bytes 67108864] [--csv out.csv]
#include <mpi.h>

#include <algorithm>
#include <array>
#include <boost/mpi/communicator.hpp>
#include <boost/serialization/map.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <baton/baton.hpp>

#include "p2p/checked_framing.hpp"
#include "support/median.hpp"

using bench::median;

namespace {

struct particle {
    double x, y, z;
    int id;
};

using clock_type = std::chrono::steady_clock;

struct variant {
    std::string group;  // payload description
    std::string name;
    std::size_t bytes;
    int iterations;
    std::function<void()> ping;   // rank 0: send then receive
    std::function<void()> pong;   // rank 1: receive then send
    std::vector<double> samples;  // one-way microseconds, one per round
};

int iterations_for(std::size_t bytes) {
    return static_cast<int>(std::clamp<std::size_t>(std::size_t{40'000'000} / (bytes + 2000), 5, 20000));
}

/// A variant in which rank 0 sends then receives and rank 1 receives then sends. Send and
/// Recv stay their own types inside each std::function, so the calls in between inline.
template <class Send, class Recv>
variant exchange(std::string group, std::string name, std::size_t bytes, int iterations, Send send, Recv recv) {
    return {std::move(group),
            std::move(name),
            bytes,
            iterations,
            [=] {
                send();
                recv();
            },
            [=] {
                recv();
                send();
            },
            {}};
}

double run(const variant& v, int rank) {
    MPI_Barrier(MPI_COMM_WORLD);
    const auto start = clock_type::now();
    for (int i = 0; i < v.iterations; ++i) {
        if (rank == 0)
            v.ping();
        else
            v.pong();
    }
    const double us = std::chrono::duration<double, std::micro>(clock_type::now() - start).count();
    return us / v.iterations / 2;
}

}  // namespace

int main(int argc, char** argv) {
    baton::environment env(argc, argv);
    baton::comm world;
    baton::raw_comm raw(world.native());
    boost::mpi::communicator bcomm;
    int rounds = 7;
    std::size_t max_bytes = std::size_t{64} << 20;
    std::string csv;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--rounds" && i + 1 < argc)
            rounds = std::atoi(argv[++i]);
        else if (a == "--max-bytes" && i + 1 < argc)
            max_bytes = std::strtoull(argv[++i], nullptr, 10);
        else if (a == "--csv" && i + 1 < argc)
            csv = argv[++i];
    }
    if (world.size() != 2) {
        if (world.is_root()) std::cerr << "pingpong: run with exactly 2 ranks\n";
        return 2;
    }
    const int rank = world.rank(), peer = 1 - rank;
    std::vector<variant> variants;
    const baton::tag<std::vector<double>> vt{1};
    auto framing = std::make_shared<bench::checked_framing>(peer);

    // 8 B, 64 B, ... by factors of 8, and the largest size itself (64 MiB by default).
    std::vector<std::size_t> sizes;
    for (std::size_t bytes = 8; bytes < max_bytes; bytes *= 8) sizes.push_back(bytes);
    sizes.push_back(max_bytes);
    for (const std::size_t bytes : sizes) {
        const std::size_t n = bytes / sizeof(double);
        const std::string group = "vector<double> " + std::to_string(bytes) + " B";
        const int it = iterations_for(bytes);
        auto buf = std::make_shared<std::vector<double>>(n, 1.0);
        auto in = std::make_shared<std::vector<double>>(n, 0.0);
        auto raw_send = [=] { MPI_Send(buf->data(), static_cast<int>(n), MPI_DOUBLE, peer, 1, MPI_COMM_WORLD); };
        auto raw_recv = [=] {
            MPI_Recv(in->data(), static_cast<int>(n), MPI_DOUBLE, peer, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        };
        variants.push_back(exchange(group, "raw MPI (reused buffer)", bytes, it, raw_send, raw_recv));
        auto raw_fresh = [=] {
            auto* p = static_cast<double*>(std::malloc(bytes));
            MPI_Recv(p, static_cast<int>(n), MPI_DOUBLE, peer, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            std::free(p);
        };
        variants.push_back(exchange(group, "raw MPI (fresh malloc)", bytes, it, raw_send, raw_fresh));
        auto b_send = [=] { world.send(peer, vt, *buf); };
        auto b_into = [=] { world.recv_into(peer, vt, *in); };
        variants.push_back(exchange(group, "baton recv_into", bytes, it, b_send, b_into));
        auto b_new = [=] {
            auto v = world.recv(peer, vt);
            (void)v;
        };
        variants.push_back(exchange(group, "baton recv (new vector)", bytes, it, b_send, b_new));
        // The floor of the two above: the same framing in plain MPI (checked_framing.hpp).
        auto f_send = [=] { framing->send(*buf); };
        auto f_into = [=] { framing->recv(*in); };
        variants.push_back(exchange(group, "plain MPI, baton's framing (recv_into)", bytes, it, f_send, f_into));
        auto f_new = [=] {
            std::vector<double> v;
            framing->recv(v);
        };
        variants.push_back(exchange(group, "plain MPI, baton's framing (new vector)", bytes, it, f_send, f_new));
        auto r_send = [=] { raw.send(peer, vt, *buf); };
        auto r_into = [=] { raw.recv_into(peer, vt, *in); };
        variants.push_back(exchange(group, "baton raw_comm recv_into", bytes, it, r_send, r_into));
        auto bo_send = [=, &bcomm] { bcomm.send(peer, 1, *buf); };
        auto bo_recv = [=, &bcomm] {
            std::vector<double> v;
            bcomm.recv(peer, 1, v);
        };
        variants.push_back(exchange(group, "Boost.MPI (new vector)", bytes, it, bo_send, bo_recv));
    }
    {  // fixed-size payloads
        const baton::tag<double> dt{2};
        const baton::tag<particle> pt{3};
        const baton::tag<std::array<double, 16>> at{4};
        auto d = std::make_shared<double>(1.0);
        auto p = std::make_shared<particle>(particle{1, 2, 3, 4});
        auto a = std::make_shared<std::array<double, 16>>();
        const int it = 20000;
        auto rs = [=](void* x, int bytes) { MPI_Send(x, bytes, MPI_BYTE, peer, 2, MPI_COMM_WORLD); };
        auto rr = [=](void* x, int bytes) { MPI_Recv(x, bytes, MPI_BYTE, peer, 2, MPI_COMM_WORLD, MPI_STATUS_IGNORE); };
        variants.push_back(exchange(
            "double", "raw MPI (reused buffer)", 8, it, [=] { rs(d.get(), 8); }, [=] { rr(d.get(), 8); }));
        variants.push_back(exchange(
            "double", "baton", 8, it, [=] { world.send(peer, dt, *d); }, [=] { *d = world.recv(peer, dt); }));
        variants.push_back(exchange(
            "double", "baton raw_comm", 8, it, [=] { raw.send(peer, dt, *d); }, [=] { *d = raw.recv(peer, dt); }));
        const int ps = static_cast<int>(sizeof(particle));
        variants.push_back(exchange(
            "struct particle", "raw MPI (reused buffer)", sizeof(particle), it, [=] { rs(p.get(), ps); },
            [=] { rr(p.get(), ps); }));
        variants.push_back(exchange(
            "struct particle", "baton", sizeof(particle), it, [=] { world.send(peer, pt, *p); },
            [=] { *p = world.recv(peer, pt); }));
        variants.push_back(exchange(
            "array<double,16>", "raw MPI (reused buffer)", 128, it, [=] { rs(a->data(), 128); },
            [=] { rr(a->data(), 128); }));
        variants.push_back(exchange(
            "array<double,16>", "baton", 128, it, [=] { world.send(peer, at, *a); },
            [=] { *a = world.recv(peer, at); }));
    }
    {  // serialized payloads
        auto strings = std::make_shared<std::vector<std::string>>();
        for (int i = 0; i < 100000; ++i) strings->push_back("student-" + std::to_string(i));
        auto counts = std::make_shared<std::map<std::string, int>>();
        for (int i = 0; i < 10000; ++i) (*counts)["key-" + std::to_string(i)] = i;
        const baton::tag<std::vector<std::string>> st{5};
        const baton::tag<std::map<std::string, int>> mt{6};
        // Three kinds of 100,000 strings: names of 9-13 characters ("student-N"), random lengths of
        // 0-40 characters, and all of 16 characters.
        auto add_strings = [&](const std::string& name, std::shared_ptr<std::vector<std::string>> texts) {
            variants.push_back({name,
                                "baton",
                                0,
                                20,
                                [=] {
                                    world.send(peer, st, *texts);
                                    auto v = world.recv(peer, st);
                                },
                                [=] {
                                    auto v = world.recv(peer, st);
                                    world.send(peer, st, v);
                                },
                                {}});
            variants.push_back({name,
                                "Boost.MPI",
                                0,
                                20,
                                [=, &bcomm] {
                                    bcomm.send(peer, 5, *texts);
                                    std::vector<std::string> v;
                                    bcomm.recv(peer, 5, v);
                                },
                                [=, &bcomm] {
                                    std::vector<std::string> v;
                                    bcomm.recv(peer, 5, v);
                                    bcomm.send(peer, 5, v);
                                },
                                {}});
        };
        add_strings("vector<string> 100k", strings);
        auto varied = std::make_shared<std::vector<std::string>>();
        std::mt19937 lengths(42);
        for (int i = 0; i < 100000; ++i)
            varied->push_back(std::string(lengths() % 41, static_cast<char>('a' + i % 26)));
        add_strings("vector<string> 100k, 0-40 chars", varied);
        auto equal = std::make_shared<std::vector<std::string>>();
        for (int i = 0; i < 100000; ++i) equal->push_back(std::string(16, static_cast<char>('a' + i % 26)));
        add_strings("vector<string> 100k, 16 chars", equal);
        variants.push_back({"map<string,int> 10k",
                            "baton",
                            0,
                            50,
                            [=] {
                                world.send(peer, mt, *counts);
                                auto v = world.recv(peer, mt);
                            },
                            [=] {
                                auto v = world.recv(peer, mt);
                                world.send(peer, mt, v);
                            },
                            {}});
        variants.push_back({"map<string,int> 10k",
                            "Boost.MPI",
                            0,
                            50,
                            [=, &bcomm] {
                                bcomm.send(peer, 6, *counts);
                                std::map<std::string, int> v;
                                bcomm.recv(peer, 6, v);
                            },
                            [=, &bcomm] {
                                std::map<std::string, int> v;
                                bcomm.recv(peer, 6, v);
                                bcomm.send(peer, 6, v);
                            },
                            {}});
    }

    for (auto& v : variants) (void)run(v, rank);  // warm-up
    for (int r = 0; r < rounds; ++r) {
        for (auto& v : variants) v.samples.push_back(run(v, rank));
    }
    if (rank != 0) return 0;

    std::ofstream out;
    if (!csv.empty()) {
        out.open(csv);
        out << "payload,variant,bytes,one_way_us,ratio_to_baseline\n";
    }
    std::printf(
        "| payload | variant | one-way latency (median of %d rounds) | ratio to baseline |\n|---|---|---|---|\n",
        rounds);
    std::map<std::string, double> baseline;
    for (const auto& v : variants) {
        const double m = median(v.samples);
        if (v.name.rfind("raw MPI (reused", 0) == 0 || (v.bytes == 0 && v.name == "Boost.MPI")) baseline[v.group] = m;
    }
    for (const auto& v : variants) {
        const double m = median(v.samples);
        const double base = baseline.count(v.group) ? baseline[v.group] : m;
        const char* unit = m >= 1000 ? "ms" : "µs";
        std::printf("| %s | %s | %.3f %s | %.2f |\n", v.group.c_str(), v.name.c_str(), m >= 1000 ? m / 1000 : m, unit,
                    m / base);
        if (out)
            out << '"' << v.group << "\"," << '"' << v.name << "\"," << v.bytes << "," << m << "," << m / base << "\n";
    }
    std::printf(
        "\nbaseline: raw MPI_Send/MPI_Recv into a reused buffer; for serialized payloads, Boost.MPI's send/recv.\n");

    // Issue 14's comparison: baton's fresh-vector receive against Boost.MPI's, beside the
    // run's noise at that size (half the spread of the baseline's rounds, over its median), and
    // both baton receives against the plain-MPI floor of the checked framing: what baton's own
    // code adds to it, and what the framing itself costs against Boost.MPI.
    std::printf(
        "\n| payload | noise | baton / Boost.MPI (new vector each) | baton recv_into / raw MPI "
        "| baton / framing floor (new vector) | framing floor / Boost.MPI (new vector) "
        "| baton recv_into / framing floor (recv_into) |\n"
        "|---|---|---|---|---|---|---|\n");
    std::map<std::string, std::map<std::string, const variant*>> by_group;
    std::vector<std::string> order;
    for (const auto& v : variants) {
        if (!by_group.count(v.group)) order.push_back(v.group);
        by_group[v.group][v.name] = &v;
    }
    for (const auto& group : order) {
        auto& names = by_group[group];
        auto find = [&](const char* name, const char* otherwise = "") -> const variant* {
            if (names.count(name)) return names[name];
            return names.count(otherwise) ? names[otherwise] : nullptr;
        };
        const variant* base = find("raw MPI (reused buffer)", "Boost.MPI");
        const variant* boost = find("Boost.MPI (new vector)", "Boost.MPI");
        const variant* mine = find("baton recv (new vector)", "baton");
        if (base == nullptr || boost == nullptr || mine == nullptr) continue;
        const auto [low, high] = std::minmax_element(base->samples.begin(), base->samples.end());
        const double noise = (*high - *low) / 2 / median(base->samples);
        auto ratio = [](const variant* a, const variant* b) -> std::string {
            if (a == nullptr || b == nullptr) return "";
            char text[32];
            std::snprintf(text, sizeof text, "%.2f", median(a->samples) / median(b->samples));
            return text;
        };
        const variant* into = find("baton recv_into");
        const variant* floor_new = find("plain MPI, baton's framing (new vector)");
        const variant* floor_into = find("plain MPI, baton's framing (recv_into)");
        std::printf("| %s | %.1f%% | %s | %s | %s | %s | %s |\n", group.c_str(), noise * 100,
                    ratio(mine, boost).c_str(), ratio(into, find("raw MPI (reused buffer)")).c_str(),
                    ratio(mine, floor_new).c_str(), ratio(floor_new, boost).c_str(), ratio(into, floor_into).c_str());
    }
    return 0;
}
