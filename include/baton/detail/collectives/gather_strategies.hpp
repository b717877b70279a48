#pragma once
// The ways a gather of pieces of unknown sizes reaches its receivers: in one MPI-4
// large-count call; on MPI-3, straight into the result's vectors where their distances fit
// MPI's int displacements (or by address, MPI_Alltoallw); or, to one root, as point-to-point
// messages on a private duplicate of the communicator.

#include <mpi.h>

#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include <baton/config.hpp>
#include <baton/detail/byte_buffer.hpp>
#include <baton/detail/codec/payload_traits.hpp>
#include <baton/detail/collectives/all_to_all.hpp>
#include <baton/detail/collectives/destination.hpp>
#include <baton/detail/collectives/layout.hpp>
#include <baton/detail/mpi/check.hpp>
#include <baton/detail/mpi/count_type.hpp>
#include <baton/detail/p2p/incoming.hpp>

namespace baton::detail {

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

template <class Encoding>
class gather_strategies : public all_to_all_family<Encoding> {
public:
    using all_to_all_family<Encoding>::all_to_all_family;

protected:
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
            if (own != nullptr && static_cast<int>(r) == this->rank_) {
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
        const auto ranks = static_cast<std::size_t>(this->size_);
        const bool receives = to.includes(this->rank_);
        std::vector<std::uint64_t>& sizes = kept.sizes;
        sizes.resize(ranks);
        const std::uint64_t my_size = mine.size;
        if (to.is_every_rank()) {
            check_mpi(MPI_Allgather(&my_size, 1, MPI_UINT64_T, sizes.data(), 1, MPI_UINT64_T, this->comm_),
                      "MPI_Allgather");
        } else {
            check_mpi(MPI_Gather(&my_size, 1, MPI_UINT64_T, sizes.data(), 1, MPI_UINT64_T, to.root_rank(), this->comm_),
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
                kept.received.resize(one_after_another(sizes, displacements));
                base = kept.received.data();
            }
        }
        const auto send_count = static_cast<MPI_Count>(mine.size);
        const void* send = in_place ? MPI_IN_PLACE : mine.data;
        if (to.is_every_rank()) {
            check_mpi(MPI_Allgatherv_c(send, send_count, MPI_BYTE, base, counts.data(), displacements.data(), MPI_BYTE,
                                       this->comm_),
                      "MPI_Allgatherv_c");
        } else {
            check_mpi(MPI_Gatherv_c(send, send_count, MPI_BYTE, base, counts.data(), displacements.data(), MPI_BYTE,
                                    to.root_rank(), this->comm_),
                      "MPI_Gatherv_c");
        }
        if (receives && !in_place) {
            all.resize(ranks);
            for (std::size_t r = 0; r < ranks; ++r) {
                this->from_bytes(base + displacements[r], static_cast<std::size_t>(sizes[r]), all[r],
                                 static_cast<int>(r), "gather");
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
        return largest > this->round_limit() || (gather_by_address() && largest >= by_address_from);
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
        if (largest > static_cast<std::uint64_t>(agree ? INT_MAX : this->round_limit()) || !whole_elements<T>(sizes)) {
            return false;
        }
        const auto ranks = static_cast<std::size_t>(this->size_);
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
            check_mpi(MPI_Allreduce(MPI_IN_PLACE, &everywhere_fit, 1, MPI_INT, MPI_MIN, this->comm_), "MPI_Allreduce");
        } else {
            if (!distances_fit || (gather_by_address() && this->rank_ % 2 == 1)) return false;
            everywhere_fit = 1;
        }
        const int mine = static_cast<int>(value.size() * sizeof(E));
        if (everywhere_fit != 0) {
            check_mpi(MPI_Allgatherv(value.data(), mine, MPI_BYTE, lowest, counts.data(), displacements.data(),
                                     MPI_BYTE, this->comm_),
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
                                recv_counts.data(), zeros.data(), recv_types.data(), this->comm_),
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
        const MPI_Comm channel = this->state_->gathers(this->comm_);
        constexpr int piece_tag = 0;
        if (this->rank_ != root) {
            const count_type whole(mine.size, MPI_BYTE);
            check_mpi(MPI_Send(mine.data, whole.count(), whole.type(), root, piece_tag, channel), "MPI_Send");
            return;
        }
        const auto ranks = static_cast<std::size_t>(this->size_);
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
        check_mpi(MPI_Waitall(this->size_, requests.data(), MPI_STATUSES_IGNORE), "MPI_Waitall");
        if (!in_place) this->decode_all(got, all);
        kept.received.swap(got.bytes);
    }
};

}  // namespace baton::detail
