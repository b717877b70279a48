#pragma once
// read_csv's engine: header, delimiter sniffing, type inference, one pass over the rows
// (restarted only in the rare case that a column typed as numbers from the first rows turns
// out to hold text), partitioned reads.

#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include <baton/dataset/csv_error.hpp>
#include <baton/dataset/csv_options.hpp>
#include <baton/dataset/detail/fields.hpp>
#include <baton/dataset/detail/mapped_file.hpp>
#include <baton/dataset/detail/table.hpp>
#include <baton/dataset/detail/values.hpp>

namespace baton::detail::csv {

class reader {
public:
    reader(std::string path, const csv_options& options)
        : path_(std::move(path)), options_(options), file_(path_), na_(options.default_na_values, options.na_values) {}
    /// CSV text in memory; `name` stands for the file in error messages.
    reader(std::string name, std::string_view text, const csv_options& options)
        : path_(std::move(name)), options_(options), file_(text), na_(options.default_na_values, options.na_values) {}

    std::vector<column_store> read() {
        const char* begin = file_.data();
        const char* end = begin + file_.size();
        if (file_.size() >= 3 && std::memcmp(begin, "\xEF\xBB\xBF", 3) == 0) begin += 3;  // UTF-8 BOM
        if (begin == end) throw csv_error(path_, 0, "", "the file is empty (no header, no data)");

        const char* header_start = skip_leading_rows(begin, end);
        delimiter_ = options_.delimiter != 0 ? options_.delimiter : sniff_delimiter(header_start, end);
        const char* data_start = read_header(header_start, end);
        select_columns();

        const char* from = data_start;
        const char* to = end;
        std::size_t first_line = header_line_ + (options_.header ? 1 : 0);
        if (options_.partition.count > 1 || options_.partition.index != 0) {
            locate_partition(data_start, end, from, to, first_line);
        }
        file_.prefault(from, to);
        const std::size_t expected_rows = guess_types(from, to);
        for (std::size_t i = 0; i < columns_.size(); ++i) {
            if (selected_[i]) reserve(columns_[i], std::min(expected_rows, options_.max_rows));
        }
        for (;;) {
            try {
                parse_rows(from, to, first_line);
                break;
            } catch (const restart&) {
                for (auto& c : columns_) c.clear();  // a column turned out to be text: read again
            }
        }
        std::vector<column_store> out;
        for (std::size_t i = 0; i < columns_.size(); ++i) {
            if (selected_[i]) out.push_back(std::move(columns_[i]));
        }
        return out;
    }

private:
    struct restart {};

    [[noreturn]] void fail(std::size_t line, const std::string& column, const std::string& problem) const {
        throw csv_error(path_, line, column, problem);
    }

    const char* skip_leading_rows(const char* begin, const char* end) {
        field_scanner scan(begin, end, options_.delimiter != 0 ? options_.delimiter : ',');
        for (std::size_t i = 0; i < options_.skip_rows && !scan.at_end(); ++i) {
            if (!scan.skip_row()) fail(1 + scan.newlines(), "", "unterminated quoted field");
        }
        header_line_ = 1 + scan.newlines();
        while (scan.skip_blank_line()) header_line_ = 1 + scan.newlines();
        if (scan.at_end()) fail(0, "", "the file has no header and no data after skipping rows");
        return scan.position();
    }

    /// The most frequent of , ; tab | outside quotes in the first line; ',' if none occurs.
    static char sniff_delimiter(const char* p, const char* end) {
        const char candidates[] = {',', ';', '\t', '|'};
        std::size_t counts[4] = {0, 0, 0, 0};
        bool quoted = false;
        for (; p < end; ++p) {
            if (*p == '"') quoted = !quoted;
            if (quoted) continue;
            if (*p == '\n' || *p == '\r') break;
            for (int i = 0; i < 4; ++i) counts[i] += *p == candidates[i];
        }
        int best = 0;
        for (int i = 1; i < 4; ++i) {
            if (counts[i] > counts[best]) best = i;
        }
        return candidates[best];
    }

    const char* read_header(const char* p, const char* end) {
        field_scanner scan(p, end, delimiter_);
        std::vector<std::string> names;
        field f;
        do {
            if (!scan.next(f)) fail(header_line_, "", "unterminated quoted field in the header");
            names.emplace_back(f.text);
        } while (f.end == field_end::delimiter);
        if (!options_.header) {
            for (std::size_t i = 0; i < names.size(); ++i) names[i] = std::to_string(i);
            columns_.resize(names.size());
            for (std::size_t i = 0; i < names.size(); ++i) columns_[i].name = names[i];
            return p;  // the first line is data
        }
        // pandas' names for unnamed and repeated columns: "Unnamed: i", "a.1"
        columns_.resize(names.size());
        for (std::size_t i = 0; i < names.size(); ++i) {
            std::string name = names[i].empty() ? "Unnamed: " + std::to_string(i) : names[i];
            for (std::size_t k = 1; std::any_of(columns_.begin(), columns_.begin() + static_cast<long>(i),
                                                [&](const column_store& c) { return c.name == name; });
                 ++k) {
                name = (names[i].empty() ? "Unnamed: " + std::to_string(i) : names[i]) + "." + std::to_string(k);
            }
            columns_[i].name = name;
        }
        return scan.position();
    }

