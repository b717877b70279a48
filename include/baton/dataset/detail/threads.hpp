#pragma once
// Reading a CSV file's rows in several threads: equal shares of the bytes, each moved to the
// next row start by quote parity, parsed side by side, checked against each other, and joined.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <new>
#include <numeric>
#include <thread>
#include <vector>

#include <baton/dataset/csv_options.hpp>
#include <baton/dataset/detail/byte_classes.hpp>
#include <baton/dataset/detail/partition.hpp>
#include <baton/dataset/detail/table.hpp>
#include <baton/dataset/detail/type_inference.hpp>

namespace baton::detail::csv {

/// How many threads read `bytes` of rows: as many as wanted, but no share below
/// min_bytes_per_thread (another thread costs more than it saves there).
inline unsigned threads_for(std::size_t bytes, unsigned wanted, std::size_t min_bytes_per_thread) {
    return static_cast<unsigned>(std::min<std::size_t>(wanted, std::max<std::size_t>(1, bytes / min_bytes_per_thread)));
}

/// Runs work(k) for every k in `which`, the first on this thread; false if any threw.
template <class Work>
bool in_threads(const std::vector<std::size_t>& which, Work work) {
    std::vector<char> threw(which.size(), 0);
    auto run = [&](std::size_t j) {
        try {
            work(which[j]);
        } catch (...) {
            threw[j] = 1;
        }
    };
    std::vector<std::thread> workers;
    for (std::size_t j = 1; j < which.size(); ++j) workers.emplace_back(run, j);
    if (!which.empty()) run(0);
    for (auto& w : workers) w.join();
    return std::find(threw.begin(), threw.end(), 1) == threw.end();
}

struct share {
    const char* from;
    const char* to;
    std::vector<column_store> columns;
    const char* stopped = nullptr;  // where its parse ended; nullptr if it threw
};

/// Reads [from, to) in `count` threads into `columns` (their names and guessed types, no values):
/// each thread parses a share of the rows into columns of its own with
/// parse_share(columns, from, to, expected rows), which returns where it stopped; then the
/// shares agree on each column's type (re-reading a share whose numbers another share found to
/// be text) and are appended in order. `quotes_possible` is false where the sampled rows held no
/// quote, so no pass counts them (count_share(from, to) does). False if the one-thread read must
/// redo it (an error, or a cut that quote parity misplaced).
template <class CountShare, class ParseShare>
bool parse_in_threads(const char* from, const char* to, std::size_t expected_rows, unsigned count, bool quotes_possible,
                      std::vector<column_store>& columns, const std::vector<bool>& selected, CountShare count_share,
                      ParseShare parse_share) {
    // Cuts: equal byte ranges, each moved to the next row start by quote parity. Where the
    // sampled rows hold no quote at all, the parity is taken to be even without a pass to
    // count quotes (a pass over the whole file); a quote further on that puts a cut inside
    // a quoted field fails the check that the share before it ends at the cut.
    const auto bytes = static_cast<std::size_t>(to - from);
    std::vector<const char*> cuts(count + 1);
    std::vector<quote_and_newline_counts> counts(count);
    cuts[0] = from;
    cuts[count] = to;
    std::vector<std::size_t> all(count);
    std::iota(all.begin(), all.end(), std::size_t{0});
    auto rough = [&](std::size_t k) { return from + bytes / count * k; };
    if (quotes_possible) {
        in_threads(all, [&](std::size_t k) { counts[k] = count_share(rough(k), k + 1 == count ? to : rough(k + 1)); });
    }
    std::uint64_t quotes = 0;
    for (unsigned k = 1; k < count; ++k) {
        quotes += counts[k - 1].quotes;
        cuts[k] = std::max(cuts[k - 1], row_start_at_or_after(from, to, rough(k), quotes % 2 == 1));
    }
    std::vector<share> shares(count);
    for (unsigned k = 0; k < count; ++k) {
        shares[k].from = cuts[k];
        shares[k].to = cuts[k + 1];
        shares[k].columns = columns;  // names and guessed types, no values
    }
    auto parse = [&](std::size_t k) {
        share& s = shares[k];
        s.stopped = nullptr;
        // The first share is sized for all the rows: the others are appended to it, and
        // then they are copied once, into pages touched once.
        const auto share_bytes = static_cast<double>(k == 0 ? bytes : static_cast<std::size_t>(s.to - s.from));
        const auto rows = static_cast<std::size_t>(static_cast<double>(expected_rows) * share_bytes /
                                                   static_cast<double>(std::max<std::size_t>(bytes, 1))) +
                          16;
        s.stopped = parse_share(s.columns, s.from, s.to, rows);
    };
    in_threads(all, parse);
    for (;;) {
        for (const auto& s : shares) {
            if (s.stopped != s.to) return false;  // it threw, or a row crossed its end
        }
        // A column is text if any share found text in it, else real if any found a real.
        std::vector<std::size_t> again;
        for (std::size_t i = 0; i < columns.size(); ++i) {
            column_type type = column_type::integer;
            for (const auto& s : shares) type = wider(type, s.columns[i].type);
            columns[i].type = type;
        }
        for (std::size_t k = 0; k < count; ++k) {
            bool redo = false;
            for (std::size_t i = 0; i < columns.size(); ++i) {
                column_store& c = shares[k].columns[i];
                if (c.type == columns[i].type) continue;
                if (columns[i].type == column_type::real) {
                    c.widen_to_real();
                } else {  // numbers where another share found text: read as text, from the bytes
                    c.type = column_type::text;
                    redo = true;
                }
            }
            if (redo) {
                for (auto& c : shares[k].columns) c.clear();
                again.push_back(k);
            }
        }
        if (again.empty()) break;
        in_threads(again, parse);
    }
    // The shares' columns appended in order, the columns divided among the threads.
    const bool appended = in_threads(all, [&](std::size_t t) {
        for (std::size_t i = t; i < columns.size(); i += count) {
            if (!selected[i]) continue;
            columns[i] = std::move(shares[0].columns[i]);
            for (std::size_t k = 1; k < count; ++k) columns[i].append(std::move(shares[k].columns[i]));
        }
    });
    if (!appended) throw std::bad_alloc();  // appending can only fail to allocate
    return true;
}

}  // namespace baton::detail::csv
