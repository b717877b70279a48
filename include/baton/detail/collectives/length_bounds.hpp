#pragma once
// The bounds of the ranks' lengths (the longest and the shortest), merged by one maximum: how
// every length-checked collective learns whether the ranks' vectors agree before MPI sees a
// count taken from them.

#include <mpi.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include <baton/detail/mpi/check.hpp>
#include <baton/error.hpp>

namespace baton::detail {

/// The bounds of the ranks' lengths, at the start of every block.
struct length_bounds {
    std::uint64_t longest;
    std::uint64_t shortest_complement;  // ~shortest: merging by max then finds the shortest

    static length_bounds of(std::size_t length) noexcept { return {length, ~std::uint64_t{length}}; }
    std::uint64_t shortest() const noexcept { return ~shortest_complement; }
    bool agree() const noexcept { return longest == shortest(); }
};

/// The bounds of every rank's length `n`, learned by all of comm's ranks in one MPI_Allreduce.
inline length_bounds exchange_bounds(std::size_t n, MPI_Comm comm) {
    length_bounds both = length_bounds::of(n);
    static_assert(sizeof both == 2 * sizeof(std::uint64_t));
    check_mpi(MPI_Allreduce(MPI_IN_PLACE, &both, 2, MPI_UINT64_T, MPI_MAX, comm), "MPI_Allreduce");
    return both;
}

/// Throws usage_error, naming the bounds and this rank's length n, unless every rank's agrees.
inline void require_one_length(const length_bounds& all, std::size_t n, int rank) {
    if (all.agree()) return;
    throw usage_error("rank " + std::to_string(rank) +
                      ": element-wise reduction needs vectors of one length on every rank; lengths run from " +
                      std::to_string(all.shortest()) + " to " + std::to_string(all.longest) + ", this rank has " +
                      std::to_string(n));
}

}  // namespace baton::detail
