#pragma once
// The collective operations behind basic_comm's collectives. Plain values map straight onto
// MPI's collectives. Contiguous containers travel as their bytes and serialized payloads as
// their encoding (the comm's Encoding), with the lengths exchanged for the caller. A piece too
// long for MPI's int counts goes in rounds, each small enough that every count and
// displacement of the round fits an int.

#include <mpi.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <baton/config.hpp>
#include <baton/detail/byte_buffer.hpp>
#include <baton/detail/codec/payload_parts.hpp>
#include <baton/detail/codec/payload_traits.hpp>
#include <baton/detail/collectives/builtin_ops.hpp>
#include <baton/detail/collectives/length_checked_reduction.hpp>
#include <baton/detail/collectives/piece_codec.hpp>
#include <baton/detail/mpi/check.hpp>
#include <baton/detail/mpi/count_type.hpp>
#include <baton/detail/p2p/incoming.hpp>
#include <baton/detail/scratch.hpp>
#include <baton/detail/state/comm_state.hpp>
#include <baton/error.hpp>
#include <baton/type_name.hpp>
#include <baton/wire/encodings.hpp>

namespace baton::detail {

/// Where the result of a gather or a reduction goes: to one root rank, or to every rank.
class destination {
public:
    static destination root(int rank) noexcept { return destination(rank); }
    static destination every_rank() noexcept { return destination(everyone); }

    bool is_every_rank() const noexcept { return root_ == everyone; }
    /// The root's rank; only for a destination made by root().
    int root_rank() const noexcept { return root_; }
    /// True when `rank` gets the result.
    bool includes(int rank) const noexcept { return root_ == everyone || root_ == rank; }

private:
    static constexpr int everyone = -1;
    explicit destination(int root) noexcept : root_(root) {}
    int root_;
};

/// Bytes from every rank, one after another: rank r's are at data(r), sizes[r] of them.
struct pieces_from_all {
    byte_buffer bytes;
    std::vector<std::size_t> sizes;
    std::vector<std::size_t> offsets;

    void lay_out(const std::vector<std::uint64_t>& from_each) {
        sizes.assign(from_each.begin(), from_each.end());
        offsets.resize(sizes.size());
        std::size_t total = 0;
        for (std::size_t r = 0; r < sizes.size(); ++r) {
            offsets[r] = total;
            total += sizes[r];
        }
        bytes.resize(total);
    }
    const char* data(std::size_t r) const { return bytes.data() + offsets[r]; }
};

/// The buffers a thread's blocking gathers encode into and receive into, kept between calls.
struct kept_gather_buffers {
    byte_buffer encoded;
    byte_buffer received;
    std::vector<std::uint64_t> sizes;  // every rank's bytes
    std::vector<int> counts;           // an in-place gather's, per rank
    std::vector<int> displacements;
    std::vector<MPI_Message> messages;  // a gather by messages': the root's, per rank
    std::vector<MPI_Request> requests;
#if BATON_LARGE_COUNT_COLLECTIVES
    std::vector<MPI_Count> large_counts;
    std::vector<MPI_Aint> large_displacements;
#endif
};
inline kept_gather_buffers& kept_buffers() {
    thread_local kept_gather_buffers buffers;
    return buffers;
}

/// Byte counts of one round: per rank, and where each rank's part starts.
struct round_layout {
    std::vector<int> counts;
    std::vector<int> displacements;
    std::size_t total = 0;

    /// Round `round` of pieces of the given sizes, at most `limit` bytes of each.
    template <class Size>
    void of(const std::vector<Size>& sizes, std::size_t round, std::size_t limit) {
        counts.resize(sizes.size());
        displacements.resize(sizes.size());
        total = 0;
        for (std::size_t r = 0; r < sizes.size(); ++r) {
            counts[r] = part(static_cast<std::size_t>(sizes[r]), round, limit);
            displacements[r] = static_cast<int>(total);
            total += static_cast<std::size_t>(counts[r]);
        }
    }

    /// The bytes of a piece of `size` that go in round `round`.
    static int part(std::size_t size, std::size_t round, std::size_t limit) {
        const std::size_t begin = round * limit;
        return begin >= size ? 0 : static_cast<int>(std::min(limit, size - begin));
    }
};

template <class Encoding>
class collectives {
public:
    collectives(MPI_Comm comm, comm_state& state, int rank, int size)
        : comm_(comm), state_(&state), rank_(rank), size_(size) {}

