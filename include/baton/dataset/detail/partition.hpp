#pragma once
// A partitioned read (csv_options::partition): each part takes the rows whose first byte lies
// in its share of the file's bytes. Where a share starts inside a quoted field is known from
// the quotes before it, counted by the other parts (MPI_Exscan over partition_comm) or by
// scanning.

#include <mpi.h>

#include <algorithm>
#include <cstddef>
#include <utility>

#include <baton/dataset/detail/byte_classes.hpp>
#include <baton/detail/mpi/check.hpp>

namespace baton::detail::csv {

/// Part `index` of `count` of [data, end): equal shares of bytes, the first ones a byte longer.
inline std::pair<const char*, const char*> share_of_bytes(const char* data, const char* end, int index, int count) {
    const auto size = static_cast<std::size_t>(end - data);
    auto cut = [&](int k) {
        return data + size / static_cast<std::size_t>(count) * static_cast<std::size_t>(k) +
               std::min<std::size_t>(static_cast<std::size_t>(k), size % static_cast<std::size_t>(count));
    };
    return {cut(index), cut(index + 1)};
}

/// The quotes and newlines of the shares before part `index`, from each part's own counts
/// (`mine`) summed over `comm` in part order. Collective over `comm`; throws baton::mpi_error if
/// the scan fails.
inline quote_and_newline_counts counted_before(const quote_and_newline_counts& mine, int index, MPI_Comm comm) {
    unsigned long long share[2] = {mine.quotes, mine.newlines};
    unsigned long long before[2] = {0, 0};
    check_mpi(MPI_Exscan(share, before, 2, MPI_UNSIGNED_LONG_LONG, MPI_SUM, comm),
              "MPI_Exscan (the partitioned read's quote and newline counts)");
    if (index == 0) return {};  // MPI_Exscan leaves rank 0's result undefined
    return {before[0], before[1]};
}

/// The first row start at or after `p`, knowing whether `p` lies inside a quoted field.
inline const char* row_start_at_or_after(const char* data, const char* end, const char* p, bool quoted_at_p) {
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

}  // namespace baton::detail::csv
