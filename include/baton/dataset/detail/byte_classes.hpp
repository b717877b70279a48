#pragma once
// Classifying 64 bytes of CSV at once: one bit per byte for "ends an unquoted field"
// (delimiter, LF, CR), for '"', and for LF. The field scanner then finds the end of a field
// with a shift and a count of trailing zeros instead of testing every byte, which is what
// makes splitting short fields (most CSV fields are 1-10 bytes) cheap.

#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace baton::detail::csv {

struct byte_classes {
    std::uint64_t stops = 0;     // delimiter, '\n', '\r'
    std::uint64_t quotes = 0;    // '"'
    std::uint64_t newlines = 0;  // '\n'
};

/// Classifies the 64 bytes at p (all must be readable).
inline byte_classes classify_64(const char* p, char delimiter) noexcept {
    byte_classes out;
#if defined(__SSE2__)
    const __m128i delim = _mm_set1_epi8(delimiter);
    const __m128i lf = _mm_set1_epi8('\n');
    const __m128i cr = _mm_set1_epi8('\r');
    const __m128i quote = _mm_set1_epi8('"');
    for (int k = 0; k < 4; ++k) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
        const __m128i is_lf = _mm_cmpeq_epi8(v, lf);
        const __m128i is_stop = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, delim), is_lf), _mm_cmpeq_epi8(v, cr));
        const int shift = 16 * k;
        out.stops |= static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(is_stop))) << shift;
        out.quotes |= static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote))))
                      << shift;
        out.newlines |= static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(is_lf))) << shift;
    }
#else
    for (int i = 0; i < 64; ++i) {
        const char c = p[i];
        const std::uint64_t bit = std::uint64_t{1} << i;
        if (c == delimiter || c == '\n' || c == '\r') out.stops |= bit;
        if (c == '"') out.quotes |= bit;
        if (c == '\n') out.newlines |= bit;
    }
#endif
    return out;
}

/// Classifies the fewer than 64 bytes at [p, end): the rest of the block reads as bytes of
/// no class, so a search that runs past the end finds nothing.
inline byte_classes classify_tail(const char* p, const char* end, char delimiter) noexcept {
    char padded[64];
    std::memset(padded, delimiter == 'x' ? 'y' : 'x', sizeof padded);
    std::memcpy(padded, p, static_cast<std::size_t>(end - p));
    return classify_64(padded, delimiter);
}

inline unsigned lowest_bit(std::uint64_t mask) noexcept {
    return static_cast<unsigned>(__builtin_ctzll(mask));
}
inline unsigned count_bits(std::uint64_t mask) noexcept {
#if defined(__POPCNT__) || !defined(__x86_64__)
    return static_cast<unsigned>(__builtin_popcountll(mask));
#else
    // Without -mpopcnt, __builtin_popcountll is a library call; this is a few instructions.
    mask -= (mask >> 1) & 0x5555555555555555ull;
    mask = (mask & 0x3333333333333333ull) + ((mask >> 2) & 0x3333333333333333ull);
    mask = (mask + (mask >> 4)) & 0x0F0F0F0F0F0F0F0Full;
    return static_cast<unsigned>((mask * 0x0101010101010101ull) >> 56);
#endif
}

struct quote_and_newline_counts {
    unsigned long long quotes = 0;
    unsigned long long newlines = 0;
};

/// The '"' and '\n' bytes in [begin, end), 64 bytes at a time.
inline quote_and_newline_counts count_quotes_and_newlines(const char* begin, const char* end) noexcept {
    quote_and_newline_counts n;
    const char* p = begin;
    for (; end - p >= 64; p += 64) {
        const byte_classes c = classify_64(p, ',');
        n.quotes += count_bits(c.quotes);
        n.newlines += count_bits(c.newlines);
    }
    if (p < end) {
        const byte_classes c = classify_tail(p, end, ',');
        n.quotes += count_bits(c.quotes);
        n.newlines += count_bits(c.newlines);
    }
    return n;
}

}  // namespace baton::detail::csv