    template <class T>
    void broadcast(T& value, int root) const {
        if (size_ == 1) return;  // the root's value is everyone's already: nothing to encode
        if constexpr (kind_v<T> == payload_kind::fixed) {
            check_mpi(MPI_Bcast(&value, static_cast<int>(sizeof(T)), MPI_BYTE, root, comm_), "MPI_Bcast");
        } else if constexpr (travels_in_parts_v<T> && std::is_same_v<Encoding, wire::native_encoding>) {
            broadcast_in_parts(value, root);
        } else {
            piece mine;
            if (rank_ == root) mine = bytes_of(value);
            std::uint64_t n = mine.size;
            check_mpi(MPI_Bcast(&n, 1, MPI_UINT64_T, root, comm_), "MPI_Bcast");
            if (rank_ == root) {
                broadcast_bytes(const_cast<char*>(mine.data), mine.size, root);  // read on the root
            } else if constexpr (kind_v<T> == payload_kind::contiguous) {
                value.resize(static_cast<std::size_t>(n) / sizeof(typename contiguous_container<T>::element_type));
                broadcast_bytes(reinterpret_cast<char*>(value.data()), static_cast<std::size_t>(n), root);
            } else {
                byte_buffer bytes(static_cast<std::size_t>(n));
                broadcast_bytes(bytes.data(), bytes.size(), root);
                from_bytes(bytes.data(), bytes.size(), value, root, "broadcast");
            }
        }
    }

    /// Values of every rank in rank order, on the ranks `to` includes (empty elsewhere).
    template <class T>
    std::vector<T> gather(const T& value, destination to) const {
        std::vector<T> all;
        const bool receives = to.includes(rank_);
        if constexpr (kind_v<T> == payload_kind::fixed) {
            if (receives) all.resize(static_cast<std::size_t>(size_));
            const int bytes = static_cast<int>(sizeof(T));
            if (to.is_every_rank()) {
                check_mpi(MPI_Allgather(&value, bytes, MPI_BYTE, all.data(), bytes, MPI_BYTE, comm_), "MPI_Allgather");
            } else {
                check_mpi(MPI_Gather(&value, bytes, MPI_BYTE, all.data(), bytes, MPI_BYTE, to.root_rank(), comm_),
                          "MPI_Gather");
            }
        } else {
            // The encoding and the gathered bytes go into buffers this thread keeps between
            // calls: fresh ones faulted in new pages on every call (a tenth of the time of a
            // string gather, by perf).
            auto& kept = kept_buffers();
            piece mine;
            if constexpr (kind_v<T> == payload_kind::contiguous) {
                mine = bytes_of(value);
            } else {
                mine.storage.swap(kept.encoded);
                mine.storage.clear();
                Encoding::save(comm_, mine.storage, value);
                mine.data = mine.storage.data();
                mine.size = mine.storage.size();
            }
#if BATON_LARGE_COUNT_COLLECTIVES
            gather_in_one_call(value, mine, to, kept, all);
#else
            if (!to.is_every_rank()) {
                gather_by_messages(value, mine, to.root_rank(), kept, all);
            } else {
                // Every rank learns every size: all must agree on rounds and on the path.
                std::vector<std::uint64_t>& sizes = kept.sizes;
                sizes.resize(static_cast<std::size_t>(size_));
                const std::uint64_t my_size = mine.size;
                check_mpi(MPI_Allgather(&my_size, 1, MPI_UINT64_T, sizes.data(), 1, MPI_UINT64_T, comm_),
                          "MPI_Allgather");
                bool done = false;
                if constexpr (kind_v<T> == payload_kind::contiguous) done = all_gather_into_place(value, sizes, all);
                if (!done) {  // one round of bytes, or several
                    pieces_from_all got;
                    got.bytes.swap(kept.received);
                    all_gather_bytes(mine, sizes, got);
                    decode_all(got, all);
                    kept.received.swap(got.bytes);
                }
            }
#endif
            kept.encoded.swap(mine.storage);
            trim_scratch(kept.encoded);
            trim_scratch(kept.received);
        }
        return all;
    }

    /// values[r] to rank r; `values` is read on root only and must hold size() values.
    template <class T>
    T scatter(const std::vector<T>& values, int root) const {
        // Every rank learns whether root's input is usable, so all throw together, none hangs.
        int ok = rank_ != root || values.size() == static_cast<std::size_t>(size_);
        check_mpi(MPI_Bcast(&ok, 1, MPI_INT, root, comm_), "MPI_Bcast");
        if (!ok) {
            throw usage_error("rank " + std::to_string(rank_) + ": scatter from rank " + std::to_string(root) +
                              " needs one value per rank (" + std::to_string(size_) + "), root passed " +
                              (rank_ == root ? std::to_string(values.size()) : std::string("another number")));
        }
        T out{};
        if constexpr (kind_v<T> == payload_kind::fixed) {
            const int bytes = static_cast<int>(sizeof(T));
            check_mpi(MPI_Scatter(values.data(), bytes, MPI_BYTE, &out, bytes, MPI_BYTE, root, comm_), "MPI_Scatter");
        } else {
            std::vector<piece> parts;
            if (rank_ == root) {
                parts.reserve(values.size());
                for (const auto& v : values) parts.push_back(bytes_of(v));
            }
            const byte_buffer mine = scatter_bytes(parts, root);
            from_bytes(mine.data(), mine.size(), out, root, "scatter");
        }
        return out;
    }

