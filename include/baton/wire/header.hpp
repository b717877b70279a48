#pragma once
/// @file
/// The 64-byte header the checked wire puts in front of every payload, in the same MPI
/// message: it names the sender's type so that a receiver asking for another type gets
/// baton::type_mismatch instead of garbage.

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>

#include "../type_name.hpp"

namespace baton::wire {

/// How the bytes after the header encode the value.
enum class encoding : std::uint8_t { memory = 0, binary_archive = 1, packed_archive = 2 };

struct header {
    static constexpr std::uint32_t magic_value = 0x314e5442;  // "BTN1" in memory order
    static constexpr std::size_t name_capacity = 48;

    std::uint32_t magic;
    std::uint8_t encoding;
    std::uint8_t name_length;  // bytes of `name` in use; the full name may be longer
    std::uint16_t reserved;
    std::uint64_t type_hash;  // FNV-1a of the full type name
    char name[name_capacity];

    /// The sender's type name as far as the header holds it (48 bytes; longer names end in "...").
    std::string type_name() const {
        const std::size_t n = std::min<std::size_t>(name_length, name_capacity);
        return std::string(name, n);
    }
};
static_assert(sizeof(header) == 64, "the header is part of the wire format");

constexpr std::uint64_t fnv1a(const char* data, std::size_t size) noexcept {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (std::size_t i = 0; i < size; ++i) {
        hash ^= static_cast<unsigned char>(data[i]);
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

template <class T>
header make_header(encoding how) {
    header h{};
    const std::string name = baton::type_name<T>();
    h.magic = header::magic_value;
    h.encoding = static_cast<std::uint8_t>(how);
    h.type_hash = fnv1a(name.data(), name.size());
    if (name.size() <= header::name_capacity) {
        std::memcpy(h.name, name.data(), name.size());
        h.name_length = static_cast<std::uint8_t>(name.size());
    } else {
        std::memcpy(h.name, name.data(), header::name_capacity - 3);
        std::memcpy(h.name + header::name_capacity - 3, "...", 3);
        h.name_length = header::name_capacity;
    }
    return h;
}

/// The header for T under an encoding, built once per type.
template <class T>
const header& header_for(encoding how) {
    static const header cached[3] = {make_header<T>(encoding::memory), make_header<T>(encoding::binary_archive),
                                     make_header<T>(encoding::packed_archive)};
    return cached[static_cast<int>(how)];
}

}  // namespace baton::wire
