#pragma once
/// @file
/// The unchecked wire: plain MPI messages with no header, for peers that are not baton
/// programs (C, Fortran, mpi4py's buffer Send/Recv). Arithmetic values and their vectors go
/// as MPI's own datatypes (MPI_DOUBLE...), so the other side can receive them with any MPI.
/// Sizes are still checked: nothing is truncated, but a type mismatch of equal size cannot
/// be seen; that is what the checked wire is for.

#include <mpi.h>

#include <exception>
#include <string>

#include <baton/detail/byte_buffer.hpp>
#include <baton/detail/codec/decode.hpp>
#include <baton/detail/codec/payload_traits.hpp>
#include <baton/detail/mpi/count_type.hpp>
#include <baton/detail/mpi/datatype.hpp>
#include <baton/detail/p2p/incoming.hpp>
#include <baton/detail/p2p/posted_send.hpp>
#include <baton/detail/scratch.hpp>
#include <baton/error.hpp>
#include <baton/type_name.hpp>
#include <baton/wire/encodings.hpp>

namespace baton::wire {

/// @brief Wire policy for talking to non-baton programs. `Encoding` encodes serialized payloads.
template <class Encoding = native_encoding>
struct unchecked {
    /// How serialized payloads are encoded (also in collectives).
    using encoding_type = Encoding;
    static constexpr bool type_checked = false;     ///< nothing tells the sender's type
    static constexpr std::size_t header_bytes = 0;  ///< plain MPI messages: no header

    /// Sends `value` as a `Declared` in MPI's own datatypes (blocking, MPI_Send semantics).
    /// (No header messages on this wire: `bodies` is unused.)
    template <class Declared, class V>
    static void send(MPI_Comm comm, MPI_Comm /*bodies*/, int dest, int tag, const V& value) {
        constexpr auto kind = detail::kind_v<Declared>;
        if constexpr (kind == detail::payload_kind::serialized) {
            auto& buffer = detail::scratch_buffer();
            buffer.clear();
            Encoding::save(comm, buffer, static_cast<const Declared&>(value));
            detail::send_bytes(buffer, dest, tag, comm);
            detail::trim_scratch(buffer);
        } else if constexpr (kind == detail::payload_kind::fixed) {
            const auto wt = detail::wire_type_of<Declared>();
            detail::check_mpi(MPI_Send(&value, static_cast<int>(wt.units_per_value), wt.type, dest, tag, comm),
                              "MPI_Send");
        } else {
            using E = typename detail::contiguous_container<Declared>::element_type;
            const auto wt = detail::wire_type_of<E>();
            detail::count_type units(static_cast<std::size_t>(value.size()) * wt.units_per_value, wt.type);
            detail::check_mpi(MPI_Send(value.data(), units.count(), units.type(), dest, tag, comm), "MPI_Send");
        }
    }

    /// Copies the payload into `out` and starts sending it from there (MPI_Isend) with the
    /// same datatype send() uses; `out` must live until the returned request completes.
    template <class Declared, class V>
    static detail::posted_send post_send(MPI_Comm comm, MPI_Comm /*bodies*/, int dest, int tag, const V& value,
                                         detail::byte_buffer& out) {
        constexpr auto kind = detail::kind_v<Declared>;
        detail::posted_send sent;
        MPI_Request& request = sent.requests[0];
        if constexpr (kind == detail::payload_kind::serialized) {
            out.clear();
            Encoding::save(comm, out, static_cast<const Declared&>(value));
            request = detail::isend_bytes(out, dest, tag, comm);
        } else {
            using E = typename detail::unit_of<Declared>::type;
            detail::byte_span payload{static_cast<const void*>(&value), sizeof(E)};
            if constexpr (kind == detail::payload_kind::contiguous) payload = detail::bytes_of_range(value);
            out.assign(static_cast<const char*>(payload.data), static_cast<const char*>(payload.data) + payload.bytes);
            const auto wt = detail::wire_type_of<E>();
            detail::count_type units(payload.bytes / sizeof(E) * wt.units_per_value, wt.type);
            detail::check_mpi(MPI_Isend(out.data(), units.count(), units.type(), dest, tag, comm, &request),
                              "MPI_Isend");
        }
        return sent;
    }

    /// Receives a matched message into `out`; returns its element count (bytes for serialized).
    template <class T>
    static std::size_t recv(MPI_Comm comm, MPI_Comm /*bodies*/, detail::incoming& msg, T& out) {
        constexpr auto kind = detail::kind_v<T>;
        if constexpr (kind == detail::payload_kind::serialized) {
            const std::size_t bytes = msg.count(MPI_BYTE);
            const char* data = msg.receive_into_scratch(bytes);
            detail::decode_or_throw<Encoding>(
                comm, data, bytes, out, [&] { return msg.who(); }, [&] { return msg.route(); });
            detail::trim_scratch(detail::scratch_buffer());
            return bytes;
        } else if constexpr (kind == detail::payload_kind::fixed) {
            const auto wt = detail::wire_type_of<T>();
            const std::size_t units = msg.count(wt.type);
            if (units != wt.units_per_value) size_error<T>(msg, units, wt.units_per_value);
            msg.receive(&out, static_cast<int>(units), wt.type);
            return 1;
        } else {
            using E = typename detail::contiguous_container<T>::element_type;
            const auto wt = detail::wire_type_of<E>();
            const std::size_t units = msg.count(wt.type);
            if (units == static_cast<std::size_t>(-1) || units % wt.units_per_value != 0) {
                size_error<T>(msg, units, wt.units_per_value);
            }
            out.resize(units / wt.units_per_value);
            detail::count_type all(units, wt.type);
            msg.receive(out.data(), all.count(), all.type());
            return out.size();
        }
    }

    /// The payload bytes of a probed message: all of it.
    static std::size_t probed_payload_bytes(MPI_Comm /*bodies*/, const MPI_Status& status) {
        MPI_Count n = 0;
        detail::check_mpi(MPI_Get_elements_x(&status, MPI_BYTE, &n), "MPI_Get_elements_x");
        return static_cast<std::size_t>(n);
    }

private:
    template <class T>
    [[noreturn]] static void size_error(detail::incoming& msg, std::size_t units, std::size_t per_value) {
        // Receive it anyway so that the message does not stay matched and unreceived.
        const std::size_t bytes = msg.count(MPI_BYTE);
        msg.receive_into_scratch(bytes);
        const std::string held = units == static_cast<std::size_t>(-1)
                                     ? std::to_string(bytes) + " bytes that are not whole elements"
                                     : std::to_string(units) + " units";
        throw message_error(msg.who() + " expected " + baton::type_name<T>() + " " + msg.route() + " (a multiple of " +
                            std::to_string(per_value) + " units), but the message holds " + held +
                            "; it was not decoded");
    }
};

}  // namespace baton::wire