    /// to_each[r] to rank r, from every rank; got[r] came from rank r. `to_each` holds size()
    /// values (the caller checks).
    template <class T>
    std::vector<T> all_to_all(const std::vector<T>& to_each) const {
        std::vector<T> got(static_cast<std::size_t>(size_));
        if constexpr (kind_v<T> == payload_kind::fixed) {
            const int bytes = static_cast<int>(sizeof(T));
            check_mpi(MPI_Alltoall(to_each.data(), bytes, MPI_BYTE, got.data(), bytes, MPI_BYTE, comm_),
                      "MPI_Alltoall");
        } else {
            std::vector<piece> parts;
            parts.reserve(to_each.size());
            for (const auto& v : to_each) parts.push_back(bytes_of(v));
            const pieces_from_all in = all_to_all_bytes(parts);
            for (std::size_t r = 0; r < got.size(); ++r) {
                from_bytes(in.data(r), in.sizes[r], got[r], static_cast<int>(r), "all_to_all");
            }
        }
        return got;
    }

    /// The reduction of every rank's value, on `root`; empty elsewhere.
    template <class T, class Op>
    std::optional<T> reduce(const T& value, Op op, int root) const {
        T result = reduce_to(value, op, destination::root(root));
        if (rank_ != root) return std::nullopt;
        return result;
    }

    /// The reduction of every rank's value, on every rank.
    template <class T, class Op>
    T all_reduce(const T& value, Op op) const {
        return reduce_to(value, op, destination::every_rank());
    }

    /// op over the values of ranks 0..rank(), on each rank.
    template <class T, class Op>
    T scan(const T& value, Op op) const {
        using E = typename unit_of<T>::type;
        if constexpr (kind_v<T> != payload_kind::serialized && builtin_reduction<Op, E>::available) {
            return builtin_prefix<Op>(value, &MPI_Scan, "MPI_Scan");
        } else {
            return fold(gather(value, destination::every_rank()), op, static_cast<std::size_t>(rank_) + 1);
        }
    }

    /// op over the values of ranks 0..rank()-1, on each rank; empty on rank 0.
    template <class T, class Op>
    std::optional<T> exscan(const T& value, Op op) const {
        using E = typename unit_of<T>::type;
        if constexpr (kind_v<T> != payload_kind::serialized && builtin_reduction<Op, E>::available) {
            T out = builtin_prefix<Op>(value, &MPI_Exscan, "MPI_Exscan");
            if (rank_ == 0) return std::nullopt;  // MPI leaves rank 0's result undefined
            return out;
        } else {
            auto all = gather(value, destination::every_rank());
            if (rank_ == 0) return std::nullopt;
            return fold(std::move(all), op, static_cast<std::size_t>(rank_));
        }
    }

private:
    using prefix_call = int (*)(const void*, void*, int, MPI_Datatype, MPI_Op, MPI_Comm);

    /// MPI_Scan or MPI_Exscan with MPI's own operation for Op.
    template <class Op, class T>
    T builtin_prefix(const T& value, prefix_call call, const char* name) const {
        using E = typename unit_of<T>::type;
        T out = result_like(value);
        const int n = elementwise_count(value);
        check_mpi(call(elements(value), elements(out), n, builtin_reduction<Op, E>::type(),
                       builtin_reduction<Op, E>::op(), comm_),
                  name);
        return out;
    }

    /// The reduction, on the ranks `to` includes; what the others get means nothing.
    template <class T, class Op>
    T reduce_to(const T& value, Op op, destination to) const {
        using E = typename unit_of<T>::type;
        if constexpr (kind_v<T> == payload_kind::contiguous && has_builtin_op_v<Op, E> && !std::is_same_v<E, bool>) {
            if (to.is_every_rank()) return checked_all_reduce<Op>(value, state_->reductions, comm_, rank_);
            T out = result_like(value);
            length_checked_reduce<Op>(value.data(), out.data(), value.size(), to.root_rank(), state_->reductions, comm_,
                                      rank_);
            return out;
        }
        if constexpr (kind_v<T> != payload_kind::serialized && builtin_reduction<Op, E>::available) {
            T out = result_like(value);
            const int n = elementwise_count(value);
            const MPI_Datatype type = builtin_reduction<Op, E>::type();
            const MPI_Op mpi_op = builtin_reduction<Op, E>::op();
            if (to.is_every_rank()) {
                check_mpi(MPI_Allreduce(elements(value), elements(out), n, type, mpi_op, comm_), "MPI_Allreduce");
            } else {
                check_mpi(MPI_Reduce(elements(value), elements(out), n, type, mpi_op, to.root_rank(), comm_),
                          "MPI_Reduce");
            }
            return out;
        } else {
            // Any other operation: gathered and folded in rank order, the same result on every run.
            std::vector<T> all = gather(value, to);
            if (!to.includes(rank_)) return T{};
            const std::size_t count = all.size();
            return fold(std::move(all), op, count);
        }
    }

