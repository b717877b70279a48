#pragma once
// A collective's payload as bytes: a contiguous container's elements where they lie, or a
// serialized payload's encoding (the comm's Encoding); and back, with errors that name the
// ranks and the call.

#include <mpi.h>

#include <cstddef>
#include <cstring>
#include <exception>
#include <string>
#include <utility>

#include <baton/detail/byte_buffer.hpp>
#include <baton/detail/codec/decode.hpp>
#include <baton/detail/codec/payload_traits.hpp>
#include <baton/error.hpp>
#include <baton/type_name.hpp>

namespace baton::detail {

/// The bytes one rank contributes: a contiguous container's elements where they lie, or a
/// serialized payload's encoding (held in `storage`).
struct piece {
    const char* data = nullptr;
    std::size_t size = 0;
    byte_buffer storage;

    /// Makes the piece hold its bytes itself, for a collective that outlives the caller's value.
    void keep_a_copy() {
        if (size == 0 || data == storage.data()) return;
        storage.assign(data, data + size);
        data = storage.data();
    }
};

/// `value`'s piece. A serialized payload is encoded into `storage` (a buffer kept between calls,
/// whose capacity is reused; the piece hands it back in its own storage either way).
template <class Encoding, class T>
piece encode_piece(MPI_Comm comm, const T& value, byte_buffer storage = {}) {
    piece p;
    p.storage = std::move(storage);
    p.storage.clear();
    if constexpr (kind_v<T> == payload_kind::contiguous) {
        p.data = reinterpret_cast<const char*>(value.data());
        p.size = value.size() * sizeof(typename contiguous_container<T>::element_type);
    } else {
        Encoding::save(comm, p.storage, value);
        p.data = p.storage.data();
        p.size = p.storage.size();
    }
    return p;
}

template <class Encoding, class T>
void decode_piece(MPI_Comm comm, const char* data, std::size_t size, T& out, int rank, int from, const char* call) {
    if constexpr (kind_v<T> == payload_kind::contiguous) {
        using E = typename contiguous_container<T>::element_type;
        if (size % sizeof(E) != 0) {
            throw message_error("rank " + std::to_string(rank) + " received " + std::to_string(size) +
                                " bytes from rank " + std::to_string(from) + " in " + call +
                                ", which is not a whole number of " + type_name<T>() + " elements");
        }
        out.resize(size / sizeof(E));
        if (size != 0) std::memcpy(static_cast<void*>(out.data()), data, size);
    } else {
        decode_or_throw<Encoding>(
            comm, data, size, out, [&] { return "rank " + std::to_string(rank); },
            [&] { return "from rank " + std::to_string(from) + " in " + call; });
    }
}

}  // namespace baton::detail
