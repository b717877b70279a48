#pragma once
// The element-wise reduce and all_reduce of contiguous containers (a std::vector<double> with
// std::plus), with every rank's length checked on the way. Ranks passing MPI_Allreduce
// different counts is undefined behaviour (with MPICH a hang or garbage, not an error), so the
// lengths must be known to agree before MPI sees a count taken from them. A collective of its own for that
// doubled the time of a small reduction (benchmarks/reduce_check: 2-3x up to 512 B).
//
// Instead the lengths ride in the reduction. One MPI_Allreduce takes a block: the bounds of
// the ranks' lengths (the longest, and the complement of the shortest, both merged by max)
// followed by the first elements, reduced by an operation of baton's own that merges the
// bounds and applies Op to the elements. The block's size is a count MPI must see alike on
// every rank, so it cannot come from this call's lengths: it is the size the ranks agreed on in
// the previous reduction on this communicator, which every rank learned from that call's
// bounds. A program that reduces vectors of one length over and over (the common case) pays
// one MPI_Allreduce per call; elements beyond the block are reduced afterwards by MPI's own
// operation, once the bounds have shown that the lengths agree. The block goes to MPI as one
// element of a contiguous datatype, so no algorithm splits it.

#include <mpi.h>

#include <algorithm>
#include <atomic>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include <baton/detail/builtin_ops.hpp>
#include <baton/detail/byte_buffer.hpp>
#include <baton/detail/mpi_check.hpp>
#include <baton/error.hpp>

/// The largest block (bytes of elements) an all_reduce of vectors sends with its length
/// check: larger vectors are checked by a block of the bounds alone, then reduced by MPI's own
/// operation from where they lie. A block costs a copy of the elements into it and of the
/// result out of it into the new vector; at 32 KiB those copies cost more than the separate
/// check (all_reduce at 32 KiB: 1.06-1.13x raw MPI fused, 1.04-1.05x checked first, on both
/// MPIs, benchmarks/run_collectives.sh), while at 8 KiB and below the block wins
/// (benchmarks/reduce_check). From 256 KiB a single block cost 1.3-2x.
#ifndef BATON_FUSED_REDUCTION_LIMIT
#define BATON_FUSED_REDUCTION_LIMIT (std::size_t{16} << 10)
#endif

namespace baton::detail {

/// `n` as the count of one reduction call (`what`, on `rank` when known), or a usage_error.
inline int checked_int(std::size_t n, const char* what, int rank = -1) {
    if (n > static_cast<std::size_t>(INT_MAX)) {
        throw usage_error((rank >= 0 ? "rank " + std::to_string(rank) + ": " : std::string()) + what + ": " +
                          std::to_string(n) +
                          " elements in one reduction call exceed MPI's int counts; split the vector");
    }
    return static_cast<int>(n);
}

/// What a communicator keeps for its length-checked reductions: the block size its ranks agreed
/// on last, and the MPI datatype of a block of that size.
class reduction_blocks {
public:
    reduction_blocks() = default;
    reduction_blocks(const reduction_blocks&) = delete;
    reduction_blocks& operator=(const reduction_blocks&) = delete;

    /// Bytes of elements the next block carries: alike on every rank, since every rank sets it
    /// from the same bounds in the same order of collective calls.
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

/// The bounds of the ranks' lengths, at the start of every block.
struct length_bounds {
    std::uint64_t longest;
    std::uint64_t shortest_complement;  // ~shortest: merging by max then finds the shortest