    /// A value of value's length for MPI to write a reduction into: a vector is sized, not
    /// copied (a copy reads the input once more; the raw baseline's zero-fill only writes).
    template <class T>
    static T result_like(const T& value) {
        if constexpr (kind_v<T> == payload_kind::contiguous) {
            T out;
            out.resize(value.size());
            return out;
        } else {
            return value;
        }
    }

    /// op over the first `count` values, in order.
    template <class T, class Op>
    static T fold(std::vector<T> values, Op& op, std::size_t count) {
        T acc = std::move(values.front());
        for (std::size_t r = 1; r < count; ++r) acc = op(acc, values[r]);
        return acc;
    }

    /// Elements in an element-wise reduction; every rank must contribute the same number.
    template <class T>
    int elementwise_count(const T& value) const {
        if constexpr (kind_v<T> == payload_kind::contiguous) {
            require_one_length(exchange_bounds(value.size(), comm_), value.size(), rank_);
            return checked_int(value.size(), "reduce", rank_);
        } else {
            return 1;
        }
    }
    template <class T>
    static const void* elements(const T& value) {
        if constexpr (kind_v<T> == payload_kind::contiguous) {
            return value.data();
        } else {
            return &value;
        }
    }
    template <class T>
    static void* elements(T& value) {
        if constexpr (kind_v<T> == payload_kind::contiguous) {
            return value.data();
        } else {
            return &value;
        }
    }

    template <class T>
    piece bytes_of(const T& value) const {
        return encode_piece<Encoding>(comm_, value);
    }
    template <class T>
    void from_bytes(const char* data, std::size_t size, T& out, int from, const char* call) const {
        decode_piece<Encoding>(comm_, data, size, out, rank_, from, call);
    }

    /// Sizes each of `all`'s vectors for its rank's piece of `sizes[r]` bytes (whole elements)
    /// and returns the lowest address among the non-empty ones, from which a gather's
    /// displacements count (null when every piece is empty). With `own`, this rank's vector is
    /// a copy of it, made without zero-filling first, for a receive that leaves it be
    /// (MPI_IN_PLACE, or a gather by messages).
    template <class T>
    char* size_for_pieces(std::vector<T>& all, const std::vector<std::uint64_t>& sizes, const T* own = nullptr) const {
        using E = typename contiguous_container<T>::element_type;
        all.resize(sizes.size());
        char* lowest = nullptr;
        for (std::size_t r = 0; r < sizes.size(); ++r) {
            if (own != nullptr && static_cast<int>(r) == rank_) {
                all[r] = *own;
            } else {
                all[r].resize(static_cast<std::size_t>(sizes[r]) / sizeof(E));
            }
            auto* at = reinterpret_cast<char*>(all[r].data());
            if (sizes[r] != 0 && (lowest == nullptr || at < lowest)) lowest = at;
        }
        return lowest;
    }

    /// True when every rank's piece is whole elements of T's, so it can land in a vector as is.
    template <class T>
    static bool whole_elements(const std::vector<std::uint64_t>& sizes) {
        using E = typename contiguous_container<T>::element_type;
        return std::all_of(sizes.begin(), sizes.end(), [](std::uint64_t bytes) { return bytes % sizeof(E) == 0; });
    }

#if BATON_LARGE_COUNT_COLLECTIVES
    /// A gather in one MPI-4 large-count call (MPI_Gatherv_c, MPI_Allgatherv_c), whose counts and
    /// displacements (MPI_Count, MPI_Aint) hold any size and any distance. So no sender needs
    /// the other ranks' sizes (they go to the root with MPI_Gather, as raw MPI would gather
    /// counts), no piece goes in rounds, and each receiver decides alone where the pieces land:
    /// straight into the result's vectors (displacements from the lowest of them), or, for a
    /// serialized payload or a piece that is not whole elements, into a kept buffer to decode.
    template <class T>
    void gather_in_one_call(const T& value, const piece& mine, destination to, kept_gather_buffers& kept,
                            std::vector<T>& all) const {
        const auto ranks = static_cast<std::size_t>(size_);
        const bool receives = to.includes(rank_);
        std::vector<std::uint64_t>& sizes = kept.sizes;
        sizes.resize(ranks);
        const std::uint64_t my_size = mine.size;
        if (to.is_every_rank()) {
            check_mpi(MPI_Allgather(&my_size, 1, MPI_UINT64_T, sizes.data(), 1, MPI_UINT64_T, comm_), "MPI_Allgather");
        } else {
            check_mpi(MPI_Gather(&my_size, 1, MPI_UINT64_T, sizes.data(), 1, MPI_UINT64_T, to.root_rank(), comm_),
                      "MPI_Gather");
        }
        std::vector<MPI_Count>& counts = kept.large_counts;
        std::vector<MPI_Aint>& displacements = kept.large_displacements;
        char* base = nullptr;
        bool in_place = false;
        if (receives) {
            counts.assign(sizes.begin(), sizes.end());
            displacements.assign(ranks, 0);
            if constexpr (kind_v<T> == payload_kind::contiguous) {
                in_place = whole_elements<T>(sizes);
                if (in_place) {
                    // Every receiver decides alike (from the sizes), so MPI_IN_PLACE is on every
                    // receiver of an all_gather, as the standard asks.
                    base = size_for_pieces(all, sizes, &value);
                    for (std::size_t r = 0; r < ranks; ++r) {
                        if (sizes[r] != 0) displacements[r] = reinterpret_cast<char*>(all[r].data()) - base;
                    }
                }
            }
            if (!in_place) {
                std::size_t total = 0;
                for (std::size_t r = 0; r < ranks; ++r) {
                    displacements[r] = static_cast<MPI_Aint>(total);
                    total += static_cast<std::size_t>(sizes[r]);
                }
                kept.received.resize(total);
                base = kept.received.data();
            }
        }
        const auto send_count = static_cast<MPI_Count>(mine.size);
        const void* send = in_place ? MPI_IN_PLACE : mine.data;
        if (to.is_every_rank()) {
            check_mpi(MPI_Allgatherv_c(send, send_count, MPI_BYTE, base, counts.data(), displacements.data(), MPI_BYTE,
                                       comm_),
                      "MPI_Allgatherv_c");
        } else {
            check_mpi(MPI_Gatherv_c(send, send_count, MPI_BYTE, base, counts.data(), displacements.data(), MPI_BYTE,
                                    to.root_rank(), comm_),
                      "MPI_Gatherv_c");
        }
        if (receives && !in_place) {
            all.resize(ranks);
            for (std::size_t r = 0; r < ranks; ++r) {
                from_bytes(base + displacements[r], static_cast<std::size_t>(sizes[r]), all[r], static_cast<int>(r),
                           "gather");
            }
        }
    }
#endif