    void select_columns() {
        selected_.assign(columns_.size(), options_.columns.empty());
        for (const auto& wanted : options_.columns) {
            auto it =
                std::find_if(columns_.begin(), columns_.end(), [&](const column_store& c) { return c.name == wanted; });
            if (it == columns_.end()) fail(header_line_, wanted, "no such column; the header has " + header_list());
            selected_[static_cast<std::size_t>(it - columns_.begin())] = true;
        }
        for (const auto& forced : options_.types) {
            const std::string& name = forced.first;
            auto it =
                std::find_if(columns_.begin(), columns_.end(), [&](const column_store& c) { return c.name == name; });
            if (it == columns_.end())
                fail(header_line_, name, "a type was given for it, but the header has " + header_list());
            it->type = forced.second;
            it->forced = true;
        }
    }

    std::string header_list() const {
        std::string s;
        for (const auto& c : columns_) s += (s.empty() ? "" : ", ") + c.name;
        return s;
    }

    /// Types from the first rows: integer if all values are, real if all are numbers or
    /// missing, text otherwise. parse_rows corrects them if later rows disagree.
    /// Returns an estimate of the number of rows in [from, to), from the bytes per sampled row.
    std::size_t guess_types(const char* from, const char* to) {
        std::vector<int> rank(columns_.size(), 0);  // 0 integer, 1 real, 2 text
        field_scanner scan(from, to, delimiter_);
        field f;
        std::size_t rows = 0;
        for (; rows < 1000 && !scan.at_end(); ++rows) {
            if (scan.skip_blank_line()) continue;
            std::size_t i = 0;
            do {
                if (!scan.next(f)) return 0;  // parse_rows reports it with its line
                if (i < columns_.size() && rank[i] < 2) {
                    std::int64_t n;
                    double d;
                    if (na_.contains(f.text))
                        rank[i] = std::max(rank[i], 1);
                    else if (parse_integer(f.text, n)) {
                    } else if (parse_real(f.text, d))
                        rank[i] = std::max(rank[i], 1);
                    else
                        rank[i] = 2;
                }
                ++i;
            } while (f.end == field_end::delimiter);
        }
        for (std::size_t i = 0; i < columns_.size(); ++i) {
            if (!columns_[i].forced) columns_[i].type = static_cast<column_type>(rank[i]);
        }
        const auto sampled = static_cast<std::size_t>(scan.position() - from);
        if (rows == 0 || sampled == 0) return 0;
        const auto total = static_cast<double>(to - from);
        return static_cast<std::size_t>(total / static_cast<double>(sampled) * static_cast<double>(rows) * 1.05) + 16;
    }

    /// Sized once from the estimate: growing by doubling would touch every page twice.
    void reserve(column_store& c, std::size_t rows) {
        switch (c.type) {
            case column_type::integer:
                c.integers.reserve(rows);
                break;
            case column_type::real:
                c.reals.reserve(rows);
                break;
            case column_type::text:
                c.text.reserve(rows);
                break;
        }
    }

    void parse_rows(const char* from, const char* to, std::size_t first_line) {
        field_scanner scan(from, to, delimiter_);
        const std::size_t width = columns_.size();
        std::vector<column_store*> targets(width, nullptr);  // nullptr: a column not selected
        for (std::size_t i = 0; i < width; ++i) {
            if (selected_[i]) targets[i] = &columns_[i];
        }
        std::size_t rows = 0;
        field f;
        while (!scan.at_end() && rows < options_.max_rows) {
            if (scan.skip_blank_line()) continue;
            const std::size_t line = first_line + scan.newlines();
            std::size_t i = 0;
            do {
                if (!scan.next(f)) fail(line, "", "unterminated quoted field (a '\"' opens a field that never closes)");
                if (i < width) {
                    if (targets[i] != nullptr) store(*targets[i], f, line);
                } else if (i == width) {
                    count_extra_fields(scan, f, line, width);
                }
                ++i;
            } while (f.end == field_end::delimiter);
            for (; i < width; ++i) {  // a short row: the rest is missing
                if (targets[i] != nullptr) store_missing(*targets[i], line);
            }
            ++rows;
        }
    }

    [[noreturn]] void count_extra_fields(field_scanner& scan, field& f, std::size_t line, std::size_t width) {
        std::size_t seen = width + 1;
        while (f.end == field_end::delimiter) {
            if (!scan.next(f)) break;
            ++seen;
        }
        fail(line, "", "expected " + std::to_string(width) + " fields, saw " + std::to_string(seen));
    }

