#pragma once
// Splitting the bytes of a CSV file into fields (RFC 4180 as pandas' C engine reads it):
// quoted fields may hold the delimiter, newlines and doubled quotes; text after a closing
// quote joins the field; a quote inside an unquoted field is an ordinary character;
// LF, CRLF and lone CR end a row.

#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>

namespace baton::detail::csv {

enum class field_end { delimiter, row, input };

struct field {
    std::string_view text;  // unescaped contents (points into the file or into a scratch buffer)
    bool quoted = false;
    field_end end = field_end::input;
};

class field_scanner {
public:
    field_scanner(const char* begin, const char* end, char delimiter) noexcept
        : p_(begin), end_(end), delimiter_(delimiter) {
        std::memset(stop_, 0, sizeof stop_);
        stop_[static_cast<unsigned char>(delimiter)] = 1;
        stop_[static_cast<unsigned char>('\n')] = 1;
        stop_[static_cast<unsigned char>('\r')] = 1;
    }

    const char* position() const noexcept { return p_; }
    void seek(const char* p) noexcept { p_ = p; }
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
    bool next(field& f) {
        if (p_ < end_ && *p_ == '"') return next_quoted(f);
        const char* start = p_;
        while (p_ < end_ && !stop_[static_cast<unsigned char>(*p_)]) ++p_;
        f.text = std::string_view(start, static_cast<std::size_t>(p_ - start));
        f.quoted = false;
        f.end = finish();
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
    bool next_quoted(field& f) {
        ++p_;  // opening quote
        const char* start = p_;
        bool escaped = false;
        for (;;) {
            const void* q = std::memchr(p_, '"', static_cast<std::size_t>(end_ - p_));
            if (q == nullptr) return false;
            const char* quote = static_cast<const char*>(q);
            count_newlines(p_, quote);
            if (quote + 1 < end_ && quote[1] == '"') {  // doubled quote: a literal quote
                if (!escaped) scratch_.assign(start, quote + 1);
                else scratch_.append(p_, quote + 1);
                escaped = true;
                p_ = quote + 2;
                continue;
            }
            if (escaped) scratch_.append(p_, quote);
            p_ = quote + 1;
            if (p_ < end_ && !stop_[static_cast<unsigned char>(*p_)]) {
                // text after the closing quote joins the field, as in pandas
                if (!escaped) scratch_.assign(start, quote);
                escaped = true;
                const char* tail = p_;
                while (p_ < end_ && !stop_[static_cast<unsigned char>(*p_)]) ++p_;
                scratch_.append(tail, p_);
            }
            f.text = escaped ? std::string_view(scratch_) : std::string_view(start, static_cast<std::size_t>(quote - start));
            f.quoted = true;
            f.end = finish();
            return true;
        }
    }

    void count_newlines(const char* b, const char* e) noexcept {
        for (const char* n = b; (n = static_cast<const char*>(std::memchr(n, '\n', static_cast<std::size_t>(e - n))));
             ++n) {
            ++newlines_;
        }
    }

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
    std::size_t newlines_ = 0;
    unsigned char stop_[256];
    std::string scratch_;
};

}  // namespace baton::detail::csv