    /// Whether the ranks must agree before an in-place gather on whether every receiver's
    /// vectors lie close enough for int displacements (else all call MPI_Alltoallw). Only where
    /// a receiver whose vectors lie far apart could not take the buffered gather instead, with
    /// the same one MPI_Allgatherv the others call: where the largest piece needs more than one
    /// round of it. Below that, each receiver decides alone and, where its distances do not
    /// fit, takes the pieces into one buffer and copies them out. Vectors lie that far apart
    /// seldom (some on the heap, some mapped), and a collective to agree would cost every
    /// call a round trip (docs/performance.md, "Collectives").
    bool must_agree(std::uint64_t largest) const {
        return largest > round_limit() || (gather_by_address() && largest >= by_address_from);
    }

    /// From this many bytes from the largest rank, BATON_GATHER_BY_ADDRESS=1 makes the ranks
    /// agree and gather by address.
    static constexpr std::uint64_t by_address_from = std::uint64_t{32} << 10;

    /// BATON_GATHER_BY_ADDRESS=1 (read once) takes MPI_Alltoallw for every all_gather from
    /// by_address_from up, and the buffered all_gather on odd ranks below it, so that the tests
    /// run the paths real programs take only where vectors lie far apart, and ranks that decide
    /// differently.
    static bool gather_by_address() {
        return config::gather_by_address();
    }

