#pragma once
// gather and all_gather: every rank's value, in rank order, on the root or on every rank.

#include <mpi.h>

#include <cstdint>
#include <utility>
#include <vector>

#include <baton/config.hpp>
#include <baton/detail/codec/payload_traits.hpp>
#include <baton/detail/collectives/destination.hpp>
#include <baton/detail/collectives/gather_strategies.hpp>
#include <baton/detail/collectives/layout.hpp>
#include <baton/detail/mpi/check.hpp>
#include <baton/detail/scratch.hpp>

namespace baton::detail {

template <class Encoding>
class gather_family : public gather_strategies<Encoding> {
public:
    using gather_strategies<Encoding>::gather_strategies;

    /// Values of every rank in rank order, on the ranks `to` includes (empty elsewhere).
    template <class T>
    std::vector<T> gather(const T& value, destination to) const {
        std::vector<T> all;
        const bool receives = to.includes(this->rank_);
        if constexpr (kind_v<T> == payload_kind::fixed) {
            if (receives) all.resize(static_cast<std::size_t>(this->size_));
            const int bytes = static_cast<int>(sizeof(T));
            if (to.is_every_rank()) {
                check_mpi(MPI_Allgather(&value, bytes, MPI_BYTE, all.data(), bytes, MPI_BYTE, this->comm_),
                          "MPI_Allgather");
            } else {
                check_mpi(MPI_Gather(&value, bytes, MPI_BYTE, all.data(), bytes, MPI_BYTE, to.root_rank(), this->comm_),
                          "MPI_Gather");
            }
        } else {
            // The encoding and the gathered bytes go into buffers this thread keeps between
            // calls: fresh ones faulted in new pages on every call (a tenth of the time of a
            // string gather, by perf).
            auto& kept = kept_buffers();
            piece mine = encode_piece<Encoding>(this->comm_, value, std::move(kept.encoded));
#if BATON_LARGE_COUNT_COLLECTIVES
            this->gather_in_one_call(value, mine, to, kept, all);
#else
            if (!to.is_every_rank()) {
                this->gather_by_messages(value, mine, to.root_rank(), kept, all);
            } else {
                // Every rank learns every size: all must agree on rounds and on the path.
                std::vector<std::uint64_t>& sizes = kept.sizes;
                sizes.resize(static_cast<std::size_t>(this->size_));
                const std::uint64_t my_size = mine.size;
                check_mpi(MPI_Allgather(&my_size, 1, MPI_UINT64_T, sizes.data(), 1, MPI_UINT64_T, this->comm_),
                          "MPI_Allgather");
                bool done = false;
                if constexpr (kind_v<T> == payload_kind::contiguous)
                    done = this->all_gather_into_place(value, sizes, all);
                if (!done) {  // one round of bytes, or several
                    pieces_from_all got;
                    got.bytes.swap(kept.received);
                    this->all_gather_bytes(mine, sizes, got);
                    this->decode_all(got, all);
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
};

}  // namespace baton::detail
