// Broadcasting a local_dataset against broadcasting its bytes: rank 0 reads FILE, then each
// round times, interleaved, (1) world.broadcast of the dataset into an empty dataset on the
// other ranks, (2) world.broadcast of a std::vector<char> as large as the dataset's encoding
// (its column data), the other ranks not knowing the size, and (3) MPI_Bcast of those bytes
// with the size known everywhere (the floor). Prints the medians as a Markdown table on root.
//
//   mpiexec -n 2 dataset_broadcast FILE [--rounds 7]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include <baton/baton.hpp>

#include "support/median.hpp"

using bench::median;

int main(int argc, char** argv) {
    baton::environment env(argc, argv);
    baton::comm world;
    std::string path;
    int rounds = 7;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--rounds" && i + 1 < argc)
            rounds = std::atoi(argv[++i]);
        else
            path = a;
    }
    if (path.empty()) {
        world.on_root([] { std::fprintf(stderr, "usage: dataset_broadcast FILE [--rounds 7]\n"); });
        return 2;
    }
    baton::local_dataset original;
    std::uint64_t encoded_size = 0;
    if (world.is_root()) {
        original = baton::local_dataset::read_csv(path);
        baton::detail::byte_buffer bytes;
        baton::wire::native_encoding::save(world.native(), bytes, original);
        encoded_size = bytes.size();
    }
    world.broadcast(encoded_size, 0);
    const std::vector<char> block(world.is_root() ? encoded_size : 0, 'x');
    std::vector<char> floor_buffer(encoded_size, 'x');

    // Copies the root's value in (untimed), then times the broadcast alone.
    auto timed = [&](const std::function<void()>& prepare, const std::function<void()>& run) {
        prepare();
        world.barrier();
        const auto start = std::chrono::steady_clock::now();
        run();
        world.barrier();
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };
    std::vector<double> dataset_s, vector_s, floor_s;
    std::size_t rows = 0;
    for (int r = 0; r < rounds; ++r) {
        baton::local_dataset ds;
        dataset_s.push_back(
            timed([&] { ds = world.is_root() ? original : baton::local_dataset(); }, [&] { world.broadcast(ds, 0); }));
        rows = ds.rows();
        std::vector<char> v;
        vector_s.push_back(timed([&] { v = block; }, [&] { world.broadcast(v, 0); }));
        floor_s.push_back(timed(
            [] {},
            [&] { MPI_Bcast(floor_buffer.data(), static_cast<int>(encoded_size), MPI_CHAR, 0, world.native()); }));
    }
    world.on_root([&] {
        const double d = median(dataset_s), v = median(vector_s), f = median(floor_s);
        std::printf("| %zu rows, %.1f MB of column data, %d ranks | seconds (median of %d) | ratio |\n|---|---|---|\n",
                    rows, static_cast<double>(encoded_size) / 1e6, world.size(), rounds);
        std::printf("| broadcast(local_dataset) | %.4f | %.2fx the vector |\n", d, d / v);
        std::printf("| broadcast(std::vector<char>) | %.4f | %.2fx the floor |\n", v, v / f);
        std::printf("| MPI_Bcast, size known (floor) | %.4f | 1.00x |\n", f);
    });
    return 0;
}
