// libFuzzer target for the CSV reader: any input either loads or throws baton::error; a
// crash, a hang or a sanitizer report is a bug. Inputs whose first byte has bit 6 set are also
// read as all-text columns and compared, cell by cell, with a deliberately simple byte-at-a-
// time splitter written from the same rules (the reader splits 64 bytes at a time): any
// difference aborts. Inputs whose first byte has bit 7 set are read with 3 threads (shares of
// as little as 16 bytes, BATON_CSV_MIN_BYTES_PER_THREAD) and compared with the one-thread read:
// any difference in values or errors aborts. Inputs that start as gzip or zstd data take the
// decompressing path (the seeds include one of each), and are also read with 3 threads, parsed
// while they inflate in steps of 64 bytes after a type sample of 3 rows
// (BATON_CSV_TYPE_SAMPLE_ROWS), and compared with the one-thread read. Built and run by
// scripts/fuzz.sh.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#if !defined(BATON_CSV_MIN_BYTES_PER_THREAD) || !defined(BATON_CSV_TYPE_SAMPLE_ROWS)
#error \
    "build the fuzz target with -DBATON_CSV_MIN_BYTES_PER_THREAD=16 -DBATON_CSV_TYPE_SAMPLE_ROWS=3 (scripts/fuzz.sh does)"
#endif
#include <baton/dataset/local_dataset.hpp>

namespace {

using table = std::vector<std::vector<std::string>>;

/// The rows of `text` split by the rules in detail/csv/fields.hpp, one byte at a time, with ','
/// as delimiter; nothing if a quote never closes.
std::optional<table> split_simply(std::string text) {
    if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);
    table rows;
    std::size_t i = 0;
    const std::size_t n = text.size();
    auto at_row_end = [&](std::size_t k) { return k >= n || text[k] == '\n' || text[k] == '\r'; };
    auto skip_row_end = [&] {
        if (i < n && text[i] == '\r') ++i;
        if (i < n && text[i] == '\n') ++i;
    };
    while (i < n) {
        if (text[i] == '\n' || text[i] == '\r') {  // a blank line
            skip_row_end();
            continue;
        }
        std::vector<std::string> row;
        for (;;) {
            std::string field;
            if (i < n && text[i] == '"') {
                ++i;
                for (;;) {
                    if (i >= n) return std::nullopt;
                    if (text[i] == '"') {
                        if (i + 1 < n && text[i + 1] == '"') {
                            field += '"';
                            i += 2;
                            continue;
                        }
                        ++i;
                        break;
                    }
                    field += text[i++];
                }
            }
            while (i < n && text[i] != ',' && !at_row_end(i)) field += text[i++];
            row.push_back(field);
            if (i < n && text[i] == ',') {
                ++i;
                continue;
            }
            skip_row_end();
            break;
        }
        rows.push_back(row);
    }
    return rows;
}

/// Reads `path` as text columns and checks every cell against split_simply.
void compare_with_simple_splitter(const std::string& path, const std::uint8_t* data, std::size_t size) {
    baton::csv_options options;
    options.delimiter = ',';
    options.header = false;
    options.default_na_values = false;
    std::optional<baton::local_dataset> ds;
    try {
        const auto names = baton::local_dataset::read_csv(path, options).column_names();
        for (const auto& name : names) options.types[name] = baton::column_type::text;
        ds = baton::local_dataset::read_csv(path, options);
    } catch (const baton::error&) {
    }
    const auto expected = split_simply(std::string(reinterpret_cast<const char*>(data), size));
    if (!ds) return;  // an error; the simple splitter need not agree on which inputs fail
    if (!expected || expected->size() != ds->rows()) std::abort();
    const auto names = ds->column_names();
    for (std::size_t c = 0; c < names.size(); ++c) {
        const auto column = ds->column<std::string_view>(names[c]);
        for (std::size_t r = 0; r < ds->rows(); ++r) {
            const auto& row = (*expected)[r];
            if (row.size() > names.size()) std::abort();  // the reader should have refused this row
            const std::string want = c < row.size() ? row[c] : std::string();
            if (column[r] != want) std::abort();
        }
    }
}

/// The dataset, or the error's message.
struct read_result {
    std::optional<baton::local_dataset> ds;
    std::string error;
};
read_result read(const std::string& path, const baton::csv_options& options) {
    read_result r;
    try {
        r.ds = baton::local_dataset::read_csv(path, options);
    } catch (const baton::error& e) {
        r.error = e.what();
    }
    return r;
}

/// Aborts unless a three-thread read gives what a one-thread read gives.
void compare_threads(const std::string& path, baton::csv_options options) {
    options.threads = 1;
    const auto one = read(path, options);
    options.threads = 3;
    const auto three = read(path, options);
    if (one.error != three.error || one.ds.has_value() != three.ds.has_value()) std::abort();
    if (!one.ds) return;
    const auto names = one.ds->column_names();
    if (names != three.ds->column_names() || one.ds->rows() != three.ds->rows()) std::abort();
    for (const auto& name : names) {
        if (one.ds->type_of(name) != three.ds->type_of(name)) std::abort();
        for (std::size_t r = 0; r < one.ds->rows(); ++r) {
            if (one.ds->is_missing(name, r) != three.ds->is_missing(name, r)) std::abort();
            if (one.ds->cell(name, r) != three.ds->cell(name, r)) std::abort();
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // The reader maps a file; an in-memory file gives it one without touching the disk.
    static const int fd = ::memfd_create("baton-csv-fuzz", 0);
    static const std::string path = "/proc/self/fd/" + std::to_string(fd);
    auto write_file = [&](const std::uint8_t* bytes, std::size_t n) {
        return ::ftruncate(fd, 0) == 0 && ::pwrite(fd, bytes, n, 0) == static_cast<ssize_t>(n);
    };
    if (size > 0 && (data[0] & 0x40) != 0) {  // differential mode: the rest is the file
        if (write_file(data + 1, size - 1)) compare_with_simple_splitter(path, data + 1, size - 1);
        return 0;
    }
    if (!write_file(data, size)) return 0;
    static const bool small_steps = ::setenv("BATON_CSV_INFLATE_CHUNK", "64", 1) == 0;
    (void)small_steps;
    if ((size >= 2 && data[0] == 0x1F && data[1] == 0x8B) ||
        (size >= 4 && data[0] == 0x28 && data[1] == 0xB5 && data[2] == 0x2F && data[3] == 0xFD)) {
        compare_threads(path, baton::csv_options{});  // gzip or zstd: parsed while it inflates
    }
    baton::csv_options options;
    if (size > 0) {
        // Let the first byte vary a few options, so they are explored too.
        options.header = (data[0] & 1) == 0;
        options.max_rows = (data[0] & 2) ? 3 : options.max_rows;
        options.partition = {(data[0] >> 2) % 3, 3};
        if ((data[0] & 0x20) == 0) options.partition = {};
        if ((data[0] & 0x80) != 0) {
            compare_threads(path, options);
            return 0;
        }
    }
    try {
        auto ds = baton::local_dataset::read_csv(path, options);
        // Touch every column the way users do.
        for (const auto& name : ds.column_names()) {
            switch (ds.type_of(name)) {
                case baton::column_type::integer:
                    (void)ds.column<std::int64_t>(name);
                    break;
                case baton::column_type::real:
                    (void)ds.column<double>(name);
                    break;
                case baton::column_type::text:
                    (void)ds.column<std::string_view>(name);
                    break;
            }
            for (std::size_t r = 0; r < ds.rows() && r < 4; ++r) (void)ds.cell(name, r);
        }
    } catch (const baton::error&) {
    }
    return 0;
}
