#pragma once
// all_to_all: to_each[r] from every rank to rank r.

#include <mpi.h>

#include <vector>

#include <baton/detail/codec/payload_traits.hpp>
#include <baton/detail/collectives/scatter.hpp>
#include <baton/detail/mpi/check.hpp>

namespace baton::detail {

template <class Encoding>
class all_to_all_family : public scatter_family<Encoding> {
public:
    using scatter_family<Encoding>::scatter_family;

    /// to_each[r] to rank r, from every rank; got[r] came from rank r. `to_each` holds size()
    /// values (the caller checks).
    template <class T>
    std::vector<T> all_to_all(const std::vector<T>& to_each) const {
        std::vector<T> got(static_cast<std::size_t>(this->size_));
        if constexpr (kind_v<T> == payload_kind::fixed) {
            const int bytes = static_cast<int>(sizeof(T));
            check_mpi(MPI_Alltoall(to_each.data(), bytes, MPI_BYTE, got.data(), bytes, MPI_BYTE, this->comm_),
                      "MPI_Alltoall");
        } else {
            std::vector<piece> parts;
            parts.reserve(to_each.size());
            for (const auto& v : to_each) parts.push_back(this->bytes_of(v));
            const pieces_from_all in = this->all_to_all_bytes(parts);
            for (std::size_t r = 0; r < got.size(); ++r) {
                this->from_bytes(in.data(r), in.sizes[r], got[r], static_cast<int>(r), "all_to_all");
            }
        }
        return got;
    }
};

}  // namespace baton::detail
