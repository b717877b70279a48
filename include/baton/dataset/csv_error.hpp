#pragma once
/// @file
/// baton::csv_error: reading or parsing a CSV file failed.

#include <cstddef>
#include <string>

#include <baton/error.hpp>

namespace baton {

/// @brief A CSV file could not be read or parsed. what() reads
/// "<file>:<line>: <problem>" (with the column where one applies).
class csv_error : public error {
public:
    /// An error in `file` at `line` (0: not tied to a line), in `column` (empty: none).
    csv_error(const std::string& file, std::size_t line, const std::string& column, const std::string& problem)
        : error(format(file, line, column, problem)), file_(file), line_(line), column_(column) {}

    /// The path as given to read_csv.
    const std::string& file() const noexcept { return file_; }
    /// 1-based physical line in the file (0 when the problem is not on a line).
    std::size_t line() const noexcept { return line_; }
    /// The column's name, empty when the problem is not in one column.
    const std::string& column() const noexcept { return column_; }

private:
    static std::string format(const std::string& file, std::size_t line, const std::string& column,
                              const std::string& problem) {
        std::string where = file;
        if (line != 0) where += ":" + std::to_string(line);
        if (!column.empty()) where += ": column '" + column + "'";
        return where + ": " + problem;
    }

    std::string file_;
    std::size_t line_;
    std::string column_;
};

}  // namespace baton