    /// An all_gather of contiguous values received straight into the result's vectors, no
    /// copy. MPI_Allgatherv takes one buffer with displacements (ints) from it: the buffer is
    /// the lowest of the vectors, each vector's displacement its distance from it
    /// (displacements are each rank's own). Where a distance does not fit an int,
    /// MPI_Alltoallw, which takes a datatype per rank, describes each vector by its address at
    /// MPI_BOTTOM where the ranks agreed (must_agree); elsewhere that rank takes the buffered
    /// gather instead: its side of the call is the same as the others'. False where the sizes,
    /// known on every rank, or this rank's addresses call for the buffered gather (one round,
    /// as here).
    template <class T>
    bool all_gather_into_place(const T& value, const std::vector<std::uint64_t>& sizes, std::vector<T>& all) const {
        using E = typename contiguous_container<T>::element_type;
        const std::uint64_t largest = *std::max_element(sizes.begin(), sizes.end());
        const bool agree = must_agree(largest);
        if (largest > static_cast<std::uint64_t>(agree ? INT_MAX : round_limit()) || !whole_elements<T>(sizes)) {
            return false;
        }
        const auto ranks = static_cast<std::size_t>(size_);
        auto& kept = kept_buffers();
        std::vector<int>& counts = kept.counts;
        std::vector<int>& displacements = kept.displacements;
        counts.assign(ranks, 0);
        displacements.assign(ranks, 0);
        char* lowest = size_for_pieces(all, sizes);
        bool distances_fit = true;
        for (std::size_t r = 0; r < ranks; ++r) counts[r] = static_cast<int>(sizes[r]);
        for (std::size_t r = 0; r < ranks && lowest != nullptr; ++r) {
            if (sizes[r] == 0) continue;
            const std::ptrdiff_t distance = reinterpret_cast<char*>(all[r].data()) - lowest;
            if (distance > static_cast<std::ptrdiff_t>(INT_MAX) - counts[r]) distances_fit = false;
            displacements[r] = distances_fit ? static_cast<int>(distance) : 0;
        }
        int everywhere_fit = 0;
        if (agree) {
            // Whether any rank needs MPI_Alltoallw: every rank must make the same call.
            everywhere_fit = distances_fit && !gather_by_address() ? 1 : 0;
            check_mpi(MPI_Allreduce(MPI_IN_PLACE, &everywhere_fit, 1, MPI_INT, MPI_MIN, comm_), "MPI_Allreduce");
        } else {
            if (!distances_fit || (gather_by_address() && rank_ % 2 == 1)) return false;
            everywhere_fit = 1;
        }
        const int mine = static_cast<int>(value.size() * sizeof(E));
        if (everywhere_fit != 0) {
            check_mpi(MPI_Allgatherv(value.data(), mine, MPI_BYTE, lowest, counts.data(), displacements.data(),
                                     MPI_BYTE, comm_),
                      "MPI_Allgatherv");
            return true;
        }
        std::vector<int> send_counts(ranks, mine), recv_counts(ranks, 0), zeros(ranks, 0);
        std::vector<MPI_Datatype> send_types(ranks, MPI_BYTE), recv_types(ranks, MPI_BYTE);
        struct free_types {
            std::vector<MPI_Datatype>& types;
            ~free_types() {
                for (auto& t : types) {
                    if (t != MPI_BYTE) MPI_Type_free(&t);
                }
            }
        } cleanup{recv_types};
        for (std::size_t r = 0; r < ranks; ++r) {
            if (sizes[r] == 0) continue;
            MPI_Aint address = 0;
            check_mpi(MPI_Get_address(all[r].data(), &address), "MPI_Get_address");
            check_mpi(MPI_Type_create_hindexed(1, &counts[r], &address, MPI_BYTE, &recv_types[r]),
                      "MPI_Type_create_hindexed");
            check_mpi(MPI_Type_commit(&recv_types[r]), "MPI_Type_commit");
            recv_counts[r] = 1;
        }
        check_mpi(MPI_Alltoallw(value.data(), send_counts.data(), zeros.data(), send_types.data(), MPI_BOTTOM,
                                recv_counts.data(), zeros.data(), recv_types.data(), comm_),
                  "MPI_Alltoallw");
        return true;
    }

    /// A gather to one root as point-to-point messages on a private duplicate of the
    /// communicator (comm_state::gathers): each other rank sends its piece whole, in one message
    /// of any size, and the root sizes each vector from the message's status. So no rank needs
    /// another's size and no collective of sizes comes first. A collective gather on MPI-3's
    /// int counts needs one (an MPI_Allgather, for every rank to agree on rounds), which made
    /// small gathers several times slower than raw MPI's gather of counts then data
    /// (docs/performance.md, "Collectives"). Each rank's pieces reach the root in the
    /// order of its gathers, so consecutive gathers cannot mix.
    template <class T>
    void gather_by_messages(const T& value, const piece& mine, int root, kept_gather_buffers& kept,
                            std::vector<T>& all) const {
        const MPI_Comm channel = state_->gathers(comm_);
        constexpr int piece_tag = 0;
        if (rank_ != root) {
            const count_type whole(mine.size, MPI_BYTE);
            check_mpi(MPI_Send(mine.data, whole.count(), whole.type(), root, piece_tag, channel), "MPI_Send");
            return;
        }
        const auto ranks = static_cast<std::size_t>(size_);
        std::vector<std::uint64_t>& sizes = kept.sizes;
        std::vector<MPI_Message>& messages = kept.messages;
        sizes.resize(ranks);
        messages.assign(ranks, MPI_MESSAGE_NULL);
        for (std::size_t r = 0; r < ranks; ++r) {
            if (static_cast<int>(r) == root) {
                sizes[r] = mine.size;
                continue;
            }
            incoming arriving;
            check_mpi(MPI_Mprobe(static_cast<int>(r), piece_tag, channel, &arriving.handle, &arriving.status),
                      "MPI_Mprobe");
            messages[r] = arriving.handle;
            sizes[r] = arriving.count(MPI_BYTE);
        }
        // Straight into the result's vectors when every piece is whole elements; else into one
        // buffer, decoded after every piece has arrived (none is left behind for the next gather).
        bool in_place = false;
        if constexpr (kind_v<T> == payload_kind::contiguous) in_place = whole_elements<T>(sizes);
        pieces_from_all got;
        got.bytes.swap(kept.received);
        std::vector<char*> places(ranks, nullptr);
        if (in_place) {
            if constexpr (kind_v<T> == payload_kind::contiguous) {
                size_for_pieces(all, sizes, &value);
                for (std::size_t r = 0; r < ranks; ++r) places[r] = reinterpret_cast<char*>(all[r].data());
            }
        } else {
            got.lay_out(sizes);
            for (std::size_t r = 0; r < ranks; ++r) places[r] = got.bytes.data() + got.offsets[r];
            if (mine.size != 0) std::memcpy(places[static_cast<std::size_t>(root)], mine.data, mine.size);
        }
        std::vector<MPI_Request>& requests = kept.requests;
        requests.assign(ranks, MPI_REQUEST_NULL);
        for (std::size_t r = 0; r < ranks; ++r) {
            if (static_cast<int>(r) == root) continue;
            const count_type whole(static_cast<std::size_t>(sizes[r]), MPI_BYTE);  // MPI keeps it while in use
            check_mpi(MPI_Imrecv(places[r], whole.count(), whole.type(), &messages[r], &requests[r]), "MPI_Imrecv");
        }
        check_mpi(MPI_Waitall(size_, requests.data(), MPI_STATUSES_IGNORE), "MPI_Waitall");
        if (!in_place) decode_all(got, all);
        kept.received.swap(got.bytes);
    }

