#pragma once
// Splitting the bytes of a CSV file into fields (RFC 4180 as pandas' C engine reads it):
// quoted fields may hold the delimiter, newlines and doubled quotes; text after a closing
// quote joins the field; a quote inside an unquoted field is an ordinary character;
// LF, CRLF and lone CR end a row. The ends of fields are found 64 bytes at a time from bit
// masks (byte_classes.hpp), not by testing byte after byte.

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <system_error>

#include <baton/dataset/detail/byte_classes.hpp>

namespace baton::detail::csv {

enum class field_end { delimiter, row, input };

struct field {
    std::string_view text;  // unescaped contents (points into the file or into a scratch buffer)
    field_end end = field_end::input;
};

class field_scanner {
public:
    field_scanner(const char* begin, const char* end, char delimiter) noexcept
        : p_(begin),
          end_(end),
          delimiter_(delimiter),
          // std::from_chars must stop at the delimiter: no letter, digit or ".+-_()", which a
          // number, "inf" or "nan(...)" can hold.
          numbers_stop_at_delimiter_(std::strchr(".+-_()", delimiter) == nullptr &&
                                     !((delimiter >= '0' && delimiter <= '9') ||
                                       (delimiter >= 'a' && delimiter <= 'z') ||
                                       (delimiter >= 'A' && delimiter <= 'Z'))) {}

    const char* position() const noexcept { return p_; }
    bool at_end() const noexcept { return p_ >= end_; }
    /// Physical lines consumed so far (newlines passed, quoted ones included).
    std::size_t newlines() const noexcept { return newlines_; }

    /// True if the next row is empty (a blank line); consumes it.
    bool skip_blank_line() noexcept {
        if (p_ < end_ && (*p_ == '\n' || *p_ == '\r')) {
            consume_row_end();
            return true;
        }
        return false;
    }

    /// Reads the next field. Returns false on an unterminated quote (then `f` is unspecified).
    [[gnu::always_inline]] bool next(field& f) {
        if (p_ < end_ && *p_ == '"') return next_quoted(f);
        const char* start = p_;
        p_ = next_stop(p_);
        f.text = std::string_view(start, static_cast<std::size_t>(p_ - start));
        f.end = finish();
        return true;
    }

    /// Reads the next field as a real if the whole field is a number std::from_chars reads
    /// (no quotes, spaces or '+'), ending at the delimiter, a row end, or nowhere else; false,
    /// consuming nothing, otherwise. One pass over the field: its end is where the number
    /// ends, not found first by a scan.
    [[gnu::always_inline]] bool next_real(double& value, field_end& end) {
        if (!numbers_stop_at_delimiter_) return false;
        const auto [stop, error] = std::from_chars(p_, end_, value, std::chars_format::general);
        if (error != std::errc() || stop == p_ || stop >= end_ || !is_stop(*stop)) return false;
        p_ = stop;
        end = finish();
        return true;
    }

    /// Skips to the start of the next row (used to count and skip whole rows).
    bool skip_row() {
        field f;
        do {
            if (!next(f)) return false;
        } while (f.end == field_end::delimiter);
        return true;
    }

private:
    /// A quoted field; inline for the common case: no doubled quote, nothing after the closing one.
    [[gnu::always_inline]] bool next_quoted(field& f) {
        const char* start = p_ + 1;
        const char* quote = next_quote(start);
        if (quote >= end_) return false;
        const char* after = quote + 1;
        if (after < end_ && *after == delimiter_) {  // the usual case: a delimiter follows
            p_ = after + 1;
            f.text = std::string_view(start, static_cast<std::size_t>(quote - start));
            f.end = field_end::delimiter;
            return true;
        }
        if (after < end_ && (*after == '"' || !is_stop(*after))) return next_quoted_escaped(f, start, quote);
        p_ = after;
        f.text = std::string_view(start, static_cast<std::size_t>(quote - start));
        f.end = finish();
        return true;
    }

    /// The rest of a quoted field from its first inner quote: doubled quotes, text after the
    /// closing quote (which joins the field, as in pandas), unescaped into scratch_.
    [[gnu::noinline]] bool next_quoted_escaped(field& f, const char* start, const char* quote) {
        scratch_.assign(start, quote);
        for (;;) {
            if (quote + 1 < end_ && quote[1] == '"') {  // doubled quote: a literal quote
                scratch_ += '"';
                p_ = quote + 2;
                quote = next_quote(p_);
                if (quote >= end_) return false;
                scratch_.append(p_, quote);
                continue;
            }
            p_ = quote + 1;
            if (p_ < end_ && !is_stop(*p_)) {
                const char* tail = p_;
                p_ = next_stop(p_);
                scratch_.append(tail, p_);
            }
            f.text = scratch_;
            f.end = finish();
            return true;
        }
    }

    bool is_stop(char c) const noexcept { return c == delimiter_ || c == '\n' || c == '\r'; }

    /// Makes the cached block cover p (p < end_).
    void cover(const char* p) noexcept {
        if (block_ == nullptr || p < block_ || p - block_ >= 64) load_block(p);
    }

    [[gnu::noinline]] void load_block(const char* p) noexcept {
        block_ = p;
        classes_ = end_ - p >= 64 ? classify_64(p, delimiter_) : classify_tail(p, end_, delimiter_);
    }

    /// The first delimiter, CR or LF at or after p; end_ if none.
    [[gnu::always_inline]] const char* next_stop(const char* p) noexcept {
        while (p < end_) {
            cover(p);
            const auto offset = static_cast<unsigned>(p - block_);
            const std::uint64_t mask = classes_.stops >> offset;
            if (mask != 0) return p + lowest_bit(mask);
            p = block_ + 64;
        }
        return end_;
    }

    /// The first '"' at or after p, counting the newlines passed on the way; end_ if none.
    [[gnu::always_inline]] const char* next_quote(const char* p) noexcept {
        while (p < end_) {
            cover(p);
            const auto offset = static_cast<unsigned>(p - block_);
            const std::uint64_t quotes = classes_.quotes >> offset;
            const std::uint64_t newlines = classes_.newlines >> offset;
            if (quotes != 0) {
                const unsigned k = lowest_bit(quotes);
                const std::uint64_t passed = newlines & ((std::uint64_t{1} << k) - 1);
                if (passed != 0) count_newlines(passed);
                return p + k;
            }
            if (newlines != 0) count_newlines(newlines);
            p = block_ + 64;
        }
        return end_;
    }

    /// Newlines inside a quoted field: rare, so kept out of the hot path.
    [[gnu::noinline]] void count_newlines(std::uint64_t mask) noexcept { newlines_ += count_bits(mask); }

    field_end finish() noexcept {
        if (p_ >= end_) return field_end::input;
        if (*p_ == delimiter_) {
            ++p_;
            return field_end::delimiter;
        }
        consume_row_end();
        return field_end::row;
    }

    void consume_row_end() noexcept {
        if (*p_ == '\r') ++p_;
        if (p_ < end_ && *p_ == '\n') ++p_;
        ++newlines_;
    }

    const char* p_;
    const char* end_;
    char delimiter_;
    bool numbers_stop_at_delimiter_;
    std::size_t newlines_ = 0;
    const char* block_ = nullptr;  // the 64 bytes classes_ describes
    byte_classes classes_;
    std::string scratch_;
};

}  // namespace baton::detail::csv
