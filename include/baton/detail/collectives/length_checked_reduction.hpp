#pragma once
// The element-wise reduce and all_reduce of contiguous containers (a std::vector<double> with
// std::plus), with every rank's length checked on the way. Ranks passing MPI_Allreduce
// different counts is undefined behaviour (with MPICH a hang or garbage, not an error), so the
// lengths must be known to agree before MPI sees a count taken from them. A collective of its
// own for that would double the time of a small reduction (docs/performance.md, "Checking
// lengths in an all_reduce").
//
// Instead the check rides in the reduction, whose count MPI must see alike on every rank before
// the lengths are known: it is the length the ranks agreed on in the previous reduction on this
// communicator, which every rank learned from that call. A program that reduces vectors of one
// length over and over (the common case) pays one MPI_Allreduce per call. Two ways:
// - an agreement mark (marked_all_reduce, all_reduce only): the elements themselves, reduced by
//   MPI's own operation, with a value in the first element (or one element more) by which a
//   rank whose length changed tells every rank;
// - a block (length_checked_reduce): the bounds of the ranks' lengths (the longest, and the
//   complement of the shortest, both merged by max) followed by the first elements, reduced by
//   an operation of baton's own that merges the bounds and applies Op to the elements. The
//   block goes to MPI as one element of a contiguous datatype, so no algorithm splits it;
//   elements beyond it are reduced afterwards by MPI's own operation, once the bounds have
//   shown that the lengths agree.
// checked_all_reduce picks one by the agreed length, from the measurements in
// docs/performance.md ("baton's all_reduce against the same checked job in plain MPI").

#include <mpi.h>

#include <algorithm>
#include <atomic>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <type_traits>

#include <baton/config.hpp>
#include <baton/detail/byte_buffer.hpp>
#include <baton/detail/collectives/builtin_ops.hpp>
#include <baton/detail/collectives/length_bounds.hpp>
#include <baton/detail/mpi/check.hpp>
#include <baton/detail/state/reduction_blocks.hpp>
#include <baton/error.hpp>

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

