#pragma once
/// @file
/// The default wire: every message is a 16-byte header identifying the sender's type, then the
/// payload, in one MPI message of bytes. The receiver checks the header and throws
/// baton::type_mismatch when it asked for another type.
///
/// Plain values and contiguous containers travel in place: small ones are copied next to the
/// header (cheaper than a derived datatype); larger ones go with the header in one message
/// through a two-block datatype of both where they lie, or, from separate_body_from() on a
/// communicator with a body channel, as a header message and a body sent from where it lies
/// (wire/header_message.hpp). Which framing wins where depends on the MPI (config.hpp,
/// BATON_COPIED_MESSAGE_LIMIT and BATON_SEPARATE_BODY_FROM). Other types go through the
/// Encoding (wire/encodings.hpp).

#include <mpi.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <mutex>
#include <string>

#include <baton/config.hpp>
#include <baton/detail/byte_buffer.hpp>
#include <baton/detail/codec/decode.hpp>
#include <baton/detail/codec/payload_traits.hpp>
#include <baton/detail/mpi/count_type.hpp>
#include <baton/detail/mpi/thread_level.hpp>
#include <baton/detail/p2p/incoming.hpp>
#include <baton/detail/p2p/posted_send.hpp>
#include <baton/detail/scratch.hpp>
#include <baton/error.hpp>
#include <baton/wire/encodings.hpp>
#include <baton/wire/header.hpp>
#include <baton/wire/header_message.hpp>

namespace baton::wire {

/// @brief Type-checked wire policy (the default). `Encoding` encodes serialized payloads.
template <class Encoding = native_encoding>
struct checked {
    /// How serialized payloads are encoded (also in collectives).
    using encoding_type = Encoding;
    static constexpr bool type_checked = true;                   ///< receivers check the sender's type
    static constexpr std::size_t header_bytes = sizeof(header);  ///< bytes in front of each payload
    /// Messages up to this size are assembled in a scratch buffer; larger ones are not copied
    /// (BATON_COPIED_MESSAGE_LIMIT in config.hpp).
    static std::size_t copied_message_limit() { return config::copied_message_limit(); }

