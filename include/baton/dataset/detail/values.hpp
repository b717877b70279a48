#pragma once
// Reading one field's text as a value, the way pandas' C engine does: numbers with optional
// surrounding spaces and a leading '+', exactly (std::from_chars, never the locale); the NA
// strings pandas treats as missing.

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace baton::detail::csv {

inline std::string_view trim_spaces(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

/// Fast path: plain decimal digits with an optional sign, no spaces.
inline bool parse_integer(std::string_view s, std::int64_t& out) noexcept {
    // One and two digits (ages, grades, counts, codes) without a loop.
    if (s.size() <= 2 && !s.empty()) {
        const auto d0 = static_cast<unsigned>(static_cast<unsigned char>(s[0]) - '0');
        const auto d1 = static_cast<unsigned>(static_cast<unsigned char>(s[s.size() - 1]) - '0');
        if (d0 <= 9 && d1 <= 9) {
            out = s.size() == 1 ? d0 : d0 * 10 + d1;
            return true;
        }
    }
    // Short unsigned numbers (most CSV integers) without calling from_chars.
    if (!s.empty() && s.size() <= 18) {
        std::uint64_t v = 0;
        std::size_t i = s[0] == '-' ? 1 : 0;
        if (i < s.size()) {
            for (; i < s.size(); ++i) {
                const auto d = static_cast<unsigned>(static_cast<unsigned char>(s[i]) - '0');
                if (d > 9) break;
                v = v * 10 + d;
            }
            if (i == s.size()) {
                out = s[0] == '-' ? -static_cast<std::int64_t>(v) : static_cast<std::int64_t>(v);
                return true;
            }
        }
    }
    const char* b = s.data();
    const char* e = b + s.size();
    if (b != e && *b == '+') ++b;
    if (b == e) {
        s = trim_spaces(s);
        if (s.empty()) return false;
        b = s.data();
        e = b + s.size();
        if (*b == '+') ++b;
    }
    // One sign only: from_chars would read "+-4" as -4 once the '+' is skipped.
    if (b != s.data() && b != e && *b == '-') return false;
    auto [ptr, ec] = std::from_chars(b, e, out);
    if (ec == std::errc() && ptr == e) return true;
    // Only now pay for trimming: " 12 " is an integer to pandas too.
    const std::string_view t = trim_spaces(s);
    if (t.size() == s.size()) return false;
    return parse_integer(t, out);
}

inline bool parse_real(std::string_view s, double& out) noexcept {
    s = trim_spaces(s);
    if (s.empty()) return false;
    const char* b = s.data();
    const char* e = b + s.size();
    if (*b == '+') {
        ++b;
        if (b == e || *b == '-' || *b == '+') return false;
    }
    auto [ptr, ec] = std::from_chars(b, e, out, std::chars_format::general);
    if (ptr != e) return false;
    // Out of range ("1e999") is still a number to pandas: infinity or zero.
    if (ec == std::errc::result_out_of_range) {
        const bool negative = s.front() == '-';
        const bool huge = s.find_first_of("eE") != std::string_view::npos && s[s.find_first_of("eE") + 1] != '-';
        out = huge ? (negative ? -HUGE_VAL : HUGE_VAL) : (negative ? -0.0 : 0.0);
        return true;
    }
    return ec == std::errc();
}

/// The strings read as missing, bucketed by length for a quick reject of ordinary text.
class na_strings {
public:
    na_strings(bool pandas_defaults, const std::vector<std::string>& extra) {
        if (pandas_defaults) {
            for (const char* s : {"", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND",
                                  "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"}) {
                add(s);
            }
        }
        for (const auto& s : extra) add(s);
    }

    bool contains(std::string_view s) const noexcept {
        if (s.size() >= by_length_.size()) return false;
        if (s.empty()) return empty_is_na_;
        // Most text starts with a character no NA string starts with.
        if (!first_chars_[static_cast<unsigned char>(s[0])]) return false;
        for (const auto& candidate : by_length_[s.size()]) {
            if (candidate[0] == s[0] && std::memcmp(candidate.data(), s.data(), s.size()) == 0) return true;
        }
        return false;
    }

private:
    void add(std::string s) {
        if (s.empty())
            empty_is_na_ = true;
        else
            first_chars_[static_cast<unsigned char>(s[0])] = true;
        if (s.size() >= by_length_.size()) by_length_.resize(s.size() + 1);
        by_length_[s.size()].push_back(std::move(s));
    }

    std::vector<std::vector<std::string>> by_length_ = std::vector<std::vector<std::string>>(9);
    bool first_chars_[256] = {};
    bool empty_is_na_ = false;
};

}  // namespace baton::detail::csv
