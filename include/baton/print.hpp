#pragma once
/// @file
/// Printing from many ranks: baton::println writes a whole line in one write, so lines of
/// different ranks do not interleave mid-line; baton::python_list and baton::python_float
/// print values the way Python does, for output that matches a Python program's.

#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>
#include <system_error>
#include <type_traits>
#include <vector>

namespace baton {

/// @brief A double as Python's repr() writes it: the shortest digits that read back to the same
/// value, in fixed notation for exponents from -4 to 15 (with ".0" when integral), scientific
/// otherwise ("1e-05", "1.2345678901234568e+17"), "inf", "-inf", "nan".
inline std::string python_float(double value) {
    if (std::isnan(value)) return "nan";
    if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
    std::string text(buffer, result.ptr);  // "-d.ddde+XX", the shortest round-trip digits
    const std::string sign = text[0] == '-' ? "-" : "";
    if (!sign.empty()) text.erase(0, 1);
    const auto e = text.find('e');
    const int exponent = std::stoi(text.substr(e + 1));
    if (exponent < -4 || exponent >= 16) return sign + text;
    std::string digits = text.substr(0, e);
    if (digits.size() > 1) digits.erase(1, 1);  // drop the point
    std::string out;
    if (exponent < 0) {
        out = "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + digits;
    } else {
        const auto whole = static_cast<std::size_t>(exponent) + 1;
        if (digits.size() <= whole) {
            out = digits + std::string(whole - digits.size(), '0') + ".0";
        } else {
            out = digits.substr(0, whole) + "." + digits.substr(whole);
        }
    }
    return sign + out;
}

/// @brief One value as Python's repr() writes it: reals as python_float, bool as True/False,
/// strings quoted, other types as operator<< writes them.
template <class T>
std::string python_repr(const T& value) {
    if constexpr (std::is_same_v<T, bool>) {
        return value ? "True" : "False";
    } else if constexpr (std::is_floating_point_v<T>) {
        return python_float(static_cast<double>(value));
    } else if constexpr (std::is_convertible_v<const T&, std::string>) {
        const std::string s = value;
        const char quote = s.find('\'') != std::string::npos && s.find('"') == std::string::npos ? '"' : '\'';
        std::string out(1, quote);
        for (char c : s) {
            if (c == quote || c == '\\') out += '\\';
            out += c;
        }
        return out + quote;
    } else {
        std::ostringstream out;
        out << value;
        return out.str();
    }
}

/// @brief A vector as Python prints a list: "[v1, v2, ...]" (see python_repr).
/// @code baton::println(baton::python_list(parameters));   // [0.5, 7.25, 1e-05] @endcode
template <class T, class A>
std::string python_list(const std::vector<T, A>& values) {
    std::string out = "[";
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i != 0) out += ", ";
        out += python_repr(static_cast<const T&>(values[i]));
    }
    return out + "]";
}

namespace detail {
inline void write_whole(int fd, const std::string& text) {
    const char* p = text.data();
    std::size_t left = text.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, p, left);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;  // nowhere to write: like std::cout, give up silently
        p += n;
        left -= static_cast<std::size_t>(n);
    }
}
template <class... Args>
std::string line_of(const Args&... args) {
    std::ostringstream line;
    (line << ... << args);
    line << '\n';
    return line.str();
}
}  // namespace detail

/// @brief Writes the arguments (as operator<< writes them) and a newline to standard output in
/// one write, so that lines of different ranks do not interleave mid-line (std::cout writes the
/// pieces of a line separately). std::cout is flushed first to keep the order of output.
/// @code baton::println("Hello from ", world.rank(), "."); @endcode
template <class... Args>
void println(const Args&... args) {
    std::cout.flush();
    detail::write_whole(STDOUT_FILENO, detail::line_of(args...));
}

/// @brief As println, to standard error.
template <class... Args>
void eprintln(const Args&... args) {
    std::cerr.flush();
    detail::write_whole(STDERR_FILENO, detail::line_of(args...));
}

}  // namespace baton
