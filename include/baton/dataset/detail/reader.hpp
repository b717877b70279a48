#pragma once
// read_csv's engine: header, delimiter sniffing, type inference, one pass over the rows
// (restarted only in the rare case that a column typed as numbers from the first rows turns
// out to hold text), partitioned reads, and reads in several threads.
//
// With threads, the rows are cut into one share a thread by byte range, each cut moved to the
// next row start found by quote parity (as for partitions). Each thread parses its share into
// columns of its own, and the shares are appended in order. A cut is trusted only if the share
// before it, parsed for real, ends exactly there: a quote inside an unquoted field (legal, and
// invisible to parity) fails that check, and so does any error in any share. Either way the
// whole range is read again in one thread, which gives the same dataset, or the same error
// with its line, as a one-thread read.

#include <mpi.h>

#include <algorithm>
#include <exception>
#include <limits>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

#include <baton/config.hpp>
#include <baton/dataset/csv_error.hpp>
#include <baton/dataset/csv_options.hpp>
#include <baton/dataset/detail/decompress.hpp>
#include <baton/dataset/detail/fields.hpp>
#include <baton/dataset/detail/header_row.hpp>
#include <baton/dataset/detail/inflating_pipeline.hpp>
#include <baton/dataset/detail/mapped_file.hpp>
#include <baton/dataset/detail/partition.hpp>
#include <baton/dataset/detail/table.hpp>
#include <baton/dataset/detail/threads.hpp>
#include <baton/dataset/detail/type_inference.hpp>
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
        const compression kind = compression_of(std::string_view(file_.data(), std::min<std::size_t>(file_.size(), 8)));
        if (kind != compression::none) {
            const std::string_view packed(file_.data(), file_.size());
            if (wanted_threads() > 1 && options_.max_rows == std::numeric_limits<std::size_t>::max() &&
                options_.partition.count <= 1 && options_.partition.index == 0) {
                if (auto columns = read_while_inflating(packed, kind)) return std::move(*columns);
            }
            if (!inflated_file_) {
                inflated_ = decompress(path_, packed, kind);
                inflated_file_.emplace(std::string_view(inflated_.data(), inflated_.size()));
            }
            file_.release(file_.data(), file_.data() + file_.size());
            input_ = &*inflated_file_;
        }
        return read_text(input_->data(), input_->data() + input_->size());
    }

