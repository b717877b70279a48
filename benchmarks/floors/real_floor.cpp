// The floor for reading a CSV file of real numbers: what any reader that gives correctly
// rounded doubles in memory of its own must do, and nothing else. Two parts, each timed on its
// own with 1 and 2 threads, best of REPEAT:
//   - bytes: the file's pages mapped into the process (MADV_POPULATE_READ), nothing read;
//   - convert: every real value's text, split out beforehand (not timed), converted with
//     std::from_chars (libstdc++'s is an Eisel-Lemire conversion, the fastest known correctly
//     rounded method) into columns of fresh memory, which the kernel zeroes as it is first
//     touched, as it does for any reader's columns.
// A column is real if any of its first 100 values is not a plain integer. Quoted fields are
// not split: the file must have none (make_float_data writes none).
//
//   real_floor FILE [--repeat 3]
#include <sys/mman.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <baton/dataset/detail/large_allocation.hpp>
#include <baton/dataset/detail/mapped_file.hpp>

namespace {

using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point start) {
    return std::chrono::duration<double>(clock_type::now() - start).count();
}

/// Runs work(j) for j in [0, threads), one thread each.
template <class Work>
void in_threads(unsigned threads, Work work) {
    std::vector<std::thread> others;
    for (unsigned j = 1; j < threads; ++j) others.emplace_back(work, j);
    work(0u);
    for (auto& t : others) t.join();
}

/// The file's pages mapped in, each thread its share of them.
double map_pages(const std::string& path, unsigned threads) {
    const auto start = clock_type::now();
    baton::detail::csv::mapped_file file(path);
    in_threads(threads, [&](unsigned j) {
        const std::size_t from = file.size() / threads * j;
        const std::size_t to = j + 1 == threads ? file.size() : file.size() / threads * (j + 1);
        file.prefault(file.data() + from, file.data() + to);
    });
    return seconds_since(start);
}

/// The real columns' values, converted into fresh columns, each thread its share of the rows.
double convert(const std::vector<std::vector<std::string_view>>& columns, unsigned threads, double& checksum) {
    const std::size_t rows = columns.empty() ? 0 : columns[0].size();
    std::vector<std::vector<double*>> out(threads, std::vector<double*>(columns.size()));
    std::vector<double> sums(threads, 0.0);
    const auto start = clock_type::now();
    in_threads(threads, [&](unsigned j) {
        const std::size_t from = rows / threads * j;
        const std::size_t to = j + 1 == threads ? rows : rows / threads * (j + 1);
        for (std::size_t c = 0; c < columns.size(); ++c) {
            out[j][c] = static_cast<double*>(baton::detail::csv::allocate_large((to - from) * sizeof(double)));
        }
        // Row by row, as the text lies in the file.
        for (std::size_t r = from; r < to; ++r) {
            for (std::size_t c = 0; c < columns.size(); ++c) {
                const std::string_view text = columns[c][r];
                std::from_chars(text.data(), text.data() + text.size(), out[j][c][r - from]);
            }
        }
    });
    const double elapsed = seconds_since(start);
    for (unsigned j = 0; j < threads; ++j) {
        const std::size_t from = rows / threads * j;
        const std::size_t to = j + 1 == threads ? rows : rows / threads * (j + 1);
        for (std::size_t c = 0; c < columns.size(); ++c) {
            for (std::size_t r = 0; r < to - from; r += 997) sums[j] += out[j][c][r];
            baton::detail::csv::free_large(out[j][c], (to - from) * sizeof(double));
        }
        checksum += sums[j];
    }
    return elapsed;
}

bool is_integer(std::string_view s) {
    if (!s.empty() && s[0] == '-') s.remove_prefix(1);
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: real_floor FILE [--repeat 3]\n");
        return 2;
    }
    const std::string path = argv[1];
    const int repeat = argc > 3 && std::string(argv[2]) == "--repeat" ? std::atoi(argv[3]) : 3;
    std::ifstream in(path, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (text.find('"') != std::string::npos) {
        std::fprintf(stderr, "real_floor: %s has quotes; it splits plain fields only\n", path.c_str());
        return 2;
    }
    // Split into fields (not timed).
    std::vector<std::vector<std::string_view>> fields;
    std::size_t p = text.find('\n') + 1;  // past the header
    while (p < text.size()) {
        std::size_t column = 0;
        for (;;) {
            const std::size_t stop = text.find_first_of(",\n", p);
            const std::size_t end = stop == std::string::npos ? text.size() : stop;
            if (fields.size() <= column) fields.emplace_back();
            fields[column++].emplace_back(text.data() + p, end - p);
            p = end + 1;
            if (stop == std::string::npos || text[stop] == '\n') break;
        }
    }
    std::vector<std::vector<std::string_view>> reals;
    for (auto& column : fields) {
        const std::size_t sample = std::min<std::size_t>(100, column.size());
        if (!std::all_of(column.begin(), column.begin() + static_cast<long>(sample), is_integer))
            reals.push_back(std::move(column));
    }
    const std::size_t values = reals.empty() ? 0 : reals.size() * reals[0].size();
    double checksum = 0;
    for (unsigned threads : {1u, 2u}) {
        double pages = 1e300, conversion = 1e300;
        for (int r = 0; r < repeat; ++r) {
            pages = std::min(pages, map_pages(path, threads));
            conversion = std::min(conversion, convert(reals, threads, checksum));
        }
        std::printf(
            "real_floor,threads=%u,real_columns=%zu,values=%zu,map_seconds=%.3f,convert_seconds=%.3f,"
            "sum_seconds=%.3f\n",
            threads, reals.size(), values, pages, conversion, pages + conversion);
    }
    std::fprintf(stderr, "(checksum %g)\n", checksum);
    return 0;
}
