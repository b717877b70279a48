#pragma once
/// @file
/// One NumPy element read from its bytes, in its dtype's byte order.

#include <cstdint>
#include <cstring>

#include <baton/py/dtype.hpp>

namespace baton::py::detail {

/// An element's value: exactly one of the three members is meaningful, by dtype.kind
/// ('b' and 'u' in as_unsigned, 'i' in as_signed, 'f' in as_double).
struct element_value {
    std::uint64_t as_unsigned = 0;
    std::int64_t as_signed = 0;
    double as_double = 0;
};

/// The unsigned value of n bytes in the given byte order.
inline std::uint64_t load_unsigned(const char* p, std::size_t n, bool big_endian) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) {
        auto byte = static_cast<unsigned char>(p[big_endian ? i : n - 1 - i]);
        v = (v << 8) | byte;
    }
    return v;
}

/// The element at p.
inline element_value load_element(const dtype& type, const char* p) {
    element_value out;
    std::uint64_t bits = load_unsigned(p, type.itemsize, type.big_endian);
    switch (type.kind) {
        case 'f':
            if (type.itemsize == 4) {
                auto narrow = static_cast<std::uint32_t>(bits);
                float f;
                std::memcpy(&f, &narrow, sizeof f);
                out.as_double = f;
            } else {
                std::memcpy(&out.as_double, &bits, sizeof bits);
            }
            break;
        case 'i': {
            unsigned shift = 64u - 8u * type.itemsize;
            // sign-extend from the element's width
            out.as_signed =
                shift == 0 ? static_cast<std::int64_t>(bits) : static_cast<std::int64_t>(bits << shift) >> shift;
            break;
        }
        default:
            out.as_unsigned = bits;
    }
    return out;
}

}  // namespace baton::py::detail
