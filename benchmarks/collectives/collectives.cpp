// Collectives: baton against raw MPI and Boost.MPI, interleaved in one run. For each
// operation and size, four variants: baton; raw MPI doing the same job as baton, where the
// receivers do not know the size (the count first, then the data, into a fresh vector, as a
// careful user would write it); raw MPI with the size known everywhere and the buffers
// allocated once (the floor); and Boost.MPI. Payloads are std::vector<double> of 8 B to 16 MiB,
// and a std::vector<std::string> for gather and all_gather, whose floor is building the
// result from strings already in memory, with no messaging. The time of a call is the slowest
// rank's; the table shows the median over rounds, in microseconds, the ratios, and the noise
// of the size (half the spread of raw MPI's rounds over their median).
//
//   mpiexec -n 2 collectives [--rounds 5] [--max-bytes 16777216] [--max-iterations 20000]
// (--max-iterations caps the calls timed per variant: oversubscribed MPICH ranks poll for
// progress, and each call then waits for the scheduler to run the other ranks. The default
// lets a timing of the small sizes last about 10 ms rather than 1 ms, so that one time slice
// of another process on these shared machines is a smaller share of it.)
#include <mpi.h>

#include <algorithm>
#include <boost/mpi/collectives.hpp>
#include <boost/mpi/communicator.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include <baton/baton.hpp>

#include "support/median.hpp"

namespace {

struct variant {
    std::function<void()> run;
    std::vector<double> samples;
};

struct row {
    std::string op, payload;
    std::size_t bytes;  // per rank
    variant baton, same_job, floor, boost;
};

int iterations_for(std::size_t bytes, int most) {
    return static_cast<int>(std::clamp<std::size_t>(std::size_t{20'000'000} / (bytes + 1000), 3,
                                                    static_cast<std::size_t>(std::max(most, 3))));
}

}  // namespace

