#pragma once
/// @file
/// Text as Python has it: UTF-8 checks, code points, and repr() of numbers, str and bytes.

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include <baton/error.hpp>

namespace baton::py::detail {

/// The offset of the first byte that is not UTF-8, or npos. Encoded surrogates are accepted:
/// Python pickles a str holding lone surrogates that way ("surrogatepass").
inline std::size_t invalid_utf8_at(std::string_view s) {
    std::size_t i = 0, n = s.size();
    while (i < n) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
        if (len == 0 || c > 0xf4 || i + len > n) return i;
        for (std::size_t k = 1; k < len; ++k) {
            if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return i;
        }
        auto c1 = static_cast<unsigned char>(s[i + 1]);
        if ((c == 0xe0 && c1 < 0xa0) || (c == 0xf0 && c1 < 0x90) || (c == 0xf4 && c1 >= 0x90))
            return i;  // overlong, past U+10FFFF
        i += len;
    }
    return std::string_view::npos;
}

/// The number of code points of valid UTF-8.
inline std::size_t code_points(std::string_view s) {
    std::size_t count = 0;
    for (char c : s) count += (static_cast<unsigned char>(c) & 0xc0) != 0x80;
    return count;
}

/// The decimal digits of a little-endian two's-complement integer.
inline std::string decimal(std::string bytes) {
    bool negative = !bytes.empty() && static_cast<unsigned char>(bytes.back()) >= 0x80;
    if (negative) {  // two's complement: invert and add one
        bool carry = true;
        for (auto& b : bytes) {
            auto v =
                static_cast<unsigned>(static_cast<unsigned char>(~static_cast<unsigned char>(b))) + (carry ? 1u : 0u);
            b = static_cast<char>(v & 0xff);
            carry = v > 0xff;
        }
    }
    std::string digits;
    while (!bytes.empty()) {
        unsigned remainder = 0;
        for (std::size_t i = bytes.size(); i-- > 0;) {
            unsigned v = (remainder << 8) | static_cast<unsigned char>(bytes[i]);
            bytes[i] = static_cast<char>(v / 10);
            remainder = v % 10;
        }
        digits.push_back(static_cast<char>('0' + remainder));
        while (!bytes.empty() && bytes.back() == 0) bytes.pop_back();
    }
    if (digits.empty()) digits = "0";
    if (negative) digits.push_back('-');
    return std::string(digits.rbegin(), digits.rend());
}

/// repr(float): the shortest digits that read back the same, positioned as Python does
/// (fixed notation for decimal exponents from -4 to 15, else d.ddde+XX).
inline std::string float_repr(double v) {
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    char buf[64];
    auto result = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
    std::string sci(buf, result.ptr);  // [-]d[.ddd]e(+|-)XX
    bool negative = sci[0] == '-';
    if (negative) sci.erase(0, 1);
    auto e = sci.find('e');
    int exponent = std::stoi(sci.substr(e + 1));
    std::string digits = sci.substr(0, e);
    if (digits.size() > 1) digits.erase(1, 1);  // drop the point
    std::string out;
    if (exponent >= -4 && exponent < 16) {
        if (exponent < 0) {
            out = "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + digits;
        } else if (static_cast<std::size_t>(exponent) + 1 >= digits.size()) {
            out = digits + std::string(static_cast<std::size_t>(exponent) + 1 - digits.size(), '0') + ".0";
        } else {
            out = digits.substr(0, static_cast<std::size_t>(exponent) + 1) + "." +
                  digits.substr(static_cast<std::size_t>(exponent) + 1);
        }
    } else {
        out = digits.substr(0, 1) + (digits.size() > 1 ? "." + digits.substr(1) : "") + "e" +
              (exponent < 0 ? "-" : "+") + (std::abs(exponent) < 10 ? "0" : "") + std::to_string(std::abs(exponent));
    }
    return negative ? "-" + out : out;
}

inline void append_hex_escape(std::string& out, unsigned value, int digits, char letter) {
    static const char hex[] = "0123456789abcdef";
    out += '\\';
    out += letter;
    for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) out += hex[(value >> shift) & 0xf];
}

/// The quote Python's repr() picks: single, unless the text holds one and no double quote.
inline char repr_quote(std::string_view s) {
    return s.find('\'') != std::string_view::npos && s.find('"') == std::string_view::npos ? '"' : '\'';
}

/// An ASCII byte as repr() writes it inside the quotes (str and bytes agree on these).
inline void append_ascii_repr(std::string& out, unsigned char c, char quote) {
    if (c == '\\' || c == static_cast<unsigned char>(quote)) {
        out += '\\';
        out += static_cast<char>(c);
    } else if (c == '\n') {
        out += "\\n";
    } else if (c == '\r') {
        out += "\\r";
    } else if (c == '\t') {
        out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
        append_hex_escape(out, c, 2, 'x');
    } else {
        out += static_cast<char>(c);
    }
}

/// repr(str) for UTF-8 text: Python's choice of quotes and its escapes of control characters.
inline std::string str_repr(std::string_view s) {
    char quote = repr_quote(s);
    std::string out(1, quote);
    for (std::size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            append_ascii_repr(out, c, quote);
            ++i;
            continue;
        }
        std::size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
        unsigned cp = c & (len == 2 ? 0x1fu : len == 3 ? 0x0fu : 0x07u);
        for (std::size_t k = 1; k < len && i + k < s.size(); ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3fu);
        if (cp < 0xa0) {
            append_hex_escape(out, cp, 2, 'x');  // C1 controls
        } else if (cp >= 0xd800 && cp < 0xe000) {
            append_hex_escape(out, cp, 4, 'u');  // lone surrogates
        } else {
            out.append(s.substr(i, len));
        }
        i += len;
    }
    return out + quote;
}

/// repr(bytes).
inline std::string bytes_repr(std::string_view s) {
    char quote = repr_quote(s);
    std::string out = "b";
    out += quote;
    for (char ch : s) {
        auto c = static_cast<unsigned char>(ch);
        if (c >= 0x80) {
            append_hex_escape(out, c, 2, 'x');
        } else {
            append_ascii_repr(out, c, quote);
        }
    }
    return out + quote;
}

}  // namespace baton::py::detail