    static length_bounds of(std::size_t length) noexcept { return {length, ~std::uint64_t{length}}; }
    std::uint64_t shortest() const noexcept { return ~shortest_complement; }
    bool agree() const noexcept { return longest == shortest(); }
};

/// Bytes of elements a block carries, given the size the ranks agreed on last: all of it up
/// to BATON_FUSED_REDUCTION_LIMIT, none above.
inline std::size_t block_capacity(std::size_t agreed_bytes) noexcept {
    if (agreed_bytes > BATON_FUSED_REDUCTION_LIMIT) return 0;
#if defined(OPEN_MPI)
    // Open MPI's shared-memory transport sends a message of up to 4 KiB, its own header
    // included, eagerly; a block just above that goes by rendezvous at each step of the
    // reduction (3.5x the time of MPI_SUM on 4 KiB). Such a block is cut to 2 KiB, the rest
    // left to MPI_SUM, which splits it below the limit (1.06-1.13x).
    if (agreed_bytes + sizeof(length_bounds) > 3968 && agreed_bytes < 8192) return 2032;
#endif
    return agreed_bytes;
}

/// MPI's callback for blocks of elements E reduced by Op (one of MPI's built-in operations,
/// so commutative and stateless): bounds merged by max, elements combined pairwise.
template <class Op, class E>
void merge_blocks(void* in, void* inout, int* count, MPI_Datatype* type) {
    int block_bytes = 0;
    MPI_Type_size(*type, &block_bytes);
    const auto elements = (static_cast<std::size_t>(block_bytes) - sizeof(length_bounds)) / sizeof(E);
    auto* from = static_cast<const char*>(in);
    auto* into = static_cast<char*>(inout);
    for (int b = 0; b < *count; ++b, from += block_bytes, into += block_bytes) {
        length_bounds x, y;
        std::memcpy(&x, from, sizeof x);
        std::memcpy(&y, into, sizeof y);
        y.longest = std::max(x.longest, y.longest);
        y.shortest_complement = std::max(x.shortest_complement, y.shortest_complement);
        std::memcpy(into, &y, sizeof y);
        // MPI hands the callback buffers it allocated or the caller's blocks, both aligned as
        // malloc aligns, and the elements start 16 bytes in.
        const auto* a = reinterpret_cast<const E*>(from + sizeof(length_bounds));
        auto* b_elements = reinterpret_cast<E*>(into + sizeof(length_bounds));
        for (std::size_t k = 0; k < elements; ++k) b_elements[k] = static_cast<E>(Op{}(a[k], b_elements[k]));
    }
}

/// The MPI operation for merge_blocks<Op, E>, made once per process.
template <class Op, class E>
MPI_Op block_operation() {
    static const MPI_Op op = [] {
        MPI_Op made = MPI_OP_NULL;
        check_mpi(MPI_Op_create(&merge_blocks<Op, E>, 1, &made), "MPI_Op_create");
        return made;
    }();
    return op;
}

/// The blocks a thread sends and receives, kept between calls.
struct reduction_block_buffers {
    byte_buffer in;
    byte_buffer out;
};
inline reduction_block_buffers& block_buffers() {
    thread_local reduction_block_buffers buffers;
    return buffers;
}

/// out[k] = Op over every rank's in[k] for k < n, on every rank of comm (root < 0) or on root
/// (elsewhere out means nothing). Throws usage_error on every rank, together, when the ranks'
/// lengths differ. The block goes to every rank in either case, so that every rank learns
/// the bounds and the agreed size; in a reduce to one root, the elements beyond the block go
/// to the root alone (MPI_Reduce).
template <class Op, class E>
void length_checked_reduce(const E* in, E* out, std::size_t n, int root, reduction_blocks& blocks, MPI_Comm comm,
                           int rank) {
    const std::size_t capacity = block_capacity(blocks.agreed_bytes()) / sizeof(E);
    const std::size_t ahead = std::min(n, capacity);
    const std::size_t block_bytes = sizeof(length_bounds) + capacity * sizeof(E);
    auto& buffers = block_buffers();
    buffers.in.resize(block_bytes);
    buffers.out.resize(block_bytes);
    const length_bounds mine = length_bounds::of(n);
    std::memcpy(buffers.in.data(), &mine, sizeof mine);
    char* elements_in = buffers.in.data() + sizeof(length_bounds);
    if (ahead != 0) std::memcpy(elements_in, in, ahead * sizeof(E));
    // Past a shorter vector the block is zeros: Op then runs on defined values, and the
    // result is thrown away (the lengths differ). Not a call at all in the common case.
    if (capacity > ahead) std::memset(elements_in + ahead * sizeof(E), 0, (capacity - ahead) * sizeof(E));
    check_mpi(MPI_Allreduce(buffers.in.data(), buffers.out.data(), 1, blocks.type_of(static_cast<int>(block_bytes)),
                            block_operation<Op, E>(), comm),
              "MPI_Allreduce");
    length_bounds all;
    std::memcpy(&all, buffers.out.data(), sizeof all);
    if (!all.agree()) {
        throw usage_error("rank " + std::to_string(rank) +
                          ": element-wise reduction needs vectors of one length on every rank; lengths run from " +
                          std::to_string(all.shortest()) + " to " + std::to_string(all.longest) + ", this rank has " +
                          std::to_string(n));
    }
    if (ahead != 0) std::memcpy(out, buffers.out.data() + sizeof(length_bounds), ahead * sizeof(E));
    if (n > ahead) {
        const std::size_t rest = n - ahead;
        const int count = checked_int(rest, root < 0 ? "all_reduce" : "reduce", rank);
        const MPI_Datatype type = builtin_reduction<Op, E>::type();
        const MPI_Op op = builtin_reduction<Op, E>::op();
        if (root < 0) {
            check_mpi(MPI_Allreduce(in + ahead, out + ahead, count, type, op, comm), "MPI_Allreduce");
        } else {
            check_mpi(MPI_Reduce(in + ahead, out + ahead, count, type, op, root, comm), "MPI_Reduce");
        }
    }
    blocks.agree_on(n * sizeof(E));
}

}  // namespace baton::detail