    [[gnu::always_inline]] void store(column_store& c, const field& f, std::size_t line) {
        switch (c.type) {
            case column_type::integer: {
                std::int64_t n;
                const auto digit =
                    static_cast<unsigned>(f.text.empty() ? 0xFF : static_cast<unsigned char>(f.text[0]) - '0');
                if (f.text.size() == 1 && digit <= 9) {  // the commonest integer of all, inline
                    c.integers.push_back(digit);
                    return;
                }
                if (parse_integer(f.text, n)) {
                    c.integers.push_back(n);
                    return;
                }
                if (c.forced) not_a(c, f, line, "an integer");
                double d;
                if (na_.contains(f.text))
                    d = std::numeric_limits<double>::quiet_NaN();
                else if (!parse_real(f.text, d))
                    demote(c);
                c.widen_to_real();
                c.reals.push_back(d);
                return;
            }
            case column_type::real: {
                double d;
                if (parse_real(f.text, d)) {
                    c.reals.push_back(d);
                } else if (na_.contains(f.text)) {
                    c.reals.push_back(std::numeric_limits<double>::quiet_NaN());
                } else {
                    if (c.forced) not_a(c, f, line, "a number");
                    demote(c);
                }
                return;
            }
            case column_type::text:
                c.text.push(f.text, na_);
                return;
        }
    }

    void store_missing(column_store& c, std::size_t line) {
        switch (c.type) {
            case column_type::integer:
                if (c.forced) fail(line, c.name, "missing value in a column read as integers");
                c.widen_to_real();
                [[fallthrough]];
            case column_type::real:
                c.reals.push_back(std::numeric_limits<double>::quiet_NaN());
                return;
            case column_type::text:
                c.text.push_missing();
                return;
        }
    }

    [[noreturn]] void demote(column_store& c) {
        c.type = column_type::text;
        throw restart{};
    }

    [[noreturn]] void not_a(const column_store& c, const field& f, std::size_t line, const char* what) const {
        fail(line, c.name,
             "cannot read '" + std::string(f.text) + "' as " + what + " (the type was given in csv_options::types)");
    }

    // ---- partitions ---------------------------------------------------------------------

    /// Narrows [from, to) to the rows whose first byte lies in this part's byte range.
    void locate_partition(const char* data, const char* end, const char*& from, const char*& to,
                          std::size_t& first_line) {
        const int index = options_.partition.index;
        const int count = options_.partition.count;
        if (count < 1 || index < 0 || index >= count) {
            fail(0, "",
                 "partition {" + std::to_string(index) + ", " + std::to_string(count) +
                     "} is not a part of the file (need 0 <= index < count)");
        }
        const auto size = static_cast<std::size_t>(end - data);
        auto cut = [&](int k) {
            return data + size / static_cast<std::size_t>(count) * static_cast<std::size_t>(k) +
                   std::min<std::size_t>(static_cast<std::size_t>(k), size % static_cast<std::size_t>(count));
        };
        const char* lo = cut(index);
        const char* hi = cut(index + 1);
        // Quote parity and newlines before `lo`: from the other ranks' counts, or by scanning.
        const auto mine = count_quotes_and_newlines(lo, hi);
        unsigned long long before[2] = {0, 0};  // quotes, newlines
        if (options_.partition_comm != MPI_COMM_NULL) {
            unsigned long long share[2] = {mine.quotes, mine.newlines};
            MPI_Exscan(share, before, 2, MPI_UNSIGNED_LONG_LONG, MPI_SUM, options_.partition_comm);
            if (index == 0) before[0] = before[1] = 0;  // MPI_Exscan leaves rank 0's result undefined
        } else {
            const auto counts = count_quotes_and_newlines(data, lo);
            before[0] = counts.quotes;
            before[1] = counts.newlines;
        }
        from = row_start_at_or_after(data, end, lo, before[0] % 2 == 1);
        const unsigned long long quotes_to_hi = before[0] + mine.quotes;
        to = row_start_at_or_after(data, end, hi, quotes_to_hi % 2 == 1);
        first_line += before[1] + count_quotes_and_newlines(lo, from).newlines;
        if (to < from) to = from;
    }

    /// The first row start at or after `p`, knowing whether `p` lies inside a quoted field.
    static const char* row_start_at_or_after(const char* data, const char* end, const char* p, bool quoted_at_p) {
        if (p <= data) return data;
        if (p >= end) return end;
        // `p` starts a row if the byte before it ends one outside quotes; so begin there.
        const char* q = p - 1;
        bool quoted = quoted_at_p != (*q == '"');
        for (; q < end; ++q) {
            if (*q == '"') {
                quoted = !quoted;
            } else if (!quoted && (*q == '\n' || (*q == '\r' && (q + 1 == end || q[1] != '\n')))) {
                return q + 1;
            }
        }
        return end;
    }

    std::string path_;
    csv_options options_;
    mapped_file file_;
    na_strings na_;
    char delimiter_ = ',';
    std::size_t header_line_ = 1;
    std::vector<column_store> columns_;
    std::vector<bool> selected_;
};

}  // namespace baton::detail::csv
