#pragma once
// CSV text that puts what is hard to cut near every byte: for the tests of reads in several
// threads and of compressed files parsed while they are inflated.
#include <cstddef>
#include <string>

namespace baton_test {

// About 1.5 MB: every row has a quoted field with a newline in it, every 7th a doubled quote,
// every 11th ends in CRLF, every 13th is followed by a blank line. Column `late` is integer
// until its last rows, which hold text; `gap` is integer with a missing value only near the
// end (real); `mostly_distinct` is a handful of values in the first half and distinct after.
inline std::string tricky(std::size_t rows) {
    std::string csv = "id,note,late,gap,mostly_distinct,x\n";
    for (std::size_t r = 0; r < rows; ++r) {
        csv += std::to_string(r) + ",\"line " + std::to_string(r % 97) + "\nnext" +
               (r % 7 == 0 ? " \"\"quoted\"\"" : "") + ", part\",";
        csv += (r + 3 >= rows ? "text" + std::to_string(r) : std::to_string(r % 1000)) + ",";
        csv += (r + 5 == rows ? "" : std::to_string(r % 50)) + ",";
        csv += (r < rows / 2 ? "v" + std::to_string(r % 5) : "u" + std::to_string(r)) + ",";
        csv += std::to_string(static_cast<double>(r) / 8.0);
        csv += r % 11 == 0 ? "\r\n" : "\n";
        if (r % 13 == 0) csv += "\n";
    }
    return csv;
}

}  // namespace baton_test
