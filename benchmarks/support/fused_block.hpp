#pragma once
// Plain MPI, shared by reduce_check and checked_reduce: the block a fused length check reduces,
// the bounds of the ranks' lengths followed by doubles, the operation that merges two, and the
// checked all_reduce built from them; and the all_reduce checked by an agreement mark instead.
#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

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

// out[k] = the sum over ranks of in[k], k < n, with the lengths checked on the way: one
// MPI_Allreduce of a block (`type`, reduced by `merge`) holding the bounds and the first `ahead`
// doubles, then the rest with MPI_SUM. The blocks are the caller's, of the type's size.
inline void fused_allreduce(const double* in, double* out, std::size_t n, std::size_t ahead, char* block_in,
                            char* block_out, MPI_Datatype type, MPI_Op merge, MPI_Comm comm) {
    const block_header mine{n, ~std::uint64_t{n}};
    std::memcpy(block_in, &mine, sizeof mine);
    std::memcpy(block_in + sizeof mine, in, ahead * sizeof(double));
    MPI_Allreduce(block_in, block_out, 1, type, merge, comm);
    block_header all;
    std::memcpy(&all, block_out, sizeof all);
    if (all.longest != ~all.shortest_complement) MPI_Abort(comm, 3);
    std::memcpy(out, block_out + sizeof mine, ahead * sizeof(double));
    if (ahead < n) MPI_Allreduce(in + ahead, out + ahead, static_cast<int>(n - ahead), MPI_DOUBLE, MPI_SUM, comm);
}

// The sum over ranks of `in` (at least one double), with the lengths checked by a mark in the
// first element: NaN where a rank's length is not the one agreed on before (`agreed`, alike on
// every rank), which MPI_SUM keeps whatever it meets; reduced in place in the new result
// vector. A NaN in the result's first element would send the ranks to compare their lengths
// (here every call agrees and the data holds no NaN, so it aborts).
inline std::vector<double> marked_allreduce(const std::vector<double>& in, std::size_t agreed, MPI_Comm comm) {
    std::vector<double> out(in.begin(), in.begin() + static_cast<std::ptrdiff_t>(std::min(in.size(), agreed)));
    out.resize(agreed);
    if (in.size() != agreed) out.front() = std::numeric_limits<double>::quiet_NaN();
    MPI_Allreduce(MPI_IN_PLACE, out.data(), static_cast<int>(agreed), MPI_DOUBLE, MPI_SUM, comm);
    if (std::isnan(out.front())) MPI_Abort(comm, 3);
    return out;
}

}  // namespace bench
