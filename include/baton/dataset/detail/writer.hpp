#pragma once
// local_dataset::write_csv: a dataset as CSV text that read_csv and pandas.read_csv read back
// with the same names, types and values.

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include <baton/dataset/detail/table.hpp>
#include <baton/error.hpp>

namespace baton::detail::csv {

/// Appends a field, quoted when it holds a delimiter, a quote or a line break.
inline void append_quoted(std::string& line, std::string_view text) {
    if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
        line += text;
        return;
    }
    line += '"';
    for (char ch : text) {
        if (ch == '"') line += '"';
        line += ch;
    }
    line += '"';
}
/// Appends row r of a column: integers and reals in their shortest exact form (a real always
/// with '.' or an exponent, so that it reads back as a real), a missing value as nothing.
inline void append_cell(std::string& line, const column_store& c, std::size_t r) {
    char buffer[40];
    if (c.type == column_type::integer) {
        const auto end = std::to_chars(buffer, buffer + sizeof buffer, c.integers[r]).ptr;
        line.append(buffer, end);
    } else if (c.type == column_type::real) {
        const double v = c.reals[r];
        if (std::isnan(v)) return;  // missing
        if (std::isinf(v)) {
            line += v < 0 ? "-inf" : "inf";
            return;
        }
        const auto end = std::to_chars(buffer, buffer + sizeof buffer, v).ptr;
        const std::string_view digits(buffer, static_cast<std::size_t>(end - buffer));
        line += digits;
        if (digits.find_first_of(".e") == std::string_view::npos) line += ".0";  // stays a real
    } else if (!c.text.missing(r)) {
        append_quoted(line, c.text.value(r));
    }
}

/// Writes the columns as CSV to path; throws baton::error if the file cannot be written.
inline void write_csv(const std::string& path, const std::vector<column_store>& columns, std::size_t rows) {
    std::FILE* out = std::fopen(path.c_str(), "wb");
    if (out == nullptr) throw error(path + ": cannot write the CSV file: " + std::strerror(errno));
    std::string line;
    for (std::size_t k = 0; k < columns.size(); ++k) {
        if (k != 0) line += ',';
        append_quoted(line, columns[k].name);
    }
    line += '\n';
    bool ok = std::fwrite(line.data(), 1, line.size(), out) == line.size();
    for (std::size_t r = 0; r < rows && ok; ++r) {
        line.clear();
        for (std::size_t k = 0; k < columns.size(); ++k) {
            if (k != 0) line += ',';
            append_cell(line, columns[k], r);
        }
        line += '\n';
        ok = std::fwrite(line.data(), 1, line.size(), out) == line.size();
    }
    ok = std::fclose(out) == 0 && ok;
    if (!ok) throw error(path + ": writing the CSV file failed: " + std::strerror(errno));
}

}  // namespace baton::detail::csv