    /// Decodes every rank's piece in `got` into `all`.
    template <class T>
    void decode_all(const pieces_from_all& got, std::vector<T>& all) const {
        all.resize(static_cast<std::size_t>(size_));
        for (std::size_t r = 0; r < all.size(); ++r) {
            from_bytes(got.data(r), got.sizes[r], all[r], static_cast<int>(r), "gather");
        }
    }

    /// Bytes each rank may put into one call so that a round's total fits an int.
    std::size_t round_limit() const {
        return static_cast<std::size_t>(INT_MAX) / static_cast<std::size_t>(size_);
    }
    static std::size_t rounds_for(std::size_t largest, std::size_t limit) {
        return largest == 0 ? 1 : (largest + limit - 1) / limit;
    }

    // The layout first, then each array straight from the root's value into the receivers'
    // (detail/codec/payload_parts.hpp).
    template <class T>
    void broadcast_in_parts(T& value, int root) const {
        std::vector<array_part> arrays;
        byte_buffer layout;
        if (rank_ == root) Encoding::save(comm_, layout, layout_writer<T>{&value, &arrays});
        std::uint64_t n = layout.size();
        check_mpi(MPI_Bcast(&n, 1, MPI_UINT64_T, root, comm_), "MPI_Bcast");
        if (rank_ != root) layout.resize(static_cast<std::size_t>(n));
        broadcast_bytes(layout.data(), layout.size(), root);
        auto failed = [&](const std::exception& e) {
            return message_error("rank " + std::to_string(rank_) + " could not decode " + type_name<T>() +
                                 " from rank " + std::to_string(root) + " in broadcast (" + std::to_string(n) +
                                 " bytes of layout, " + Encoding::name + "): " + e.what());
        };
        if (rank_ != root) {
            try {
                layout_reader<T> reader{&value, &arrays};
                Encoding::load(comm_, layout.data(), layout.size(), reader);
            } catch (const std::exception& e) {
                throw failed(e);
            }
        }
        // One broadcast an array: MPICH packs a datatype spanning them all through a bounce
        // buffer, which is slower (docs/performance.md, "Broadcasting a dataset").
        for (const array_part& a : arrays) broadcast_bytes(a.data, a.size, root);
        if (rank_ != root) {
            try {
                parts_access::check_parts(value);
            } catch (const std::exception& e) {
                throw failed(e);
            }
        }
    }

    void broadcast_bytes(char* data, std::size_t size, int root) const {
        constexpr std::size_t limit = std::size_t{1} << 30;
        for (std::size_t done = 0; done < size; done += limit) {
            const int n = static_cast<int>(std::min(limit, size - done));
            check_mpi(MPI_Bcast(data + done, n, MPI_BYTE, root, comm_), "MPI_Bcast");
        }
    }

    /// Every rank's piece into `got` on every rank (got.bytes may come with capacity to reuse).
    void all_gather_bytes(const piece& mine, const std::vector<std::uint64_t>& sizes, pieces_from_all& got) const {
        got.lay_out(sizes);
        const std::size_t limit = round_limit();
        const std::size_t rounds = rounds_for(*std::max_element(got.sizes.begin(), got.sizes.end()), limit);
        round_layout round;
        byte_buffer staging;
        for (std::size_t k = 0; k < rounds; ++k) {
            round.of(got.sizes, k, limit);
            char* target = got.bytes.data();
            if (rounds > 1) {
                staging.resize(round.total);
                target = staging.data();
            }
            const int send_count = round_layout::part(mine.size, k, limit);
            const char* send = send_count != 0 ? mine.data + k * limit : mine.data;
            check_mpi(MPI_Allgatherv(send, send_count, MPI_BYTE, target, round.counts.data(),
                                     round.displacements.data(), MPI_BYTE, comm_),
                      "MPI_Allgatherv");
            if (rounds > 1) unstage(round, staging, got, k, limit);
        }
    }