/// Bytes of elements a block carries, given the size the ranks agreed on last: all of it up
/// to config::fused_reduction_limit, none above.
inline std::size_t block_capacity(std::size_t agreed_bytes) noexcept {
    if (agreed_bytes > config::fused_reduction_limit) return 0;
    if constexpr (config::open_mpi) {
        // A block just above Open MPI's shared-memory eager limit (its own header included)
        // goes by rendezvous at each step of the reduction, which costs several times MPI's
        // own operation on the same bytes (docs/performance.md, "Collectives"). Such a block is
        // cut to half the limit, the rest left to MPI's operation, which splits it below it.
        constexpr std::size_t eager = config::open_mpi_shared_memory_eager_limit;
        constexpr std::size_t room = eager - config::open_mpi_shared_memory_header;
        if (agreed_bytes + sizeof(length_bounds) > room && agreed_bytes < 2 * eager) {
            return eager / 2 - sizeof(length_bounds);
        }
    }
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
    require_one_length(all, n, rank);
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

/// How an all_reduce marks a rank whose length is not the one the ranks agreed on last, so
/// that MPI's own operation Op tells every rank. Where Op has a value that wins whatever it
/// meets (NaN in a floating sum or product, the largest value in a maximum, the lowest in a
/// signed minimum), that value goes in the rank's first element and the reduction carries no
/// more elements than the data; a reduced first element holding it may also be the data's own,
/// which costs the ranks a comparison of lengths, never a wrong result. Otherwise the mark is one
/// element more: `agreed` or `changed`, chosen so that it reduces to `agreed` only when every
/// rank's does. MPI_BXOR has neither (two changed marks cancel), nor has a sum of integers
/// narrower than int (enough changed marks wrap around to zero).
template <class Op, class E, class = void>
struct agreement_mark {
    static constexpr bool available = false;
};
template <class Op, class E>
struct agreement_mark<Op, E, std::enable_if_t<has_builtin_op_v<Op, E> && !std::is_same_v<E, bool>>> {
private:
    static constexpr bool is_sum = is_std_op_for_v<Op, E, std::plus>;
    static constexpr bool is_product = is_std_op_for_v<Op, E, std::multiplies>;
    static constexpr bool is_xor = is_std_op_for_v<Op, E, std::bit_xor>;
    // Reduced by MPI_PROD, MPI_MIN, MPI_LAND or MPI_BAND, one zero wins.
    static constexpr bool zero_wins = is_product || std::is_same_v<Op, minimum> ||
                                      is_std_op_for_v<Op, E, std::logical_and> || is_std_op_for_v<Op, E, std::bit_and>;
    // NaN is recognised by its bits, which -ffast-math cannot fold away; long double's bits vary.
    static constexpr bool is_binary_float = std::is_same_v<E, float> || std::is_same_v<E, double>;

public:
    static constexpr bool in_first_element =
        (is_binary_float && (is_sum || is_product)) ||
        (std::is_integral_v<E> &&
         (std::is_same_v<Op, maximum> || (std::is_signed_v<E> && std::is_same_v<Op, minimum>)));
    static constexpr bool available =
        in_first_element || (!is_xor && !(is_sum && std::is_integral_v<E> && sizeof(E) < sizeof(int)));

    /// The mark of a changed length.
    static E changed() noexcept {
        if constexpr (is_binary_float && in_first_element) {
            return std::numeric_limits<E>::quiet_NaN();
        } else if constexpr (in_first_element) {
            return std::is_same_v<Op, maximum> ? std::numeric_limits<E>::max() : std::numeric_limits<E>::lowest();
        } else {
            return zero_wins ? E{0} : E{1};
        }
    }
    /// The appended mark of a rank that kept the agreed length.
    static E agreed() noexcept { return zero_wins ? E{1} : E{0}; }

    /// Whether a reduced mark says that some rank's length may have changed.
    static bool may_have_changed(E reduced) noexcept {
        if constexpr (is_binary_float && in_first_element) {
            using bits_type = std::conditional_t<sizeof(E) == 4, std::uint32_t, std::uint64_t>;
            constexpr int mantissa_bits = std::numeric_limits<E>::digits - 1;
            constexpr bits_type exponent = ((bits_type{1} << (sizeof(E) * CHAR_BIT - 1 - mantissa_bits)) - 1)
                                           << mantissa_bits;
            bits_type bits;
            std::memcpy(&bits, &reduced, sizeof bits);
            return (bits & exponent) == exponent && (bits & ((bits_type{1} << mantissa_bits) - 1)) != 0;
        } else if constexpr (in_first_element) {
            return reduced == changed();
        } else {
            return reduced != agreed();
        }
    }
};

/// A copy of `in` reduced by Op's MPI operation in place, on every rank of comm, once the
/// ranks' lengths are known to agree; that length becomes the agreed one.
template <class Op, class Container>
Container reduce_agreed_length(const Container& in, reduction_blocks& blocks, MPI_Comm comm, int rank) {
    using E = typename Container::value_type;
    const int count = checked_int(in.size(), "all_reduce", rank);
    Container out = in;
    check_mpi(MPI_Allreduce(MPI_IN_PLACE, out.data(), count, builtin_reduction<Op, E>::type(),
                            builtin_reduction<Op, E>::op(), comm),
              "MPI_Allreduce");
    blocks.agree_on(in.size() * sizeof(E));
    return out;
}

/// out = Op over every rank's `in`, element-wise, on every rank, when the ranks' lengths agree;
/// usage_error on every rank when they differ. Needs agreement_mark<Op, E>, and the agreed
/// length (alike on every rank) at most config::marked_reduction_limit.
///
/// One MPI_Allreduce with MPI's own operation, in place on `out`: a copy of `in`, marked. The
/// count MPI sees must be alike on every rank before the lengths are known, so it is the length
/// agreed on last (plus an appended mark). In the common case (the length of the last call)
/// that is the whole job; the copy is the one MPI would make of a separate input anyway, and
/// `out` is never zero-filled. A rank whose length is another sends its first elements, padded
/// with zeros to the agreed count (the result is thrown away), and marks the change; every rank
/// then learns the bounds of the lengths, so all throw alike, or, when the length changed alike
/// everywhere, reduce again at the new length, which becomes the agreed one.
template <class Op, class Container>
Container marked_all_reduce(const Container& in, reduction_blocks& blocks, MPI_Comm comm, int rank) {
    using E = typename Container::value_type;
    using mark = agreement_mark<Op, E>;
    static_assert(mark::available);
    const std::size_t agreed_bytes = blocks.agreed_bytes();
    const std::size_t agreed = agreed_bytes / sizeof(E);
    const std::size_t n = in.size();
    const bool mine_agrees = n * sizeof(E) == agreed_bytes;
    const bool mark_first = mark::in_first_element && agreed != 0;
    const MPI_Datatype type = builtin_reduction<Op, E>::type();
    const MPI_Op op = builtin_reduction<Op, E>::op();
    // The common case, built in one step: a copy of the agreed length with the mark in it.
    Container out = mine_agrees && mark_first ? in : Container();
    if (!(mine_agrees && mark_first)) {
        out.reserve(agreed + (mark_first ? 0 : 1));
        out.assign(in.begin(), in.begin() + static_cast<std::ptrdiff_t>(std::min(n, agreed)));
        out.resize(agreed);
        if (mark_first) {
            out.front() = mark::changed();
        } else {
            out.push_back(mine_agrees ? mark::agreed() : mark::changed());
        }
    }
    check_mpi(MPI_Allreduce(MPI_IN_PLACE, out.data(), static_cast<int>(out.size()), type, op, comm), "MPI_Allreduce");
    const bool may_have_changed = mark::may_have_changed(mark_first ? out.front() : out.back());
    if (!mark_first) out.pop_back();
    if (!may_have_changed) return out;
    require_one_length(exchange_bounds(n, comm), n, rank);
    if (mine_agrees) return out;  // so every rank's does: the data held the mark's value
    return reduce_agreed_length<Op>(in, blocks, comm, rank);
}

/// out = Op over every rank's `in`, element-wise, on every rank (Op one of MPI's own
/// operations), with the ranks' lengths checked on the way the measurements favour for the
/// length agreed on last (alike on every rank, so every rank takes the same way):
/// - up to config::marked_reduction_limit, an agreement mark (marked_all_reduce);
/// - except on MPICH-family MPIs from two elements to config::fused_reduction_limit, where MPICH
///   reduces baton's block faster than its own MPI_SUM reduces the bare elements at 2 ranks,
///   and for operations without a mark: the fused block (length_checked_reduce);
/// - above the limit, the bounds first (an MPI_Allreduce of 16 bytes, small beside the
///   reduction there), then the reduction in place on a copy, which is never zero-filled.
template <class Op, class Container>
Container checked_all_reduce(const Container& in, reduction_blocks& blocks, MPI_Comm comm, int rank) {
    using E = typename Container::value_type;
    const std::size_t agreed_bytes = blocks.agreed_bytes();
    const std::size_t n = in.size();
    if (agreed_bytes > config::marked_reduction_limit) {
        require_one_length(exchange_bounds(n, comm), n, rank);
        return reduce_agreed_length<Op>(in, blocks, comm, rank);
    }
    const bool block_wins =
        !config::open_mpi && agreed_bytes > sizeof(E) && agreed_bytes <= config::fused_reduction_limit;
    if constexpr (agreement_mark<Op, E>::available) {
        if (!block_wins) return marked_all_reduce<Op>(in, blocks, comm, rank);
    }
    Container out;
    out.resize(n);
    length_checked_reduce<Op>(in.data(), out.data(), n, -1, blocks, comm, rank);
    return out;
}

}  // namespace baton::detail
