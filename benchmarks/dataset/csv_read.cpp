// Times local_dataset::read_csv on a file, whole or partitioned across the ranks, and reports
// seconds, throughput and peak memory (max RSS) per rank as one CSV line from root.
//
//   csv_read FILE [--repeat 3] [--threads 1]   one process reads the whole file
//   mpiexec -n N csv_read FILE --partitioned   each rank reads its share
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <baton/baton.hpp>

int main(int argc, char** argv) {
    baton::environment env(argc, argv);
    baton::comm world;
    std::string path;
    bool partitioned = false;
    int repeat = 1;
    baton::csv_options options;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--partitioned")
            partitioned = true;
        else if (a == "--repeat" && i + 1 < argc)
            repeat = std::atoi(argv[++i]);
        else if (a == "--threads" && i + 1 < argc)
            options.threads = static_cast<unsigned>(std::atoi(argv[++i]));
        else
            path = a;
    }
    double best = 1e300;
    std::size_t rows = 0, columns = 0, bytes = 0;
    for (int r = 0; r < repeat; ++r) {
        world.barrier();
        const auto start = std::chrono::steady_clock::now();
        auto ds = partitioned ? baton::local_dataset::read_csv(path, baton::partitioned(world, options))
                              : baton::local_dataset::read_csv(path, options);
        world.barrier();
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        best = std::min(best, s);
        rows = ds.rows();
        columns = ds.columns();
    }
    auto total_rows = world.reduce(rows, std::plus<>{});
    struct rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    auto peak = world.reduce(static_cast<long>(usage.ru_maxrss), baton::maximum{});
    if (FILE* f = std::fopen(path.c_str(), "rb")) {
        std::fseek(f, 0, SEEK_END);
        bytes = static_cast<std::size_t>(std::ftell(f));
        std::fclose(f);
    }
    world.on_root([&] {
        std::printf("ranks=%d,threads=%u,rows=%zu,columns=%zu,seconds=%.3f,MB_per_s=%.0f,peak_rss_MB_per_rank=%.0f\n",
                    world.size(), options.threads, *total_rows, columns, best, static_cast<double>(bytes) / 1e6 / best,
                    static_cast<double>(*peak) / 1024.0);
    });
    return 0;
}
