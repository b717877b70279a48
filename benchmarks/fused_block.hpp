#pragma once
// Plain MPI, shared by reduce_check and checked_reduce: the block a fused length check reduces,
// the bounds of the ranks' lengths followed by doubles, and the operation that merges two.
#include <mpi.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace bench {

struct block_header {
    std::uint64_t longest;
    std::uint64_t shortest_complement;  // ~shortest, so that MPI_MAX-like merging finds both
};

// Merges two blocks: the length bounds, and the sum of the doubles both blocks hold.
inline void merge_blocks(void* in, void* inout, int* count, MPI_Datatype* type) {
    int block_bytes = 0;
    MPI_Type_size(*type, &block_bytes);
    auto* a = static_cast<char*>(in);
    auto* b = static_cast<char*>(inout);
    for (int i = 0; i < *count; ++i, a += block_bytes, b += block_bytes) {
        block_header ha, hb;
        std::memcpy(&ha, a, sizeof ha);
        std::memcpy(&hb, b, sizeof hb);
        hb.longest = std::max(ha.longest, hb.longest);
        hb.shortest_complement = std::max(ha.shortest_complement, hb.shortest_complement);
        std::memcpy(b, &hb, sizeof hb);
        const auto n = (static_cast<std::size_t>(block_bytes) - sizeof(block_header)) / sizeof(double);
        auto* x = reinterpret_cast<const double*>(a + sizeof(block_header));
        auto* y = reinterpret_cast<double*>(b + sizeof(block_header));
        for (std::size_t k = 0; k < n; ++k) y[k] += x[k];
    }
}

}  // namespace bench
