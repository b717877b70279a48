#pragma once
/// @file
/// The 16-byte header the checked wire puts in front of every payload, in the same MPI
/// message: a hash of the sender's type name, so that a receiver asking for another type gets
/// baton::type_mismatch naming both types instead of garbage.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>

#include <baton/detail/codec/type_registry.hpp>
#include <baton/type_name.hpp>

namespace baton::wire {

/// How the bytes after the header encode the value: the one list of baton's encodings. A new
/// encoding is an entry here, its struct in encodings.hpp (whose id is this value) and its name
/// in encodings.hpp's encoding_name; the header tables and the header message's letters follow
/// from encoding_count.
enum class encoding : std::uint8_t { memory = 0, native = 1, portable = 2 };
/// How many encodings there are (the number of entries of every table indexed by encoding).
inline constexpr std::size_t encoding_count = 3;

struct header {
    static constexpr std::uint32_t magic_value = 0x324e5442;  // "BTN2" in memory order

    std::uint32_t magic;
    std::uint8_t encoding;
    std::uint8_t reserved[3];
    std::uint64_t type_hash;  // FNV-1a of the type's name (baton::type_name)

    /// The sender's type name (from this program's registry of the types it uses).
    std::string type_name() const { return detail::type_registry::instance().name_of(type_hash); }
};
static_assert(sizeof(header) == 16, "the header is part of the wire format");

/// FNV-1a of `size` bytes, continuing from `hash` (the offset basis to start afresh).
constexpr std::uint64_t fnv1a(const char* data, std::size_t size, std::uint64_t hash = 0xcbf29ce484222325ULL) noexcept {
    for (std::size_t i = 0; i < size; ++i) {
        hash ^= static_cast<unsigned char>(data[i]);
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

/// The hash of T's name (baton::type_name) that the header carries.
template <class T>
std::uint64_t type_hash() {
    static const std::uint64_t hash = [] {
        const std::string name = baton::type_name<T>();
        return fnv1a(name.data(), name.size());
    }();
    return hash;
}

template <class T>
header make_header(encoding how) {
    header h{};
    h.magic = header::magic_value;
    h.encoding = static_cast<std::uint8_t>(how);
    h.type_hash = type_hash<T>();
    return h;
}

/// Registers T's name at program start-up (a dynamically initialized static member of a
/// template is initialized before main once the template is instantiated anywhere), so a
/// rank can name a type it received but never used itself.
template <class T>
struct registration {
    static inline const bool done =
        (detail::type_registry::instance().add(type_hash<T>(), baton::type_name<T>()), true);
};

/// T's header under each encoding, indexed by encoding.
template <class T, std::size_t... E>
std::array<header, encoding_count> make_headers(std::index_sequence<E...>) {
    return {make_header<T>(static_cast<encoding>(E))...};
}
template <class T>
std::array<header, encoding_count> make_headers() {
    return make_headers<T>(std::make_index_sequence<encoding_count>{});
}

/// The headers of T, built before main like registration<T>, so that reading one on every
/// send and receive is a load rather than the guard of a function-local static.
template <class T>
struct cached_headers {
    static inline const std::array<header, encoding_count> all = make_headers<T>();
};

/// header_for while static objects are being initialized, before cached_headers<T>'s own turn
/// (its storage is zero until then).
template <class T>
[[gnu::cold, gnu::noinline]] const header& header_before_main(encoding how) {
    static const std::array<header, encoding_count> early = make_headers<T>();
    return early[static_cast<std::size_t>(how)];
}

/// The header for T under an encoding, built once per type.
template <class T>
const header& header_for(encoding how) {
    (void)registration<T>::done;
    const header& h = cached_headers<T>::all[static_cast<std::size_t>(how)];
    return h.magic == header::magic_value ? h : header_before_main<T>(how);
}

}  // namespace baton::wire
