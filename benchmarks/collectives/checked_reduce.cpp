// baton's element-wise all_reduce of a std::vector<double> against plain MPI doing the same
// checked job, and the unchecked one, interleaved in one run. Plain MPI checks the lengths the
// two ways detail/collectives/length_checked_reduction.hpp does up to 256 KiB:
//   marked  the doubles, the first one NaN on a rank whose length is not the one agreed on
//           before, reduced by MPI_SUM in place in the new result vector (baton's way on Open
//           MPI, and on MPICH for one double and above 16 KiB);
//   fused   a block holding the bounds of the ranks' lengths and the doubles, reduced by an
//           operation of the program's own, into a new result vector (baton's way on MPICH
//           from 16 B to 16 KiB); above 16 KiB the bounds alone, the doubles then by MPI_SUM,
//           and on Open MPI a block just above its 4 KiB eager limit cut to 2032 B of doubles.
// The unchecked job is what Boost.MPI and a raw user do: a new vector and one MPI_Allreduce
// with MPI_SUM. Above 256 KiB baton checks the bounds first, then reduces in place. Medians of
// 9 rounds, each starting with another variant; microseconds per call, the slowest rank's.
//
//   mpiexec -n 2 checked_reduce [rounds] [largest payload in bytes, 2097152]
#include <mpi.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <vector>

#include <baton/baton.hpp>

#include "support/fused_block.hpp"
#include "support/median.hpp"

namespace {

// Bytes of doubles baton's block carries for a vector of `bytes` bytes (its size agreed on by
// the previous call, which in this loop had the same length).
std::size_t carried(std::size_t bytes) {
    if (bytes > (std::size_t{16} << 10)) return 0;
#if defined(OPEN_MPI)
    if (bytes + sizeof(bench::block_header) > 3968 && bytes < 8192) return 2032;
#endif
    return bytes;
}

}  // namespace

int main(int argc, char** argv) {
    baton::environment env(argc, argv);
    baton::comm world;
    const MPI_Comm raw = MPI_COMM_WORLD;
    const int rounds = argc > 1 ? std::atoi(argv[1]) : 9;
    const std::size_t largest = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 2097152;
    MPI_Op merge;
    MPI_Op_create(&bench::merge_blocks, 1, &merge);
    if (world.is_root()) {
        std::printf(
            "| payload | baton | plain MPI, marked | plain MPI, fused | plain MPI, unchecked | baton / marked | "
            "baton / fused | marked / unchecked | fused / unchecked | baton / unchecked |\n"
            "|---|---|---|---|---|---|---|---|---|---|\n");
    }
    for (const std::size_t bytes : {8, 64, 512, 2048, 4096, 8192, 32768, 262144, 2097152}) {
        if (bytes > largest) break;
        const std::size_t n = bytes / sizeof(double);
        const std::size_t ahead = carried(bytes) / sizeof(double);
        const std::vector<double> in(n, 1.0 + world.rank());
        const std::size_t block_bytes = sizeof(bench::block_header) + ahead * sizeof(double);
        std::vector<char> block_in(block_bytes), block_out(block_bytes);
        MPI_Datatype block_type;
        MPI_Type_contiguous(static_cast<int>(block_bytes), MPI_BYTE, &block_type);
        MPI_Type_commit(&block_type);

        constexpr int variant_count = 4;
        std::function<void()> variants[variant_count] = {
            [&] { (void)world.all_reduce(in, std::plus<>{}); },
            [&] { (void)bench::marked_allreduce(in, n, raw); },
            [&] {
                std::vector<double> out(n);
                bench::fused_allreduce(in.data(), out.data(), n, ahead, block_in.data(), block_out.data(), block_type,
                                       merge, raw);
            },
            [&] {
                std::vector<double> out(n);
                MPI_Allreduce(in.data(), out.data(), static_cast<int>(n), MPI_DOUBLE, MPI_SUM, raw);
            },
        };
        const int iterations = bytes <= 8192 ? 20000 : bytes <= 32768 ? 4000 : bytes <= 262144 ? 500 : 50;
        std::vector<double> samples[variant_count];
        for (int round = 0; round < rounds; ++round) {
            for (int k = 0; k < variant_count; ++k) {
                const int v = (k + round) % variant_count;
                variants[v]();  // untimed: the heap grows to this size before any variant is timed
                MPI_Barrier(raw);
                const double start = MPI_Wtime();
                for (int i = 0; i < iterations; ++i) variants[v]();
                double mine = (MPI_Wtime() - start) / iterations * 1e6, slowest = 0;
                MPI_Allreduce(&mine, &slowest, 1, MPI_DOUBLE, MPI_MAX, raw);
                samples[v].push_back(slowest);
            }
        }
        if (world.is_root()) {
            double m[variant_count];
            for (int v = 0; v < variant_count; ++v) m[v] = bench::median(samples[v]);
            std::printf(
                "| vector<double>, %zu B | %.3f | %.3f | %.3f | %.3f | %.2fx | %.2fx | %.2fx | %.2fx | %.2fx |\n",
                bytes, m[0], m[1], m[2], m[3], m[0] / m[1], m[0] / m[2], m[1] / m[3], m[2] / m[3], m[0] / m[3]);
        }
        MPI_Type_free(&block_type);
    }
    MPI_Op_free(&merge);
}
