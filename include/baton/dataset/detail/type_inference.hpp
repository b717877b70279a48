#pragma once
// The column types a CSV file's first rows suggest, before the rows are parsed: integer if
// every value of the column is one, real if every value is a number or missing, text otherwise
// (pandas' rules). The parser corrects a type if later rows disagree.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include <baton/dataset/csv_options.hpp>
#include <baton/dataset/detail/fields.hpp>
#include <baton/dataset/detail/table.hpp>
#include <baton/dataset/detail/values.hpp>

namespace baton::detail::csv {

/// What the sample of first rows showed.
struct type_sample {
    std::size_t estimated_rows = 0;  // in the bytes the estimate was asked for; 0 if unknown
    bool complete = false;           // the sample is all it would be were the text longer
    bool has_quotes = true;          // a quote occurred in the sample
    bool split = true;               // every sampled row split into fields (else nothing above is known)
};

/// The wider of two column types: text holds anything, real holds integers and missing cells.
inline column_type wider(column_type a, column_type b) noexcept {
    auto width = [](column_type t) { return visit_column_type(t, [](auto traits) { return traits.width; }); };
    return width(a) >= width(b) ? a : b;
}

/// The type one value suggests.
inline column_type type_of_value(std::string_view text, const na_strings& na) {
    std::int64_t n;
    double d;
    if (na.contains(text)) return column_type::real;  // a missing cell: NaN in a real column
    if (parse_integer(text, n)) return column_type::integer;
    if (parse_real(text, d)) return column_type::real;
    return column_type::text;
}

/// Sets the type of each column not `forced` from the first `sample_rows` rows of [from, to),
/// and estimates the rows in `bytes` of text (by default [from, to)) from the bytes per sampled
/// row. A sample that cannot be split into fields is incomplete and gives no estimate: the
/// parser reports the error with its line.
inline type_sample guess_types(const char* from, const char* to, std::size_t bytes, char delimiter,
                               const na_strings& na, std::vector<column_store>& columns, std::size_t sample_rows) {
    std::vector<column_type> seen(columns.size(), column_type::integer);
    field_scanner scan(from, to, delimiter);
    field f;
    std::size_t rows = 0;
    type_sample sample;
    for (; rows < sample_rows && !scan.at_end(); ++rows) {
        if (scan.skip_blank_line()) continue;
        std::size_t i = 0;
        do {
            if (!scan.next(f)) {
                sample.complete = false;
                sample.split = false;
                return sample;
            }
            if (i < columns.size() && seen[i] != column_type::text) seen[i] = wider(seen[i], type_of_value(f.text, na));
            ++i;
        } while (f.end == field_end::delimiter);
    }
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (!columns[i].forced) columns[i].type = seen[i];
    }
    const auto sampled = static_cast<std::size_t>(scan.position() - from);
    sample.has_quotes = std::memchr(from, '"', sampled) != nullptr;
    sample.complete = rows == sample_rows && scan.position() < to;
    if (rows == 0 || sampled == 0) return sample;
    const auto total = static_cast<double>(bytes != 0 ? bytes : static_cast<std::size_t>(to - from));
    sample.estimated_rows =
        static_cast<std::size_t>(total / static_cast<double>(sampled) * static_cast<double>(rows) * 1.05) + 16;
    return sample;
}

}  // namespace baton::detail::csv
