#pragma once
/// @file
/// The default wire: every message is a 16-byte header identifying the sender's type, then the
/// payload, in ONE MPI message of bytes. The receiver checks the header and throws
/// baton::type_mismatch when it asked for another type.
///
/// Plain values and contiguous containers travel in place: small ones are copied next to the
/// header (cheaper than a derived datatype), large ones are sent from where they lie through
/// a two-block datatype. Other types go through the Encoding (wire/encodings.hpp).

#include <mpi.h>

#include <cstring>
#include <exception>
#include <string>

#include <baton/detail/byte_buffer.hpp>
#include <baton/detail/count_type.hpp>
#include <baton/detail/decode.hpp>
#include <baton/detail/incoming.hpp>
#include <baton/detail/payload_traits.hpp>
#include <baton/detail/scratch.hpp>
#include <baton/error.hpp>
#include <baton/wire/encodings.hpp>
#include <baton/wire/header.hpp>

namespace baton::wire {

/// @brief Type-checked wire policy (the default). `Encoding` encodes serialized payloads.
template <class Encoding = native_encoding>
struct checked {
    /// How serialized payloads are encoded (also in collectives).
    using encoding_type = Encoding;
    static constexpr bool type_checked = true;                   ///< receivers check the sender's type
    static constexpr std::size_t header_bytes = sizeof(header);  ///< bytes in front of each payload
    /// Messages up to this size are assembled in a scratch buffer; larger ones are not copied.
    static constexpr std::size_t small_message = 16384;

    /// Sends `value` as a `Declared` (the tag's type): Declared itself, or for a contiguous
    /// Declared any range of its elements.
    template <class Declared, class V>
    static void send(MPI_Comm comm, int dest, int tag, const V& value) {
        constexpr auto kind = detail::kind_v<Declared>;
        if constexpr (kind == detail::payload_kind::serialized) {
            auto& buffer = detail::scratch_buffer();
            encode_serialized<Declared>(comm, value, buffer);
            detail::send_bytes(buffer, dest, tag, comm);
            detail::trim_scratch(buffer);
        } else {
            const header& h = header_for<Declared>(encoding::memory);
            detail::byte_span payload = payload_bytes<Declared>(value);
            const std::size_t total = header_bytes + payload.bytes;
            if (total <= small_message) {
                auto& buffer = detail::scratch_buffer();
                buffer.resize(total);
                std::memcpy(buffer.data(), &h, header_bytes);
                if (payload.bytes != 0) std::memcpy(buffer.data() + header_bytes, payload.data, payload.bytes);
                detail::check_mpi(MPI_Send(buffer.data(), static_cast<int>(total), MPI_BYTE, dest, tag, comm),
                                  "MPI_Send");
            } else {
                detail::two_block_type frame(&h, header_bytes, payload.data, payload.bytes);
                detail::check_mpi(MPI_Send(MPI_BOTTOM, 1, frame.type(), dest, tag, comm), "MPI_Send");
            }
        }
    }

    /// Encodes the whole message, header first, into `out` and starts sending it from there
    /// (MPI_Isend); `out` must live until the returned request completes.
    template <class Declared, class V>
    static MPI_Request post_send(MPI_Comm comm, int dest, int tag, const V& value, detail::byte_buffer& out) {
        if constexpr (detail::kind_v<Declared> == detail::payload_kind::serialized) {
            encode_serialized<Declared>(comm, value, out);
        } else {
            const header& h = header_for<Declared>(encoding::memory);
            const detail::byte_span payload = payload_bytes<Declared>(value);
            out.resize(header_bytes + payload.bytes);
            std::memcpy(out.data(), &h, header_bytes);
            if (payload.bytes != 0) std::memcpy(out.data() + header_bytes, payload.data, payload.bytes);
        }
        return detail::isend_bytes(out, dest, tag, comm);
    }

    /// Encodes a serialized payload, header first, into `out`.
    template <class Declared, class V>
    static void encode_serialized(MPI_Comm comm, const V& value, detail::byte_buffer& out) {
        out.resize(header_bytes);
        const header& h = header_for<Declared>(encoding{Encoding::id});
        std::memcpy(out.data(), &h, header_bytes);
        Encoding::save(comm, out, static_cast<const Declared&>(value));
    }

