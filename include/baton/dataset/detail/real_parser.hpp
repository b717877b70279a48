#pragma once
// Decimal text to the nearest double, fast, for the usual shapes of numbers in a CSV file
// ("-12.5", "3.0000000000000004e-07": at most 19 significant digits, a normal result). The
// conversion is the Eisel-Lemire method: multiply the decimal significand by a 128-bit
// approximation of the power of five, and keep the result only when the bits dropped cannot
// change the rounding. Whatever it cannot settle (more digits, subnormal or out-of-range
// results, unusual syntax, a product too close to a rounding boundary) it leaves to
// std::from_chars, so every result is the correctly rounded one that strtod gives.

#include <cstdint>

#include <baton/dataset/detail/power5_table.hpp>

namespace baton::detail::csv {

__extension__ typedef unsigned __int128 uint128;  // GCC and Clang's, for the 64x64 products

/// The double `text` [b, e) denotes, when this fast path can tell it for sure; false sends the
/// caller to std::from_chars. Accepts [-]digits[.digits][(e|E)[+|-]digits] and [-].digits...
inline bool parse_real_fast(const char* b, const char* e, double& out) noexcept {
    const char* p = b;
    const bool negative = p != e && *p == '-';
    if (negative) ++p;
    std::uint64_t w = 0;
    int digits = 0;    // significant digits in w
    int exponent = 0;  // decimal exponent of w's last digit
    bool any_digit = false;
    for (; p != e && static_cast<unsigned>(*p - '0') <= 9; ++p) {
        any_digit = true;
        if (w == 0 && *p == '0') continue;  // leading zeros
        if (digits == 19) return false;
        w = w * 10 + static_cast<unsigned>(*p - '0');
        ++digits;
    }
    if (p != e && *p == '.') {
        ++p;
        for (; p != e && static_cast<unsigned>(*p - '0') <= 9; ++p) {
            any_digit = true;
            --exponent;
            if (w == 0 && *p == '0') continue;
            if (digits == 19) return false;
            w = w * 10 + static_cast<unsigned>(*p - '0');
            ++digits;
        }
    }
    if (!any_digit) return false;
    if (p != e && (*p == 'e' || *p == 'E')) {
        ++p;
        bool negative_exponent = false;
        if (p != e && (*p == '-' || *p == '+')) negative_exponent = *p++ == '-';
        if (p == e) return false;
        int written = 0;
        for (; p != e && static_cast<unsigned>(*p - '0') <= 9; ++p) {
            if (written > 9999) return false;
            written = written * 10 + (*p - '0');
        }
        exponent += negative_exponent ? -written : written;
    }
    if (p != e) return false;
    if (w == 0) {
        out = negative ? -0.0 : 0.0;
        return true;
    }
    // Clinger: both w and 10^|q| are exact doubles, so one operation rounds correctly.
    static constexpr double exact_powers[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                              1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    if (w <= (std::uint64_t{1} << 53) && exponent >= -22 && exponent <= 22) {
        double v = static_cast<double>(w);
        v = exponent < 0 ? v / exact_powers[-exponent] : v * exact_powers[exponent];
        out = negative ? -v : v;
        return true;
    }
    if (exponent < power5_lowest || exponent > power5_highest) return false;

    // Eisel-Lemire.
    const int zeros = __builtin_clzll(w);
    w <<= zeros;
    const std::size_t index = static_cast<std::size_t>(exponent - power5_lowest) * 2;
    const uint128 first = static_cast<uint128>(w) * power5_table[index];
    auto high = static_cast<std::uint64_t>(first >> 64);
    auto low = static_cast<std::uint64_t>(first);
    constexpr std::uint64_t dropped_mask = 0x1FF;  // the bits below the 55 kept (52 + 3)
    if ((high & dropped_mask) == dropped_mask) {
        // The truncated product may be one short of a carry into the kept bits: add the
        // next 64 bits of the power.
        const uint128 second = static_cast<uint128>(w) * power5_table[index + 1];
        const auto second_high = static_cast<std::uint64_t>(second >> 64);
        low += second_high;
        if (second_high > low) ++high;
        // Still all ones: the approximation of 5^q may not be close enough to decide.
        if (low == ~std::uint64_t{0} && (exponent < -27 || exponent > 55)) return false;
    }
    const int upper_bit = static_cast<int>(high >> 63);
    const int shift = upper_bit + 9;
    std::uint64_t mantissa = high >> shift;
    int power2 = (((152170 + 65536) * exponent) >> 16) + 63 + upper_bit - zeros + 1023;
    if (power2 <= 0) return false;  // subnormal or zero: from_chars knows those
    // Exactly halfway between two doubles (possible only for small exponents): round to even.
    if (low <= 1 && exponent >= -4 && exponent <= 23 && (mantissa & 3) == 1 && (mantissa << shift) == high) {
        mantissa &= ~std::uint64_t{1};
    }
    mantissa += mantissa & 1;
    mantissa >>= 1;
    if (mantissa >= (std::uint64_t{2} << 52)) {
        mantissa = std::uint64_t{1} << 52;
        ++power2;
    }
    mantissa &= ~(std::uint64_t{1} << 52);
    if (power2 >= 0x7FF) return false;  // out of range: from_chars says so
    const std::uint64_t bits =
        mantissa | (static_cast<std::uint64_t>(power2) << 52) | (static_cast<std::uint64_t>(negative) << 63);
    __builtin_memcpy(&out, &bits, sizeof out);
    return true;
}

}  // namespace baton::detail::csv
