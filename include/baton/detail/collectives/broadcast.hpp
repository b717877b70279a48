#pragma once
// broadcast: a plain value as its bytes, a contiguous container's elements, a serialized
// payload's encoding (its length first), or a value that travels in parts (a dataset's layout,
// then each array straight into the receivers' arrays).

#include <mpi.h>

#include <cstdint>
#include <exception>
#include <string>
#include <type_traits>
#include <vector>

#include <baton/detail/byte_buffer.hpp>
#include <baton/detail/codec/payload_parts.hpp>
#include <baton/detail/codec/payload_traits.hpp>
#include <baton/detail/collectives/byte_rounds.hpp>
#include <baton/detail/mpi/check.hpp>
#include <baton/error.hpp>
#include <baton/type_name.hpp>
#include <baton/wire/encodings.hpp>

namespace baton::detail {

template <class Encoding>
class broadcast_family : public byte_rounds<Encoding> {
public:
    using byte_rounds<Encoding>::byte_rounds;

    template <class T>
    void broadcast(T& value, int root) const {
        if (this->size_ == 1) return;  // the root's value is everyone's already: nothing to encode
        if constexpr (kind_v<T> == payload_kind::fixed) {
            check_mpi(MPI_Bcast(&value, static_cast<int>(sizeof(T)), MPI_BYTE, root, this->comm_), "MPI_Bcast");
        } else if constexpr (travels_in_parts_v<T> && std::is_same_v<Encoding, wire::native_encoding>) {
            broadcast_in_parts(value, root);
        } else {
            piece mine;
            if (this->rank_ == root) mine = this->bytes_of(value);
            std::uint64_t n = mine.size;
            check_mpi(MPI_Bcast(&n, 1, MPI_UINT64_T, root, this->comm_), "MPI_Bcast");
            if (this->rank_ == root) {
                this->broadcast_bytes(const_cast<char*>(mine.data), mine.size, root);  // read on the root
            } else if constexpr (kind_v<T> == payload_kind::contiguous) {
                value.resize(static_cast<std::size_t>(n) / sizeof(typename contiguous_container<T>::element_type));
                this->broadcast_bytes(reinterpret_cast<char*>(value.data()), static_cast<std::size_t>(n), root);
            } else {
                byte_buffer bytes(static_cast<std::size_t>(n));
                this->broadcast_bytes(bytes.data(), bytes.size(), root);
                this->from_bytes(bytes.data(), bytes.size(), value, root, "broadcast");
            }
        }
    }

protected:
    // The layout first, then each array straight from the root's value into the receivers'
    // (detail/codec/payload_parts.hpp).
    template <class T>
    void broadcast_in_parts(T& value, int root) const {
        std::vector<array_part> arrays;
        byte_buffer layout;
        if (this->rank_ == root) Encoding::save(this->comm_, layout, layout_writer<T>{&value, &arrays});
        std::uint64_t n = layout.size();
        check_mpi(MPI_Bcast(&n, 1, MPI_UINT64_T, root, this->comm_), "MPI_Bcast");
        if (this->rank_ != root) layout.resize(static_cast<std::size_t>(n));
        this->broadcast_bytes(layout.data(), layout.size(), root);
        auto failed = [&](const std::exception& e) {
            return message_error("rank " + std::to_string(this->rank_) + " could not decode " + type_name<T>() +
                                 " from rank " + std::to_string(root) + " in broadcast (" + std::to_string(n) +
                                 " bytes of layout, " + Encoding::name + "): " + e.what());
        };
        if (this->rank_ != root) {
            try {
                layout_reader<T> reader{&value, &arrays};
                Encoding::load(this->comm_, layout.data(), layout.size(), reader);
            } catch (const std::exception& e) {
                throw failed(e);
            }
        }
        // One broadcast an array: MPICH packs a datatype spanning them all through a bounce
        // buffer, which is slower (docs/performance.md, "Broadcasting a dataset").
        for (const array_part& a : arrays) this->broadcast_bytes(a.data, a.size, root);
        if (this->rank_ != root) {
            try {
                parts_access::check_parts(value);
            } catch (const std::exception& e) {
                throw failed(e);
            }
        }
    }
};

}  // namespace baton::detail
