#pragma once
// scatter: values[r] from the root to rank r.

#include <mpi.h>

#include <string>
#include <vector>

#include <baton/detail/codec/payload_traits.hpp>
#include <baton/detail/collectives/broadcast.hpp>
#include <baton/detail/mpi/check.hpp>
#include <baton/error.hpp>

namespace baton::detail {

template <class Encoding>
class scatter_family : public broadcast_family<Encoding> {
public:
    using broadcast_family<Encoding>::broadcast_family;

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

protected:
    using base = broadcast_family<Encoding>;
    using base::bytes_of;
    using base::comm_;
    using base::decode_all;
    using base::from_bytes;
    using base::rank_;
    using base::round_limit;
    using base::scatter_bytes;
    using base::size_;
    using base::state_;
};

}  // namespace baton::detail
