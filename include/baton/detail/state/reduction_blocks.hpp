#pragma once
// What a communicator keeps for its length-checked reductions
// (collectives/length_checked_reduction.hpp).

#include <mpi.h>

#include <atomic>
#include <cstddef>

#include <baton/detail/mpi/check.hpp>

namespace baton::detail {

/// What a communicator keeps for its length-checked reductions: the length (bytes of elements)
/// its ranks agreed on last, and the MPI datatype of the block last reduced.
class reduction_blocks {
public:
    reduction_blocks() = default;
    reduction_blocks(const reduction_blocks&) = delete;
    reduction_blocks& operator=(const reduction_blocks&) = delete;

    /// Bytes of elements of the last agreed length: alike on every rank, since every rank sets
    /// it from the same check in the same order of collective calls.
    std::size_t agreed_bytes() const noexcept { return agreed_bytes_.load(std::memory_order_relaxed); }
    void agree_on(std::size_t bytes) noexcept { agreed_bytes_.store(bytes, std::memory_order_relaxed); }

    /// A committed contiguous datatype of `bytes` bytes, kept until another size is asked for.
    /// No lock: only collectives call it, and MPI forbids concurrent collectives on one
    /// communicator.
    MPI_Datatype type_of(int bytes) {
        if (type_ == MPI_DATATYPE_NULL || type_bytes_ != bytes) {
            free_type();
            MPI_Datatype fresh = MPI_DATATYPE_NULL;
            check_mpi(MPI_Type_contiguous(bytes, MPI_BYTE, &fresh), "MPI_Type_contiguous");
            check_mpi(MPI_Type_commit(&fresh), "MPI_Type_commit");
            type_ = fresh;
            type_bytes_ = bytes;
        }
        return type_;
    }

    /// Frees the datatype; called while MPI still runs (the communicator is being freed).
    void free_type() noexcept {
        if (type_ != MPI_DATATYPE_NULL) MPI_Type_free(&type_);
        type_ = MPI_DATATYPE_NULL;
    }

private:
    std::atomic<std::size_t> agreed_bytes_{0};
    MPI_Datatype type_ = MPI_DATATYPE_NULL;
    int type_bytes_ = 0;
};

}  // namespace baton::detail
