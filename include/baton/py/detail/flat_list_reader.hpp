#pragma once
/// @file
/// The fast path of a typed read: a pickle that is one flat list of numbers, bools or strings
/// (what Python writes for a list of float, int, bool or str) read straight into a
/// std::vector, without building a baton::py::object per item. Anything else in the stream
/// (another opcode, a memo reference, a value that does not convert) makes it give up, and the
/// general reader then reads the pickle, with its errors.

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <baton/py/detail/opcodes.hpp>
#include <baton/py/detail/python_text.hpp>

namespace baton::py::detail {

template <class U>
constexpr bool flat_list_item = std::is_arithmetic_v<U> || std::is_same_v<U, std::string>;

/// The list, or nothing if the pickle is not a flat list of items that convert to U exactly.
template <class U>
std::optional<std::vector<U>> read_flat_list(std::string_view bytes) {
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    const auto* end = p + bytes.size();
    auto left = [&] { return static_cast<std::size_t>(end - p); };
    auto le = [&](std::size_t n) {
        std::uint64_t v = 0;
        for (std::size_t i = n; i-- > 0;) v = (v << 8) | p[i];
        p += n;
        return v;
    };
    std::vector<U> out;
    bool list_open = false;  // after EMPTY_LIST
    bool in_batch = false;   // after MARK
    auto integer = [&](std::int64_t v) -> bool {
        if constexpr (std::is_same_v<U, bool> || std::is_same_v<U, std::string>) {
            return false;
        } else if constexpr (std::is_floating_point_v<U>) {
            if (v >= (std::int64_t{1} << 24) || v <= -(std::int64_t{1} << 24))
                return false;  // exact in float and double
            out.push_back(static_cast<U>(v));
            return true;
        } else {
            if constexpr (std::is_signed_v<U>) {
                if (v < static_cast<std::int64_t>(std::numeric_limits<U>::min())) return false;
            } else {
                if (v < 0) return false;
            }
            if (v > 0 && static_cast<std::uint64_t>(v) > static_cast<std::uint64_t>(std::numeric_limits<U>::max()))
                return false;
            out.push_back(static_cast<U>(v));
            return true;
        }
    };
    while (p < end) {
        unsigned char code = *p++;
        switch (code) {
            case op::proto:
                if (left() < 1 || *p > 5) return std::nullopt;
                ++p;
                break;
            case op::frame:
                if (left() < 8) return std::nullopt;
                p += 8;
                if (!list_open) out.reserve(std::min<std::size_t>(left() / 9, bytes.size()));
                break;
            case op::empty_list:
                if (list_open) return std::nullopt;
                list_open = true;
                break;
            case op::memoize:
                if (!list_open) return std::nullopt;
                break;
            case op::binput:
                if (!list_open || left() < 1) return std::nullopt;
                p += 1;
                break;
            case op::long_binput:
                if (!list_open || left() < 4) return std::nullopt;
                p += 4;
                break;
            case op::mark:
                if (!list_open || in_batch) return std::nullopt;
                in_batch = true;
                break;
            case op::appends:
                if (!in_batch) return std::nullopt;
                in_batch = false;
                break;
            case op::append:  // a list of one item: EMPTY_LIST item APPEND
                if (!list_open || in_batch || out.size() != 1) return std::nullopt;
                break;
            case op::stop:
                if (!list_open || in_batch) return std::nullopt;
                return out;
            case op::binfloat: {
                if constexpr (std::is_floating_point_v<U>) {
                    if (!list_open || left() < 8) return std::nullopt;
                    std::uint64_t bits = 0;
                    for (int i = 0; i < 8; ++i) bits = (bits << 8) | p[i];
                    p += 8;
                    double d;
                    std::memcpy(&d, &bits, sizeof d);
                    if constexpr (sizeof(U) < sizeof(double)) {
                        if (static_cast<double>(static_cast<U>(d)) != d) return std::nullopt;
                    }
                    out.push_back(static_cast<U>(d));
                    break;
                } else {
                    return std::nullopt;
                }
            }
            case op::binint1:
                if (!list_open || left() < 1 || !integer(le(1))) return std::nullopt;
                break;
            case op::binint2:
                if (!list_open || left() < 2 || !integer(static_cast<std::int64_t>(le(2)))) return std::nullopt;
                break;
            case op::binint:
                if (!list_open || left() < 4 || !integer(static_cast<std::int32_t>(static_cast<std::uint32_t>(le(4)))))
                    return std::nullopt;
                break;
            case op::newtrue:
            case op::newfalse:
                if constexpr (std::is_same_v<U, bool>) {
                    if (!list_open) return std::nullopt;
                    out.push_back(code == op::newtrue);
                    break;
                } else {
                    return std::nullopt;
                }
            case op::short_binunicode:
            case op::binunicode: {
                if constexpr (std::is_same_v<U, std::string>) {
                    std::size_t width = code == op::short_binunicode ? 1 : 4;
                    if (!list_open || left() < width) return std::nullopt;
                    std::size_t n = static_cast<std::size_t>(le(width));
                    if (left() < n) return std::nullopt;
                    std::string_view text(reinterpret_cast<const char*>(p), n);
                    if (invalid_utf8_at(text) != std::string_view::npos) return std::nullopt;
                    out.emplace_back(text);
                    p += n;
                    break;
                } else {
                    return std::nullopt;
                }
            }
            default:
                return std::nullopt;
        }
    }
    return std::nullopt;
}

}  // namespace baton::py::detail
