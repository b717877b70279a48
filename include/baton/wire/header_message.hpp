#pragma once
/// @file
/// The header message of the checked wire: a large contiguous payload (a vector, a string, a
/// big struct) travels as this 15-byte message on the user's communicator, with the user's tag,
/// followed by the payload itself, sent straight from the caller's memory as one contiguous MPI
/// message (the body) on the communicator's private duplicate (comm_state::bodies), with the
/// same source and tag. So does any payload (serialized, or an isend's copy) that would make a
/// message longer than wire::checked::longest_whole_message: then a receiver can take every
/// other message whole into a buffer of that size (detail::receive_whole). MPI moves a contiguous message faster than
/// any framing that puts a header in front of the same bytes (docs/performance.md), and the private duplicate keeps
/// bodies out of reach of the program's own receives without taking any tag from it.
///
/// Pairing. MPI matches messages from one sender with one tag on one communicator in the order
/// they were sent, so the k-th header message from (source, tag) that a rank matches belongs to
/// the k-th body from (source, tag) on the duplicate, provided the rank receives each body right
/// after matching its header, which every baton receive does (blocking, whatever its deadline:
/// the sender posts the body right after the header, so it always comes).
///
/// Size. Every other checked message carries the 16-byte header, so a message of exactly
/// header_message::size bytes is a header message: probe and iprobe tell them apart without
/// receiving anything, and learn the payload's size by probing the duplicate for the body.

#include <cstdint>
#include <cstring>

#include <baton/wire/header.hpp>

namespace baton::wire {

/// The 15 bytes of a header message.
struct header_message {
    /// Bytes in a header message; every other checked message is at least 16.
    static constexpr std::size_t size = 15;
    static_assert(size < sizeof(header), "a header message must be shorter than any other checked message");
    /// The first byte of every header message.
    static constexpr unsigned char magic = 'B';
    /// The second byte says how the body is encoded: this letter for its bytes in memory (a
    /// contiguous payload), the letters after it for the other encodings, in wire::encoding's
    /// order.
    static constexpr unsigned char memory_letter = 'H';
    /// Bodies this large or larger cannot be announced (5 length bytes).
    static constexpr std::uint64_t body_limit = std::uint64_t{1} << 40;

    /// magic (2 bytes), the sender's type hash (8), the body's length in bytes (5, little end first)
    unsigned char bytes[size];

    /// The header message announcing a body of `body_bytes` bytes of a T, encoded as `how`.
    template <class T>
    static header_message make(std::uint64_t body_bytes, encoding how = encoding::memory) {
        (void)registration<T>::done;
        header_message m{};
        const std::uint64_t hash = wire::type_hash<T>();
        m.bytes[0] = magic;
        m.bytes[1] = static_cast<unsigned char>(memory_letter + static_cast<unsigned char>(how));
        std::memcpy(m.bytes + 2, &hash, 8);
        for (int i = 0; i < 5; ++i) m.bytes[10 + i] = static_cast<unsigned char>(body_bytes >> (8 * i));
        return m;
    }

    /// False for a 15-byte message some other program sent.
    bool has_magic() const noexcept {
        return bytes[0] == magic && bytes[1] >= memory_letter && bytes[1] < memory_letter + encoding_count;
    }
    /// How the body is encoded.
    encoding body_encoding() const noexcept { return static_cast<encoding>(bytes[1] - memory_letter); }
    /// The hash of the sender's type name (wire::type_hash).
    std::uint64_t type_hash() const noexcept {
        std::uint64_t hash = 0;
        std::memcpy(&hash, bytes + 2, 8);
        return hash;
    }
    /// The length of the body that follows, in bytes.
    std::uint64_t body_bytes() const noexcept {
        std::uint64_t n = 0;
        for (int i = 0; i < 5; ++i) n |= std::uint64_t{bytes[10 + i]} << (8 * i);
        return n;
    }
    /// The sender's type name (from this program's registry of the types it uses).
    std::string type_name() const { return detail::type_registry::instance().name_of(type_hash()); }
};
static_assert(sizeof(header_message) == header_message::size);

}  // namespace baton::wire