int main(int argc, char** argv) {
    baton::environment env(argc, argv);
    baton::comm world;
    const MPI_Comm raw = world.native();
    boost::mpi::communicator bcomm;
    int rounds = 5;
    std::size_t max_bytes = std::size_t{16} << 20;
    int max_iterations = 20000;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--rounds") rounds = std::atoi(argv[i + 1]);
        if (a == "--max-bytes") max_bytes = std::strtoull(argv[i + 1], nullptr, 10);
        if (a == "--max-iterations") max_iterations = std::atoi(argv[i + 1]);
    }
    const int n = world.size();
    const bool root = world.is_root();

    std::vector<row> rows;
    for (std::size_t bytes = 8; bytes <= max_bytes; bytes *= 8) {
        const std::size_t count = bytes / sizeof(double);
        const std::vector<double> data(count, 1.5);
        const std::string size = bytes < 1024         ? std::to_string(bytes) + " B"
                                 : bytes < (1u << 20) ? std::to_string(bytes >> 10) + " KiB"
                                                      : std::to_string(bytes >> 20) + " MiB";
        const std::string payload = "vector<double>, " + size;
        // Buffers of the floor variants, allocated once.
        auto floor_buffer = std::make_shared<std::vector<double>>(count * static_cast<std::size_t>(n), 0.0);

        row b{"broadcast", payload, bytes, {}, {}, {}, {}};
        b.baton.run = [&, data] {
            std::vector<double> v;
            if (root) v = data;
            world.broadcast(v, 0);
        };
        b.same_job.run = [&, data] {
            std::vector<double> v;
            if (root) v = data;
            std::uint64_t c = v.size();
            MPI_Bcast(&c, 1, MPI_UINT64_T, 0, raw);
            v.resize(c);
            MPI_Bcast(v.data(), static_cast<int>(c), MPI_DOUBLE, 0, raw);
        };
        b.floor.run = [&, count, floor_buffer] {
            MPI_Bcast(floor_buffer->data(), static_cast<int>(count), MPI_DOUBLE, 0, raw);
        };
        b.boost.run = [&, data] {
            std::vector<double> v;
            if (root) v = data;
            boost::mpi::broadcast(bcomm, v, 0);
        };
        rows.push_back(std::move(b));

        row r{"all_reduce (plus)", payload, bytes, {}, {}, {}, {}};
        r.baton.run = [&, data] { (void)world.all_reduce(data, std::plus<>{}); };
        r.same_job.run = [&, data] {
            std::vector<double> out(data.size());
            MPI_Allreduce(data.data(), out.data(), static_cast<int>(data.size()), MPI_DOUBLE, MPI_SUM, raw);
        };
        r.floor.run = [&, data, floor_buffer] {
            MPI_Allreduce(data.data(), floor_buffer->data(), static_cast<int>(data.size()), MPI_DOUBLE, MPI_SUM, raw);
        };
        r.boost.run = [&, data] {
            std::vector<double> out(data.size());
            boost::mpi::all_reduce(bcomm, data.data(), static_cast<int>(data.size()), out.data(), std::plus<double>());
        };
        rows.push_back(std::move(r));

        for (const bool everyone : {false, true}) {
            row g{everyone ? "all_gather" : "gather", payload, bytes, {}, {}, {}, {}};
            g.baton.run = [&, data, everyone] {
                if (everyone)
                    (void)world.all_gather(data);
                else
                    (void)world.gather(data, 0);
            };
            g.same_job.run = [&, data, everyone] {
                const int mine = static_cast<int>(data.size());
                std::vector<int> counts(static_cast<std::size_t>(n)), offsets(static_cast<std::size_t>(n));
                if (everyone)
                    MPI_Allgather(&mine, 1, MPI_INT, counts.data(), 1, MPI_INT, raw);
                else
                    MPI_Gather(&mine, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, raw);
                int total = 0;
                for (int k = 0; k < n; ++k) {
                    offsets[static_cast<std::size_t>(k)] = total;
                    total += counts[static_cast<std::size_t>(k)];
                }
                std::vector<double> all(everyone || root ? static_cast<std::size_t>(total) : 0);
                if (everyone)
                    MPI_Allgatherv(data.data(), mine, MPI_DOUBLE, all.data(), counts.data(), offsets.data(), MPI_DOUBLE,
                                   raw);
                else
                    MPI_Gatherv(data.data(), mine, MPI_DOUBLE, all.data(), counts.data(), offsets.data(), MPI_DOUBLE, 0,
                                raw);
            };
            g.floor.run = [&, data, everyone, floor_buffer] {
                const int c = static_cast<int>(data.size());
                if (everyone)
                    MPI_Allgather(data.data(), c, MPI_DOUBLE, floor_buffer->data(), c, MPI_DOUBLE, raw);
                else
                    MPI_Gather(data.data(), c, MPI_DOUBLE, floor_buffer->data(), c, MPI_DOUBLE, 0, raw);
            };
            g.boost.run = [&, data, everyone] {
                std::vector<std::vector<double>> all;
                if (everyone)
                    boost::mpi::all_gather(bcomm, data, all);
                else
                    boost::mpi::gather(bcomm, data, all, 0);
            };
            rows.push_back(std::move(g));
        }
    }
    // vector<string>: 10,000 strings of 3 to 40 characters, gathered and all-gathered.
    std::vector<std::string> words;
    for (int k = 0; k < 10000; ++k)
        words.push_back(std::string(static_cast<std::size_t>(3 + (k * 7) % 38), 'a' + static_cast<char>(k % 26)));
    for (const bool everyone : {false, true}) {
        row g{everyone ? "all_gather" : "gather", "vector<string>, 10,000 of 3-40 chars", 250000, {}, {}, {}, {}};
        g.baton.run = [&, everyone] {
            if (everyone)
                (void)world.all_gather(words);
            else
                (void)world.gather(words, 0);
        };
        // The floor for strings: what any receiver must do with no messaging at all, build
        // the result from strings already in memory (every rank's copy of the same words)
        // and destroy it.
        g.floor.run = [&, everyone] {
            if (everyone || world.rank() == 0) {
                std::vector<std::vector<std::string>> all(static_cast<std::size_t>(world.size()), words);
                (void)all;
            }
        };
        g.boost.run = [&, everyone] {
            std::vector<std::vector<std::string>> all;
            if (everyone)
                boost::mpi::all_gather(bcomm, words, all);
            else
                boost::mpi::gather(bcomm, words, all, 0);
        };
        rows.push_back(std::move(g));
    }

    auto time = [&](variant& v, int iterations) {
        if (!v.run) return;
        // One untimed call first: otherwise whichever variant runs first after a size change
        // pays for the allocator's growing its heap to the new size (glibc then serves the
        // others' vectors from that heap without page faults).
        v.run();
        world.barrier();
        const auto start = std::chrono::steady_clock::now();
        for (int i = 0; i < iterations; ++i) v.run();
        double us =
            std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count() / iterations;
        double slowest = 0;
        MPI_Allreduce(&us, &slowest, 1, MPI_DOUBLE, MPI_MAX, raw);
        v.samples.push_back(slowest);
    };
    for (int round = 0; round < rounds; ++round) {
        for (auto& r : rows) {
            const int iterations = iterations_for(r.bytes * static_cast<std::size_t>(n), max_iterations);
            // Each round starts with another variant: the one that runs first after the rows
            // of other sizes meets the heap as they left it (at 2 MiB that cost whichever ran
            // first 10-15%, while the same code in a program of its own measured alike).
            variant* order[] = {&r.baton, &r.same_job, &r.floor, &r.boost};
            for (int k = 0; k < 4; ++k) time(*order[(k + round) % 4], iterations);
        }
    }
    if (root) {
        std::printf("%d ranks, medians of %d rounds, microseconds per call (the slowest rank's)\n\n", n, rounds);
        std::printf(
            "| operation | payload | baton | raw, same job | raw, size known (floor) | Boost.MPI | baton / same job | "
            "baton / Boost.MPI | baton / floor | noise |\n");
        std::printf("|---|---|---|---|---|---|---|---|---|---|\n");
        auto cell = [](const variant& v) {
            return v.samples.empty() ? std::string("-") : std::to_string(bench::median(v.samples)).substr(0, 8);
        };
        auto ratio = [](const variant& a, const variant& b) {
            if (a.samples.empty() || b.samples.empty()) return std::string("-");
            char text[16];
            std::snprintf(text, sizeof text, "%.2fx", bench::median(a.samples) / bench::median(b.samples));
            return std::string(text);
        };
        // The run's noise at a size: half the spread between the fastest and the slowest round
        // of raw MPI doing the same job (of the floor where there is none), over its median.
        auto noise = [](const row& r) {
            const variant& v = r.same_job.samples.empty() ? r.floor : r.same_job;
            if (v.samples.empty()) return std::string("-");
            const auto [low, high] = std::minmax_element(v.samples.begin(), v.samples.end());
            char text[16];
            std::snprintf(text, sizeof text, "%.1f%%", 50.0 * (*high - *low) / bench::median(v.samples));
            return std::string(text);
        };
        for (const auto& r : rows) {
            std::printf("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", r.op.c_str(), r.payload.c_str(),
                        cell(r.baton).c_str(), cell(r.same_job).c_str(), cell(r.floor).c_str(), cell(r.boost).c_str(),
                        ratio(r.baton, r.same_job).c_str(), ratio(r.baton, r.boost).c_str(),
                        ratio(r.baton, r.floor).c_str(), noise(r).c_str());
        }
    }
    return 0;
}