private:
    struct restart {};

    /// Reads the CSV text [begin, end), all of it in memory or mapped.
    std::vector<column_store> read_text(const char* begin, const char* end) {
        const char* data_start = read_preamble(begin, end);
        const char* from = data_start;
        const char* to = end;
        std::size_t first_line = header_line_ + (options_.header ? 1 : 0);
        if (options_.partition.count > 1 || options_.partition.index != 0) {
            locate_partition(data_start, end, from, to, first_line);
        }
        end_ = end;
        const std::size_t expected_rows = guess_types(from, to);
        const unsigned threads = thread_count(from, to);
        if (threads > 1) {
            if (read_in_threads(from, to, expected_rows, threads)) return selected_columns();
            for (auto& c : columns_) c.clear();
        }
        for (std::size_t i = 0; i < columns_.size(); ++i) {
            if (selected_[i]) reserve(columns_[i], std::min(expected_rows, options_.max_rows));
        }
        parse_all(columns_, from, to, first_line);
        return selected_columns();
    }

    /// What comes before the rows of the text [begin, end): a byte-order mark, the rows to
    /// skip, the header (names, delimiter) and the columns selected; returns where the rows start.
    const char* read_preamble(const char* begin, const char* end) {
        if (end - begin >= 3 && std::memcmp(begin, "\xEF\xBB\xBF", 3) == 0) begin += 3;  // UTF-8 BOM
        if (begin == end) throw csv_error(path_, 0, "", "the file is empty (no header, no data)");
        columns_.clear();
        const char* header_start = skip_leading_rows(begin, end);
        delimiter_ = options_.delimiter != 0 ? options_.delimiter : sniff_delimiter(header_start, end);
        const char* data_start = read_header(header_start, end);
        select_columns();
        return data_start;
    }

    // ---- compressed files, parsed while they are inflated ---------------------------------

    /// How much newly inflated text the parser waits for before parsing on
    /// (BATON_CSV_INFLATE_CHUNK in config.hpp).
    static std::size_t inflate_chunk() { return config::csv_inflate_chunk(); }

    /// Reads a compressed file while another thread inflates it: the rows are parsed in steps,
    /// each up to the last row end that quote parity finds in the text inflated so far. Nothing
    /// if the whole inflated text must be read instead (then it is in inflated_file_), as when
    /// any step failed: a step parsed against a misplaced row end either fails or ends on a
    /// newline that really ends a row (see last_row_start), so a read that did not fail is the
    /// one-thread read, and the error of one that did is found again, with its line, in the
    /// whole text. A truncated or corrupt file is inflated again as without threads, which
    /// throws its error.
    std::optional<std::vector<column_store>> read_while_inflating(std::string_view packed, compression kind) {
        const std::size_t chunk = inflate_chunk();
        try {
            pipeline_.emplace(path_, packed, kind, chunk / 4);
        } catch (const std::bad_alloc&) {
            return std::nullopt;  // no address range for it: inflate whole, as without threads
        } catch (const std::system_error&) {
            return std::nullopt;  // no thread for it
        }
        std::optional<std::vector<column_store>> columns;
        try {
            columns = parse_while_inflating(*pipeline_, chunk);
        } catch (...) {
            columns.reset();
        }
        std::size_t size = 0;
        if (!pipeline_->finish(size)) {  // failed, or outgrew its range: inflate again as one thread does
            pipeline_.reset();
            inflated_file_.reset();
            columns.reset();
        } else if (!columns) {
            inflated_file_.emplace(std::string_view(pipeline_->data(), size));
        }
        return columns;  // if none, the whole text is read from the start (read_preamble resets the header)
    }

    std::optional<std::vector<column_store>> parse_while_inflating(inflating_pipeline& in, std::size_t chunk) {
        const char* const base = in.data();
        inflated_file_.emplace(std::string_view(base, 0));  // release and prefault: nothing to do in memory
        input_ = &*inflated_file_;
        // The header and the rows that type the columns, from the first part: taken only if they
        // end well inside it, so that they are what the whole text gives.
        const char* data_start = nullptr;
        std::size_t expected_rows = 0;
        std::size_t available = 0;
        for (std::size_t want = 4 * chunk;; want = 2 * available) {
            available = in.wait_for(want);
            if (in.current() != inflating_pipeline::state::running) return std::nullopt;  // inflated already: whole
            const char* end = base + available;
            data_start = read_preamble(base, end);
            end_ = end;
            const auto whole = std::max(in.expected_size(), available) - static_cast<std::size_t>(data_start - base);
            expected_rows = guess_types(data_start, end, whole);
            if (sample_complete_) break;
        }
        for (std::size_t i = 0; i < columns_.size(); ++i) {
            if (selected_[i]) reserve(columns_[i], expected_rows);
        }
        const char* from = data_start;
        for (;;) {
            try {
                for (;;) {
                    const char* stop = nullptr;
                    bool last = false;
                    // A step at a time, not all that is inflated: once inflating ends, the rest
                    // is read in threads.
                    for (std::size_t span = chunk;; span += chunk) {
                        available = in.wait_for(static_cast<std::size_t>(from - base) + span);
                        const auto state = in.current();
                        if (state != inflating_pipeline::state::running) {
                            if (state != inflating_pipeline::state::finished) return std::nullopt;
                            available = in.wait_for(0);
                            stop = base + available;
                            last = true;
                            break;
                        }
                        stop = last_row_start(from, std::min(base + available, from + span));
                        if (stop != nullptr) break;
                    }
                    end_ = stop;
                    if (last && rest_in_threads(from, stop, expected_rows, static_cast<std::size_t>(stop - data_start)))
                        return selected_columns();
                    if (parse_rows(columns_, from, stop, 0) != stop) return std::nullopt;
                    from = stop;
                    if (last) return selected_columns();
                }
            } catch (const restart&) {
                for (auto& c : columns_) c.clear();  // a column turned out to be text: read again
                from = data_start;
            }
        }
    }

    /// Once inflating has ended, the rows left [from, to) are read in threads (a zstd file
    /// inflates faster than one thread parses) and appended to those read so far. False if
    /// they are read in this thread instead (too few, or a cut misplaced); throws restart if a
    /// column read so far as numbers holds text further on.
    bool rest_in_threads(const char* from, const char* to, std::size_t expected_rows, std::size_t bytes) {
        const unsigned threads = thread_count(from, to);
        if (threads < 2) return false;
        const auto rest_rows =
            static_cast<std::size_t>(static_cast<double>(expected_rows) * static_cast<double>(to - from) /
                                     static_cast<double>(std::max<std::size_t>(bytes, 1))) +
            16;
        std::vector<column_store> head = std::move(columns_);
        columns_.clear();
        for (const auto& c : head) {  // names and types so far, no values
            columns_.emplace_back();
            columns_.back().name = c.name;
            columns_.back().type = c.type;
            columns_.back().forced = c.forced;
        }
        if (!read_in_threads(from, to, rest_rows, threads)) {
            columns_ = std::move(head);
            return false;
        }
        bool demoted = false;
        for (std::size_t i = 0; i < head.size(); ++i) {
            if (columns_[i].type == column_type::text && head[i].type != column_type::text) {
                head[i].type = column_type::text;  // the rows so far are read again, as text
                demoted = true;
            }
        }
        if (demoted) {
            columns_ = std::move(head);
            throw restart{};
        }
        for (std::size_t i = 0; i < head.size(); ++i) {
            if (!selected_[i]) continue;
            if (columns_[i].type == column_type::real && head[i].type == column_type::integer) head[i].widen_to_real();
            head[i].append(std::move(columns_[i]));
        }
        columns_ = std::move(head);
        return true;
    }

    /// Just past the last '\n' in [from, to) that is outside quotes by quote parity counted from
    /// `from` (a row start); nullptr if there is none. Parity is wrong only after a quote inside
    /// an unquoted field; a step that ends at a newline which is really inside a quoted field
    /// then meets an unterminated quote, and fails.
    static const char* last_row_start(const char* from, const char* to) {
        unsigned long long quotes = count_quotes_and_newlines(from, to).quotes;  // parity at `to`
        for (const char* p = to; p > from;) {
            const char* newline = p - 1;
            while (newline >= from && *newline != '\n') --newline;
            if (newline < from) return nullptr;
            quotes -= count_quotes_and_newlines(newline + 1, p).quotes;
            if (quotes % 2 == 0) return newline + 1;
            p = newline;
        }
        return nullptr;
    }

    std::vector<column_store> selected_columns() {
        std::vector<column_store> out;
        for (std::size_t i = 0; i < columns_.size(); ++i) {
            if (selected_[i]) out.push_back(std::move(columns_[i]));
        }
        return out;
    }

    /// Parses the rows starting in [from, to) into columns, again from the start each time a
    /// column typed as numbers turns out to hold text; returns where the parse stopped.
    const char* parse_all(std::vector<column_store>& columns, const char* from, const char* to,
                          std::size_t first_line) {
        for (;;) {
            try {
                return parse_rows(columns, from, to, first_line);
            } catch (const restart&) {
                for (auto& c : columns) c.clear();  // a column turned out to be text: read again
            }
        }
    }

    /// How much of a mapped file a reading thread holds in memory at a time.
    static constexpr std::size_t window = std::size_t{8} << 20;

    /// Quotes and newlines in [from, to), a window at a time, dropping each window behind: a
    /// count does not hold the file in memory.
    quote_and_newline_counts count_and_release(const char* from, const char* to) const {
        quote_and_newline_counts counts;
        for (const char* p = from; p < to;) {
            const char* q = to - p > static_cast<std::ptrdiff_t>(window) ? p + window : to;
            const auto part = count_quotes_and_newlines(p, q);
            counts.quotes += part.quotes;
            counts.newlines += part.newlines;
            input_->release(p, q);
            p = q;
        }
        return counts;
    }

    // ---- threads ------------------------------------------------------------------------

    /// Below this many bytes a share, another thread costs more than it saves. (The fuzz
    /// target lowers it so that its small inputs take the threaded path too.)
    static constexpr std::size_t min_bytes_per_thread = config::csv_min_bytes_per_thread;

    unsigned wanted_threads() const {
        return options_.threads != 0 ? options_.threads : std::max(1u, std::thread::hardware_concurrency());
    }

    unsigned thread_count(const char* from, const char* to) const {
        if (options_.max_rows != std::numeric_limits<std::size_t>::max()) return 1;  // nrows: stop early, in order
        const unsigned wanted = wanted_threads();
        return threads_for(static_cast<std::size_t>(to - from), wanted, min_bytes_per_thread);
    }

    /// Reads [from, to) in `count` threads into columns_ (threads.hpp); false if the one-thread
    /// read must redo it.
    bool read_in_threads(const char* from, const char* to, std::size_t expected_rows, unsigned count) {
        auto count_share = [this](const char* a, const char* b) { return count_and_release(a, b); };
        auto parse_share = [this](std::vector<column_store>& columns, const char* a, const char* b, std::size_t rows) {
            for (std::size_t i = 0; i < columns.size(); ++i) {
                if (selected_[i]) reserve(columns[i], rows);
            }
            return parse_all(columns, a, b, 0);
        };
        return parse_in_threads(from, to, expected_rows, count, sample_has_quotes_, columns_, selected_, count_share,
                                parse_share);
    }

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
        names = pandas_column_names(std::move(names));
        columns_.resize(names.size());
        for (std::size_t i = 0; i < names.size(); ++i) columns_[i].name = std::move(names[i]);
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

    /// How many rows guess_types looks at. (The fuzz target lowers it, so that its small
    /// compressed inputs are parsed while they inflate, which needs a whole sample first.)
    static constexpr std::size_t type_sample_rows = config::csv_type_sample_rows;

    /// Types from the first rows (type_inference.hpp); returns the estimated rows in `bytes`
    /// of text (by default [from, to)), and notes whether the sample is complete and has quotes.
    std::size_t guess_types(const char* from, const char* to, std::size_t bytes = 0) {
        const type_sample sample = csv::guess_types(from, to, bytes, delimiter_, na_, columns_, type_sample_rows);
        sample_complete_ = sample.complete;
        if (sample.split) sample_has_quotes_ = sample.has_quotes;
        return sample.estimated_rows;
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

    /// Parses the rows that start in [from, to) (they may end past `to`); returns where it
    /// stopped: `to` unless a row crossed it.
    const char* parse_rows(std::vector<column_store>& columns, const char* from, const char* to,
                           std::size_t first_line) {
        field_scanner scan(from, end_, delimiter_);
        const std::size_t width = columns.size();
        std::vector<column_store*> targets(width, nullptr);  // nullptr: a column not selected
        for (std::size_t i = 0; i < width; ++i) {
            if (selected_[i]) targets[i] = &columns[i];
        }
        // The file is faulted in a window ahead of the parser and dropped behind it, so a read
        // holds about a window of the file in memory, not the whole file.
        const char* released = from;
        const char* faulted = std::min(to, from + window);
        const char* next_move = from + window / 2;
        input_->prefault(from, faulted);
        std::size_t rows = 0;
        field f;
        while (scan.position() < to && rows < options_.max_rows) {
            if (scan.position() >= next_move) {
                const char* here = scan.position();
                input_->release(released, here);
                released = here;
                const char* ahead = std::min(to, here + window);
                if (ahead > faulted) input_->prefault(faulted, ahead);
                faulted = std::max(faulted, ahead);
                next_move = here + window / 2;
            }
            if (scan.skip_blank_line()) continue;
            const std::size_t line = first_line + scan.newlines();
            std::size_t i = 0;
            do {
                double real;
                if (i < width && targets[i] != nullptr && targets[i]->type == column_type::real &&
                    scan.next_real(real, f.end)) {
                    targets[i]->reals.push_back(real);
                    ++i;
                    continue;
                }
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
        return scan.position();
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
        const auto [lo, hi] = share_of_bytes(data, end, index, count);
        // Quote parity and newlines before `lo`: from the other ranks' counts, or by scanning.
        const auto mine = count_and_release(lo, hi);
        const quote_and_newline_counts before = options_.partition_comm != MPI_COMM_NULL
                                                    ? counted_before(mine, index, options_.partition_comm)
                                                    : count_and_release(data, lo);
        from = row_start_at_or_after(data, end, lo, before.quotes % 2 == 1);
        const unsigned long long quotes_to_hi = before.quotes + mine.quotes;
        to = row_start_at_or_after(data, end, hi, quotes_to_hi % 2 == 1);
        first_line += before.newlines + count_quotes_and_newlines(lo, from).newlines;
        if (to < from) to = from;
    }

    std::string path_;
    csv_options options_;
    mapped_file file_;
    growing_array<char> inflated_;                // a compressed file's contents
    std::optional<inflating_pipeline> pipeline_;  // ... or inflating it while it is read
    std::optional<mapped_file> inflated_file_;    // ... read as text in memory
    const mapped_file* input_ = &file_;           // what is read: the file, or its contents
    na_strings na_;
    char delimiter_ = ',';
    const char* end_ = nullptr;  // the end of the input
    std::size_t header_line_ = 1;
    bool sample_complete_ = false;
    bool sample_has_quotes_ = true;
    std::vector<column_store> columns_;
    std::vector<bool> selected_;
};

}  // namespace baton::detail::csv