    byte_buffer scatter_bytes(const std::vector<piece>& parts, int root) const {
        const std::size_t limit = round_limit();
        // To each rank: the size of its piece, and the number of rounds.
        std::vector<std::uint64_t> headers;
        std::vector<std::size_t> sizes;
        if (rank_ == root) {
            std::size_t largest = 0;
            for (const auto& p : parts) {
                sizes.push_back(p.size);
                largest = std::max(largest, p.size);
            }
            for (const auto& p : parts) {
                headers.push_back(p.size);
                headers.push_back(rounds_for(largest, limit));
            }
        }
        std::uint64_t mine[2] = {0, 0};
        check_mpi(MPI_Scatter(headers.data(), 2, MPI_UINT64_T, mine, 2, MPI_UINT64_T, root, comm_), "MPI_Scatter");
        byte_buffer out(static_cast<std::size_t>(mine[0]));
        round_layout round;
        byte_buffer staging;
        for (std::size_t k = 0; k < mine[1]; ++k) {
            if (rank_ == root) {
                round.of(sizes, k, limit);
                stage(round, parts, staging, k, limit);
            }
            const int receive_count = round_layout::part(out.size(), k, limit);
            check_mpi(
                MPI_Scatterv(staging.data(), round.counts.data(), round.displacements.data(), MPI_BYTE,
                             out.data() + (receive_count != 0 ? k * limit : 0), receive_count, MPI_BYTE, root, comm_),
                "MPI_Scatterv");
        }
        return out;
    }

    pieces_from_all all_to_all_bytes(const std::vector<piece>& parts) const {
        // To each rank: the size of its piece, and the largest piece this rank sends anywhere,
        // so that every rank computes the number of rounds from the same numbers.
        std::size_t largest = 0;
        std::vector<std::size_t> send_sizes;
        for (const auto& p : parts) {
            send_sizes.push_back(p.size);
            largest = std::max(largest, p.size);
        }
        std::vector<std::uint64_t> out(2 * parts.size()), in(2 * parts.size());
        for (std::size_t r = 0; r < parts.size(); ++r) {
            out[2 * r] = parts[r].size;
            out[2 * r + 1] = largest;
        }
        check_mpi(MPI_Alltoall(out.data(), 2, MPI_UINT64_T, in.data(), 2, MPI_UINT64_T, comm_), "MPI_Alltoall");
        std::vector<std::uint64_t> receive_sizes(parts.size());
        for (std::size_t r = 0; r < parts.size(); ++r) {
            receive_sizes[r] = in[2 * r];
            largest = std::max(largest, static_cast<std::size_t>(in[2 * r + 1]));
        }
        pieces_from_all got;
        got.lay_out(receive_sizes);
        const std::size_t limit = round_limit();
        const std::size_t rounds = rounds_for(largest, limit);
        round_layout send_round, receive_round;
        byte_buffer send_staging, receive_staging;
        for (std::size_t k = 0; k < rounds; ++k) {
            send_round.of(send_sizes, k, limit);
            stage(send_round, parts, send_staging, k, limit);
            receive_round.of(got.sizes, k, limit);
            char* target = got.bytes.data();
            if (rounds > 1) {
                receive_staging.resize(receive_round.total);
                target = receive_staging.data();
            }
            check_mpi(
                MPI_Alltoallv(send_staging.data(), send_round.counts.data(), send_round.displacements.data(), MPI_BYTE,
                              target, receive_round.counts.data(), receive_round.displacements.data(), MPI_BYTE, comm_),
                "MPI_Alltoallv");
            if (rounds > 1) unstage(receive_round, receive_staging, got, k, limit);
        }
        return got;
    }

    /// Copies round k's part of each piece into `staging`, one after another.
    static void stage(const round_layout& round, const std::vector<piece>& parts, byte_buffer& staging, std::size_t k,
                      std::size_t limit) {
        staging.resize(round.total);
        for (std::size_t r = 0; r < parts.size(); ++r) {
            if (round.counts[r] != 0) {
                std::memcpy(staging.data() + round.displacements[r], parts[r].data + k * limit,
                            static_cast<std::size_t>(round.counts[r]));
            }
        }
    }

    /// Moves round k's parts from `staging` to their places in `got`.
    static void unstage(const round_layout& round, const byte_buffer& staging, pieces_from_all& got, std::size_t k,
                        std::size_t limit) {
        for (std::size_t r = 0; r < got.sizes.size(); ++r) {
            if (round.counts[r] != 0) {
                std::memcpy(got.bytes.data() + got.offsets[r] + k * limit, staging.data() + round.displacements[r],
                            static_cast<std::size_t>(round.counts[r]));
            }
        }
    }

    MPI_Comm comm_;
    comm_state* state_;
    int rank_;
    int size_;
};

}  // namespace baton::detail
