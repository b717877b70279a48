#pragma once
/// @file
/// baton::py::dtype: the NumPy element types baton's pickle codec reads and writes.

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

#include <baton/error.hpp>

namespace baton::py {

/// @brief A NumPy dtype of the codec's subset: bool, int8-64, uint8-64, float32 and float64,
/// in either byte order.
struct dtype {
    /// NumPy's kind letter: 'b' bool, 'i' signed integer, 'u' unsigned integer, 'f' float.
    char kind = 'f';
    /// Bytes per element.
    std::uint8_t itemsize = 8;
    /// The data's byte order: true for big-endian ('>'), false for little-endian ('<').
    bool big_endian = false;

    /// NumPy's name of the type: "bool", "int32", "float64", ...
    std::string name() const {
        if (kind == 'b') return "bool";
        std::string base = kind == 'i' ? "int" : kind == 'u' ? "uint" : "float";
        return base + std::to_string(itemsize * 8);
    }
    /// The short code NumPy pickles a dtype by ("b1", "i4", "f8").
    std::string code() const { return std::string(1, kind) + std::to_string(int{itemsize}); }
    /// NumPy's byte-order character: '|' for one-byte types, else '<' or '>'.
    char byte_order() const { return itemsize == 1 ? '|' : big_endian ? '>' : '<'; }

    /// The dtype NumPy gives a C++ element type T (native, little-endian order).
    template <class T>
    static dtype of() {
        static_assert(std::is_arithmetic_v<T>,
                      "baton::py::dtype::of<T>: T must be bool, an integer type, float or double");
        if constexpr (std::is_same_v<T, bool>) {
            return {'b', 1, false};
        } else if constexpr (std::is_floating_point_v<T>) {
            static_assert(sizeof(T) == 4 || sizeof(T) == 8, "NumPy arrays of float or double only");
            return {'f', static_cast<std::uint8_t>(sizeof(T)), false};
        } else {
            return {std::is_signed_v<T> ? 'i' : 'u', static_cast<std::uint8_t>(sizeof(T)), false};
        }
    }

    /// The dtype of a code as NumPy pickles it ("f8", "i4", "b1", "u2"); throws baton::error for
    /// any other (object, string, structured and complex dtypes are outside the subset).
    static dtype from_code(std::string_view code) {
        auto refuse = [&] {
            return baton::error("pickle: numpy dtype '" + std::string(code) +
                                "' is not supported (bool, int8-64, uint8-64, float32 and float64 are)");
        };
        if (code.size() < 2 || code.size() > 2) throw refuse();
        char k = code[0];
        int size = code[1] - '0';
        bool ok = (k == 'b' && size == 1) ||
                  ((k == 'i' || k == 'u') && (size == 1 || size == 2 || size == 4 || size == 8)) ||
                  (k == 'f' && (size == 4 || size == 8));
        if (!ok) throw refuse();
        return {k, static_cast<std::uint8_t>(size), false};
    }

    /// Same kind, size and byte order (one-byte types have no byte order).
    friend bool operator==(const dtype& a, const dtype& b) {
        return a.kind == b.kind && a.itemsize == b.itemsize && (a.itemsize == 1 || a.big_endian == b.big_endian);
    }
    /// Not ==.
    friend bool operator!=(const dtype& a, const dtype& b) { return !(a == b); }
};

}  // namespace baton::py
