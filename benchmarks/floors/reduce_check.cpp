// Plain MPI, no baton: what it costs an element-wise all_reduce of vectors to make sure every
// rank passed the same length (ranks passing different counts to MPI_Allreduce is undefined
// behaviour: with MPICH a hang or garbage, not an error). Per size, in the same run:
//   unchecked   MPI_Allreduce of the doubles with MPI_SUM (what Boost.MPI and a raw user do);
//   check first an MPI_Allreduce of the length (MPI_MAX of it and of its complement), then the
//               doubles with MPI_SUM;
//   fused       one MPI_Allreduce of a block holding both length bounds and the doubles,
//               reduced by an operation of the program's own (a committed contiguous type,
//               count 1, so MPI never splits the block);
//   fused, capped  the fused block with at most `cap` bytes of doubles (default 2032), then the
//               rest with MPI_SUM: what a fused check does when the block's size is bounded.
//
//   mpiexec -n 2 reduce_check [rounds] [cap]
#include <mpi.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "support/fused_block.hpp"
#include "support/median.hpp"

namespace {

template <class Call>
double time_us(int iterations, Call call) {
    MPI_Barrier(MPI_COMM_WORLD);
    const double start = MPI_Wtime();
    for (int i = 0; i < iterations; ++i) call();
    double mine = (MPI_Wtime() - start) / iterations * 1e6, slowest = 0;
    MPI_Allreduce(&mine, &slowest, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
    return slowest;
}

}  // namespace

int main(int argc, char** argv) {
    MPI_Init(&argc, &argv);
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    const int rounds = argc > 1 ? std::atoi(argv[1]) : 5;
    const std::size_t cap_bytes = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 2032;
    MPI_Op merge;
    MPI_Op_create(&bench::merge_blocks, 1, &merge);
    if (rank == 0) {
        std::printf(
            "| payload | unchecked | check first | fused | fused, capped at %zu B | fused in blocks | check first / "
            "unchecked | fused / unchecked | capped / unchecked | blocks / unchecked |\n"
            "|---|---|---|---|---|---|---|---|---|---|\n",
            cap_bytes);
    }
    for (const std::size_t bytes : {8, 64, 512, 2048, 4096, 8192, 32768, 262144}) {
        const std::size_t n = bytes / sizeof(double);
        const int count = static_cast<int>(n);
        const int iterations = bytes <= 4096 ? 20000 : bytes <= 32768 ? 4000 : 500;
        const std::size_t ahead = std::min(n, cap_bytes / sizeof(double));
        std::vector<double> in(n, 1.0 + rank), out(n);
        const std::size_t block_bytes = sizeof(bench::block_header) + bytes;
        std::vector<char> block_in(block_bytes), block_out(block_bytes);
        MPI_Datatype block_type, first_type;
        MPI_Type_contiguous(static_cast<int>(block_bytes), MPI_BYTE, &block_type);
        MPI_Type_commit(&block_type);
        MPI_Type_contiguous(static_cast<int>(sizeof(bench::block_header) + ahead * sizeof(double)), MPI_BYTE,
                            &first_type);
        MPI_Type_commit(&first_type);

        auto unchecked = [&] { MPI_Allreduce(in.data(), out.data(), count, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD); };
        auto check_first = [&] {
            std::uint64_t len[2] = {n, ~std::uint64_t{n}};
            MPI_Allreduce(MPI_IN_PLACE, len, 2, MPI_UINT64_T, MPI_MAX, MPI_COMM_WORLD);
            if (len[0] != ~len[1]) MPI_Abort(MPI_COMM_WORLD, 3);
            MPI_Allreduce(in.data(), out.data(), count, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
        };
        auto fused_with = [&](MPI_Datatype type, std::size_t carried) {
            bench::fused_allreduce(in.data(), out.data(), n, carried, block_in.data(), block_out.data(), type, merge,
                                   MPI_COMM_WORLD);
        };
        auto fused = [&] { fused_with(block_type, n); };
        auto fused_capped = [&] { fused_with(first_type, ahead); };
        // Blocks of at most cap bytes of doubles, each with its own copy of the header.
        const std::size_t per_block = std::max<std::size_t>(1, cap_bytes / sizeof(double));
        const std::size_t blocks = (n + per_block - 1) / per_block;
        const std::size_t stride = sizeof(bench::block_header) + per_block * sizeof(double);
        std::vector<char> many_in(blocks * stride), many_out(blocks * stride);
        MPI_Datatype stride_type;
        MPI_Type_contiguous(static_cast<int>(stride), MPI_BYTE, &stride_type);
        MPI_Type_commit(&stride_type);
        auto fused_blocks = [&] {
            const bench::block_header h{n, ~std::uint64_t{n}};
            for (std::size_t b = 0; b < blocks; ++b) {
                char* at = many_in.data() + b * stride;
                std::memcpy(at, &h, sizeof h);
                const std::size_t first = b * per_block, k = std::min(per_block, n - first);
                std::memcpy(at + sizeof h, in.data() + first, k * sizeof(double));
            }
            MPI_Allreduce(many_in.data(), many_out.data(), static_cast<int>(blocks), stride_type, merge,
                          MPI_COMM_WORLD);
            for (std::size_t b = 0; b < blocks; ++b) {
                const char* at = many_out.data() + b * stride;
                bench::block_header got;
                std::memcpy(&got, at, sizeof got);
                if (got.longest != ~got.shortest_complement) MPI_Abort(MPI_COMM_WORLD, 3);
                const std::size_t first = b * per_block, k = std::min(per_block, n - first);
                std::memcpy(out.data() + first, at + sizeof h, k * sizeof(double));
            }
        };

        std::vector<double> t[5];
        for (int round = 0; round < rounds; ++round) {
            t[0].push_back(time_us(iterations, unchecked));
            t[1].push_back(time_us(iterations, check_first));
            t[2].push_back(time_us(iterations, fused));
            t[3].push_back(time_us(iterations, fused_capped));
            t[4].push_back(time_us(iterations, fused_blocks));
        }
        if (out[0] != 3.0) MPI_Abort(MPI_COMM_WORLD, 4);  // the sums of 2 ranks' 1 and 2
        if (rank == 0) {
            double m[5];
            for (int v = 0; v < 5; ++v) m[v] = bench::median(t[v]);
            std::printf(
                "| vector<double>, %zu B | %.3f | %.3f | %.3f | %.3f | %.3f | %.2fx | %.2fx | %.2fx | %.2fx |\n", bytes,
                m[0], m[1], m[2], m[3], m[4], m[1] / m[0], m[2] / m[0], m[3] / m[0], m[4] / m[0]);
        }
        MPI_Type_free(&block_type);
        MPI_Type_free(&first_type);
        MPI_Type_free(&stride_type);
    }
    MPI_Op_free(&merge);
    MPI_Finalize();
}