    /// Receives a matched message into `out`; returns its element count (bytes for serialized).
    template <class T>
    static std::size_t recv(MPI_Comm comm, detail::incoming& msg, T& out) {
        const std::size_t bytes = msg.count(MPI_BYTE);
        constexpr auto kind = detail::kind_v<T>;
        if (bytes < header_bytes) {
            msg.receive_into_scratch(bytes);
            throw no_header<T>(msg, bytes);
        }
        const std::size_t payload = bytes - header_bytes;
        if constexpr (kind == detail::payload_kind::fixed) {
            if (payload != sizeof(T) || bytes <= small_message) {
                const char* data = msg.receive_into_scratch(bytes);
                check_header<T>(data, msg, encoding::memory);
                if (payload != sizeof(T)) throw size_error<T>(msg, payload);
                std::memcpy(static_cast<void*>(&out), data + header_bytes, sizeof(T));
            } else {
                header h;
                detail::two_block_type frame(&h, header_bytes, &out, sizeof(T));
                msg.receive(MPI_BOTTOM, 1, frame.type());
                check_header<T>(&h, msg, encoding::memory);
            }
            return 1;
        } else if constexpr (kind == detail::payload_kind::contiguous) {
            using E = typename detail::contiguous_container<T>::element_type;
            if (bytes <= small_message || payload % sizeof(E) != 0) {
                const char* data = msg.receive_into_scratch(bytes);
                check_header<T>(data, msg, encoding::memory);
                if (payload % sizeof(E) != 0) throw size_error<T>(msg, payload);
                out.resize(payload / sizeof(E));
                if (payload != 0) std::memcpy(static_cast<void*>(out.data()), data + header_bytes, payload);
            } else {
                out.resize(payload / sizeof(E));
                header h;
                detail::two_block_type frame(&h, header_bytes, out.data(), payload);
                msg.receive(MPI_BOTTOM, 1, frame.type());
                check_header<T>(&h, msg, encoding::memory);
            }
            return payload / sizeof(E);
        } else {
            const char* data = msg.receive_into_scratch(bytes);
            check_header<T>(data, msg, encoding{Encoding::id});
            detail::decode_or_throw<Encoding>(
                comm, data + header_bytes, payload, out, [&] { return msg.who(); }, [&] { return msg.route(); });
            detail::trim_scratch(detail::scratch_buffer());
            return payload;
        }
    }

    /// The element count a message holds for a receiver of T (bytes for serialized T).
    template <class T>
    static std::size_t count_for(std::size_t message_bytes) {
        return detail::payload_count<T>(message_bytes >= header_bytes ? message_bytes - header_bytes : 0);
    }

    /// Checks a header at `data` (any alignment) against T; throws on a mismatch.
    template <class T>
    static void check_header(const void* data, const detail::incoming& msg, encoding expected) {
        header h;
        std::memcpy(&h, data, header_bytes);
        if (h.magic != header::magic_value) {
            throw message_error(msg.who() + " received a message " + msg.route() +
                                " that has no baton header; was it sent by an unchecked comm or a non-baton "
                                "program? (expected " +
                                baton::type_name<T>() + ")");
        }
        const header& mine = header_for<T>(expected);
        if (h.type_hash != mine.type_hash) {
            throw type_mismatch(
                msg.who() + " expected " + baton::type_name<T>() + " " + msg.route() + ", got " + h.type_name(),
                baton::type_name<T>(), h.type_name());
        }
        if (h.encoding != static_cast<std::uint8_t>(expected)) {
            throw message_error(msg.who() + " received " + baton::type_name<T>() + " " + msg.route() +
                                " encoded with " + encoding_name(h.encoding) + ", but this comm decodes " +
                                encoding_name(static_cast<std::uint8_t>(expected)) +
                                "; sender and receiver must use the same comm type");
        }
    }

private:
    template <class Declared, class V>
    static detail::byte_span payload_bytes(const V& value) {
        if constexpr (detail::kind_v<Declared> == detail::payload_kind::fixed) {
            return {static_cast<const void*>(&value), sizeof(Declared)};
        } else {
            return detail::bytes_of_range(value);
        }
    }

    template <class T>
    static message_error no_header(const detail::incoming& msg, std::size_t bytes) {
        return message_error(msg.who() + " received a " + std::to_string(bytes) + "-byte message " + msg.route() +
                             " that has no baton header; was it sent by an unchecked comm or a non-baton program?"
                             " (expected " +
                             baton::type_name<T>() + ")");
    }

    template <class T>
    static message_error size_error(const detail::incoming& msg, std::size_t payload) {
        return message_error(msg.who() + " received " + baton::type_name<T>() + " " + msg.route() + " with " +
                             std::to_string(payload) + " payload bytes, which is not a whole number of " +
                             baton::type_name<T>() + " elements; the message was not decoded");
    }

    static std::string encoding_name(std::uint8_t e) {
        switch (e) {
            case 0:
                return "plain memory";
            case 1:
                return std::string(native_encoding::name) + " (baton::comm)";
            case 2:
                return std::string(portable_encoding::name) + " (baton::portable_comm)";
            default:
                return "unknown encoding " + std::to_string(e);
        }
    }
};

}  // namespace baton::wire
