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
        int ok = this->rank_ != root || values.size() == static_cast<std::size_t>(this->size_);
        check_mpi(MPI_Bcast(&ok, 1, MPI_INT, root, this->comm_), "MPI_Bcast");
        if (!ok) {
            throw usage_error("rank " + std::to_string(this->rank_) + ": scatter from rank " + std::to_string(root) +
                              " needs one value per rank (" + std::to_string(this->size_) + "), root passed " +
                              (this->rank_ == root ? std::to_string(values.size()) : std::string("another number")));
        }
        T out{};
        if constexpr (kind_v<T> == payload_kind::fixed) {
            const int bytes = static_cast<int>(sizeof(T));
            check_mpi(MPI_Scatter(values.data(), bytes, MPI_BYTE, &out, bytes, MPI_BYTE, root, this->comm_),
                      "MPI_Scatter");
        } else {
            std::vector<piece> parts;
            if (this->rank_ == root) {
                parts.reserve(values.size());
                for (const auto& v : values) parts.push_back(this->bytes_of(v));
            }
            const byte_buffer mine = this->scatter_bytes(parts, root);
            this->from_bytes(mine.data(), mine.size(), out, root, "scatter");
        }
        return out;
    }
};

}  // namespace baton::detail