    /// Sends `value` as a `Declared` (the tag's type): Declared itself, or for a contiguous
    /// Declared any range of its elements.
    /// `bodies` is the communicator's body channel (comm_state::bodies), or MPI_COMM_NULL.
    template <class Declared, class V>
    static void send(MPI_Comm comm, MPI_Comm bodies, int dest, int tag, const V& value) {
        constexpr auto kind = detail::kind_v<Declared>;
        if constexpr (kind == detail::payload_kind::serialized) {
            auto& buffer = detail::scratch_buffer();
            encode_serialized<Declared>(comm, value, buffer);
            const std::size_t payload = buffer.size() - header_bytes;
            if (travels_apart(bodies, kind, payload)) {
                send_apart(comm, bodies, dest, tag, announcement<Declared>(payload), buffer.data() + header_bytes,
                           payload);
            } else {
                detail::send_bytes(buffer, dest, tag, comm);
            }
            detail::trim_scratch(buffer);
        } else {
            const header& h = header_for<Declared>(encoding::memory);
            detail::byte_span payload = payload_bytes<Declared>(value);
            const std::size_t total = header_bytes + payload.bytes;
            if (travels_apart(bodies, kind, payload.bytes)) {
                send_apart(comm, bodies, dest, tag, announcement<Declared>(payload.bytes), payload.data, payload.bytes);
            } else if (total <= copied_message_limit()) {
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
    /// (MPI_Isend); `out` must live until the returned requests complete. A message that
    /// travels apart goes as a header message, written where the header was, and the body
    /// that follows it in `out`.
    template <class Declared, class V>
    static detail::posted_send post_send(MPI_Comm comm, MPI_Comm bodies, int dest, int tag, const V& value,
                                         detail::byte_buffer& out) {
        constexpr auto kind = detail::kind_v<Declared>;
        if constexpr (kind == detail::payload_kind::serialized) {
            encode_serialized<Declared>(comm, value, out);
        } else {
            const header& h = header_for<Declared>(encoding::memory);
            const detail::byte_span payload = payload_bytes<Declared>(value);
            out.resize(header_bytes + payload.bytes);
            std::memcpy(out.data(), &h, header_bytes);
            if (payload.bytes != 0) std::memcpy(out.data() + header_bytes, payload.data, payload.bytes);
        }
        detail::posted_send sent;
        const std::size_t payload = out.size() - header_bytes;
        if (!travels_apart(bodies, kind, payload)) {
            sent.requests[0] = detail::isend_bytes(out, dest, tag, comm);
            return sent;
        }
        const header_message announce = announcement<Declared>(payload);
        char* at = out.data() + (header_bytes - header_message::size);
        std::memcpy(at, announce.bytes, header_message::size);
        return post_apart(comm, bodies, dest, tag, at, out.data() + header_bytes, payload);
    }

    /// Where a receive may skip the probe (config::receive_without_probe), the longest message a
    /// checked sender puts on a communicator that has a body channel: longer payloads travel as
    /// a header message and a body. So a receive there can take any checked message whole into
    /// a buffer this large, without probing for its size first.
    static constexpr std::size_t longest_whole_message = 16384;

    /// Whether a payload of `payload` bytes of the given kind travels as a header message and
    /// a body: on a communicator with a body channel, contiguous payloads from
    /// separate_body_from(), and, where receives skip the probe, any payload that would make a
    /// message longer than longest_whole_message.
    static bool travels_apart(MPI_Comm bodies, detail::payload_kind kind, std::size_t payload) {
        if (bodies == MPI_COMM_NULL) return false;
        if (config::receive_without_probe && payload > longest_whole_message - header_bytes) return true;
        return kind != detail::payload_kind::serialized && payload >= separate_body_from();
    }

    /// On a communicator with a body channel, the fewest bytes of a contiguous payload that are
    /// not copied next to the header: from there it travels in two blocks or apart.
    static std::size_t first_uncopied_payload() {
        const std::size_t limit = copied_message_limit();
        return std::min(separate_body_from(), limit < header_bytes ? 0 : limit - header_bytes + 1);
    }

    /// Encodes a serialized payload, header first, into `out`.
    template <class Declared, class V>
    static void encode_serialized(MPI_Comm comm, const V& value, detail::byte_buffer& out) {
        out.resize(header_bytes);
        const header& h = header_for<Declared>(encoding{Encoding::id});
        std::memcpy(out.data(), &h, header_bytes);
        Encoding::save(comm, out, static_cast<const Declared&>(value));
    }

    /// Contiguous payloads of at least this many bytes travel as a header message and a body
    /// (wire/header_message.hpp) on communicators with a body channel: BATON_SEPARATE_BODY_FROM
    /// in config.hpp.
    static std::size_t separate_body_from() { return config::separate_body_from(); }

    /// Receives a matched message into `out`; returns its element count (bytes for serialized).
    /// A header message's body is taken from `bodies` (the channel of the communicator).
    template <class T>
    static std::size_t recv(MPI_Comm comm, MPI_Comm bodies, detail::incoming& msg, T& out) {
        const std::size_t bytes = msg.count(MPI_BYTE);
        constexpr auto kind = detail::kind_v<T>;
        if (bytes == header_message::size && bodies != MPI_COMM_NULL) return recv_separate(comm, bodies, msg, out);
        if (bytes < header_bytes) {
            msg.receive_into_scratch(bytes);
            throw no_header<T>(msg, bytes);
        }
        const std::size_t payload = bytes - header_bytes;
        // A message received whole is read where it is; a short one is copied from scratch.
        // (Serialized payloads are always decoded from scratch and never ask.)
        const bool copied =
            kind != detail::payload_kind::serialized && (msg.arrived != nullptr || bytes <= copied_message_limit());
        if constexpr (kind == detail::payload_kind::fixed) {
            if (payload != sizeof(T) || copied) {
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
            if (copied || payload % sizeof(E) != 0) {
                const char* data = msg.receive_into_scratch(bytes);
                check_header<T>(data, msg, encoding::memory);
                if (payload % sizeof(E) != 0) throw size_error<T>(msg, payload);
                assign_elements(out, data + header_bytes, payload / sizeof(E));
            } else {
                out.resize(payload / sizeof(E));
                header h;
                detail::two_block_type frame(&h, header_bytes, out.data(), payload);
                msg.receive(MPI_BOTTOM, 1, frame.type());
                try {
                    check_header<T>(&h, msg, encoding::memory);
                } catch (...) {
                    out.clear();  // it holds another type's bytes: refused, not kept
                    throw;
                }
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

    /// The payload bytes of a probed message: for a header message, its body's, found by
    /// probing the body channel (the body follows its header at once).
    static std::size_t probed_payload_bytes(MPI_Comm bodies, const MPI_Status& status) {
        MPI_Count n = 0;
        detail::check_mpi(MPI_Get_elements_x(&status, MPI_BYTE, &n), "MPI_Get_elements_x");
        auto bytes = static_cast<std::size_t>(n);
        if (bytes == header_message::size && bodies != MPI_COMM_NULL) {
            MPI_Status body;
            detail::check_mpi(MPI_Probe(status.MPI_SOURCE, status.MPI_TAG, bodies, &body), "MPI_Probe");
            detail::check_mpi(MPI_Get_elements_x(&body, MPI_BYTE, &n), "MPI_Get_elements_x");
            return static_cast<std::size_t>(n);
        }
        return bytes >= header_bytes ? bytes - header_bytes : 0;
    }

    /// Checks a header at `data` (any alignment) against T; throws on a mismatch.
    template <class T>
    static void check_header(const void* data, const detail::incoming& msg, encoding expected) {
        header h;
        std::memcpy(&h, data, header_bytes);
        if (h.magic != header::magic_value) throw no_header<T>(msg);
        const header& mine = header_for<T>(expected);
        if (h.type_hash != mine.type_hash) throw mismatch<T>(msg, h.type_name());
        if (h.encoding != static_cast<std::uint8_t>(expected)) throw encoding_mismatch<T>(msg, h.encoding, expected);
    }

private:
    /// The header message announcing `payload` body bytes of a Declared.
    template <class Declared>
    static header_message announcement(std::size_t payload) {
        if (payload >= header_message::body_limit) {
            throw usage_error("a " + baton::type_name<Declared>() + " of " + std::to_string(payload) +
                              " bytes is longer than baton's limit for one message (" +
                              std::to_string(header_message::body_limit) + " bytes)");
        }
        constexpr bool serialized = detail::kind_v<Declared> == detail::payload_kind::serialized;
        return header_message::make<Declared>(payload, serialized ? encoding{Encoding::id} : encoding::memory);
    }

    static void send_apart(MPI_Comm comm, MPI_Comm bodies, int dest, int tag, const header_message& announce,
                           const void* body, std::size_t bytes) {
        if (detail::threads_call_mpi_at_once()) {
            post_apart(comm, bodies, dest, tag, announce.bytes, body, bytes).wait();
            return;
        }
        detail::check_mpi(MPI_Send(announce.bytes, static_cast<int>(header_message::size), MPI_BYTE, dest, tag, comm),
                          "MPI_Send");
        detail::count_type whole(bytes, MPI_BYTE);
        detail::check_mpi(MPI_Send(body, whole.count(), whole.type(), dest, tag, bodies), "MPI_Send");
    }

    /// Starts sending the header message at `announce` and its body (both must live until the
    /// requests complete), under pairing_lock when several threads call MPI.
    static detail::posted_send post_apart(MPI_Comm comm, MPI_Comm bodies, int dest, int tag, const void* announce,
                                          const void* body, std::size_t bytes) {
        detail::posted_send sent;
        detail::count_type whole(bytes, MPI_BYTE);
        std::unique_lock<std::mutex> lock(pairing_lock(), std::defer_lock);
        if (detail::threads_call_mpi_at_once()) lock.lock();
        detail::check_mpi(
            MPI_Isend(announce, static_cast<int>(header_message::size), MPI_BYTE, dest, tag, comm, &sent.requests[0]),
            "MPI_Isend");
        detail::check_mpi(MPI_Isend(body, whole.count(), whole.type(), dest, tag, bodies, &sent.requests[1]),
                          "MPI_Isend");
        return sent;
    }

    /// A receiver pairs the k-th header message from a (source, tag) with the k-th body, so two
    /// threads sending with one tag to one rank at once must not interleave a header and its
    /// body with the other's: under MPI_THREAD_MULTIPLE both are posted under this lock (and
    /// waited for outside it, so that a body waiting for its receive holds up no other send).
    static std::mutex& pairing_lock() {
        static std::mutex lock;
        return lock;
    }

    /// The rest of a receive that matched a header message: its body is received from
    /// `bodies` whatever happens (a type mismatch too), so that it is never left behind for
    /// the next header message from the same source and tag.
    template <class T>
    static std::size_t recv_separate(MPI_Comm comm, MPI_Comm bodies, detail::incoming& msg, T& out) {
        header_message announce;
        msg.receive(announce.bytes, static_cast<int>(header_message::size), MPI_BYTE);
        if (!announce.has_magic()) throw no_header<T>(msg, header_message::size);
        const std::size_t payload = announce.body_bytes();
        constexpr auto kind = detail::kind_v<T>;
        auto into_scratch = [&] {
            auto& scratch = detail::scratch_buffer();
            scratch.resize(payload);
            receive_body(bodies, msg, scratch.data(), payload);
            return scratch.data();
        };
        auto drain = [&] {
            into_scratch();
            detail::trim_scratch(detail::scratch_buffer());
        };
        if (announce.type_hash() != type_hash<T>()) {
            drain();
            throw mismatch<T>(msg, announce.type_name());
        }
        const encoding expected = kind == detail::payload_kind::serialized ? encoding{Encoding::id} : encoding::memory;
        if (announce.body_encoding() != expected) {
            drain();
            throw encoding_mismatch<T>(msg, static_cast<std::uint8_t>(announce.body_encoding()), expected);
        }
        if constexpr (kind == detail::payload_kind::fixed) {
            if (payload != sizeof(T)) {
                drain();
                throw size_error<T>(msg, payload);
            }
            receive_body(bodies, msg, &out, payload);
            return 1;
        } else if constexpr (kind == detail::payload_kind::contiguous) {
            using E = typename detail::contiguous_container<T>::element_type;
            if (payload % sizeof(E) != 0) {
                drain();
                throw size_error<T>(msg, payload);
            }
            out.resize(payload / sizeof(E));
            receive_body(bodies, msg, out.data(), payload);
            return payload / sizeof(E);
        } else {
            const char* data = into_scratch();
            detail::decode_or_throw<Encoding>(
                comm, data, payload, out, [&] { return msg.who(); }, [&] { return msg.route(); });
            detail::trim_scratch(detail::scratch_buffer());
            return payload;
        }
    }

    /// Makes `out` hold the `count` elements whose bytes start at `bytes` (in the scratch
    /// buffer). Assigning from the elements in place, rather than resize and memcpy, spares a
    /// growing container (all of a fresh one) the zero-fill before the copy. The scratch
    /// buffer's storage comes from operator new, which gives trivially copyable elements their
    /// lifetime; where `bytes` is not aligned for the element type, they are copied as bytes.
    template <class C>
    static void assign_elements(C& out, const char* bytes, std::size_t count) {
        using E = typename detail::contiguous_container<C>::element_type;
        if (reinterpret_cast<std::uintptr_t>(bytes) % alignof(E) == 0) {
            const E* first = reinterpret_cast<const E*>(bytes);
            out.assign(first, first + count);
            return;
        }
        out.resize(count);
        if (count != 0) std::memcpy(static_cast<void*>(out.data()), bytes, count * sizeof(E));
    }

    static void receive_body(MPI_Comm bodies, const detail::incoming& msg, void* into, std::size_t bytes) {
        detail::count_type whole(bytes, MPI_BYTE);
        detail::check_mpi(
            MPI_Recv(into, whole.count(), whole.type(), msg.source(), msg.tag(), bodies, MPI_STATUS_IGNORE),
            "MPI_Recv");
    }

    template <class Declared, class V>
    static detail::byte_span payload_bytes(const V& value) {
        if constexpr (detail::kind_v<Declared> == detail::payload_kind::fixed) {
            return {static_cast<const void*>(&value), sizeof(Declared)};
        } else {
            return detail::bytes_of_range(value);
        }
    }

    // The errors, built in cold functions so that the receive's common path stays short.

    template <class T>
    [[gnu::cold, gnu::noinline]] static message_error no_header(const detail::incoming& msg) {
        return message_error(msg.who() + " received a message " + msg.route() +
                             " that has no baton header; was it sent by an unchecked comm or a non-baton "
                             "program? (expected " +
                             baton::type_name<T>() + ")");
    }

    template <class T>
    [[gnu::cold, gnu::noinline]] static message_error no_header(const detail::incoming& msg, std::size_t bytes) {
        return message_error(msg.who() + " received a " + std::to_string(bytes) + "-byte message " + msg.route() +
                             " that has no baton header; was it sent by an unchecked comm or a non-baton program?"
                             " (expected " +
                             baton::type_name<T>() + ")");
    }

    /// A receiver of T was sent a value of the type named `sent` (a header or a header message).
    template <class T>
    [[gnu::cold, gnu::noinline]] static type_mismatch mismatch(const detail::incoming& msg, const std::string& sent) {
        return type_mismatch(msg.who() + " expected " + baton::type_name<T>() + " " + msg.route() + ", got " + sent,
                             baton::type_name<T>(), sent);
    }

    template <class T>
    [[gnu::cold, gnu::noinline]] static message_error size_error(const detail::incoming& msg, std::size_t payload) {
        return message_error(msg.who() + " received " + baton::type_name<T>() + " " + msg.route() + " with " +
                             std::to_string(payload) + " payload bytes, which is not a whole number of " +
                             baton::type_name<T>() + " elements; the message was not decoded");
    }

    template <class T>
    [[gnu::cold, gnu::noinline]] static message_error encoding_mismatch(const detail::incoming& msg, std::uint8_t sent,
                                                                        encoding expected) {
        return message_error(msg.who() + " received " + baton::type_name<T>() + " " + msg.route() + " encoded with " +
                             encoding_name(sent) + ", but this comm decodes " +
                             encoding_name(static_cast<std::uint8_t>(expected)) +
                             "; sender and receiver must use the same comm type");
    }
};

}  // namespace baton::wire
