// The floor for reading a compressed CSV file: decompressing it into memory alone, on one
// thread, with the same zlib / libzstd calls read_csv makes, and nothing parsed. Prints the
// best of REPEAT runs, for comparison with csv_read on the same file.
//
//   inflate_floor FILE.gz|FILE.zst [--repeat 3]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <baton/dataset/detail/decompress.hpp>
#include <baton/dataset/detail/mapped_file.hpp>

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: inflate_floor FILE [--repeat 3]\n");
        return 2;
    }
    const std::string path = argv[1];
    const int repeat = argc > 3 && std::string(argv[2]) == "--repeat" ? std::atoi(argv[3]) : 3;
    double best = 1e300;
    std::size_t bytes = 0;
    for (int r = 0; r < repeat; ++r) {
        const auto start = std::chrono::steady_clock::now();
        baton::detail::csv::mapped_file file(path);
        const std::string_view data(file.data(), file.size());
        const auto out =
            baton::detail::csv::decompress(path, data, baton::detail::csv::compression_of(data.substr(0, 8)));
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        bytes = out.size();
    }
    std::printf("inflate_floor,bytes_out=%zu,seconds=%.3f\n", bytes, best);
    return 0;
}
