// What a read of the same file costs a node's ranks in memory and time: each rank reading its
// own copy (private), or one copy per node (node_shared). Every rank reads its proportional set
// size (Pss, /proc/self/smaps_rollup: a page shared by k processes counts 1/k in each) just
// before the read and after it, once it has read every page of its dataset (a page of the
// node's copy that no rank has touched yet is in no rank's Pss, so an untouched copy would look
// free); their sum over the ranks is what the node holds. The time is the read's, from a
// barrier to the last rank's return.
//
//   mpiexec -n N node_shared_read FILE private|shared [--threads T]
// Prints one line: "ranks=N mode=M threads=T pss_added_mib=X seconds=S rows=R page_checksum=C".
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>

#include <baton/baton.hpp>

namespace {

double pss_mib() {
    std::ifstream rollup("/proc/self/smaps_rollup");
    for (std::string line; std::getline(rollup, line);) {
        unsigned long long kb = 0;
        if (std::sscanf(line.c_str(), "Pss: %llu kB", &kb) == 1) return static_cast<double>(kb) / 1024.0;
    }
    throw baton::error("no Pss line in /proc/self/smaps_rollup");
}

// Reads a byte of every page of the node's shared copy that this rank maps (its columns'
// memory; a private read's is resident already).
unsigned touch_shared_pages() {
    std::ifstream maps("/proc/self/maps");
    const long page = ::sysconf(_SC_PAGESIZE);
    unsigned char sum = 0;
    for (std::string line; std::getline(maps, line);) {
        if (line.find("/dev/shm/baton-") == std::string::npos) continue;
        unsigned long long from = 0, to = 0;
        if (std::sscanf(line.c_str(), "%llx-%llx", &from, &to) != 2) continue;
        for (auto p = from; p < to; p += static_cast<unsigned long long>(page))
            sum = static_cast<unsigned char>(sum + *reinterpret_cast<const volatile unsigned char*>(p));
    }
    return sum;
}

}  // namespace

int main(int argc, char** argv) {
    baton::environment env(argc, argv);
    baton::comm world;
    if (argc < 3) {
        if (world.is_root()) std::cerr << "usage: node_shared_read FILE private|shared [--threads T]\n";
        return 2;
    }
    const std::string file = argv[1], mode = argv[2];
    baton::csv_options options;
    if (argc >= 5 && std::strcmp(argv[3], "--threads") == 0)
        options.threads = static_cast<unsigned>(std::stoul(argv[4]));
    if (mode == "shared")
        options = baton::node_shared(world, options);
    else if (mode != "private")
        throw baton::error("mode must be private or shared, not " + mode);

    world.barrier();
    const double before = pss_mib();
    const auto start = std::chrono::steady_clock::now();
    const auto ds = baton::local_dataset::read_csv(file, options);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const unsigned touched = touch_shared_pages();
    world.barrier();  // a page counts 1/k in each of the k ranks that map it: wait for all of them
    const double added = pss_mib() - before;
    const double slowest = world.all_reduce(seconds, baton::maximum{});
    const double total_added = world.all_reduce(added, std::plus<>{});
    world.on_root([&] {
        std::printf("ranks=%d mode=%s threads=%u pss_added_mib=%.1f seconds=%.3f rows=%zu page_checksum=%u\n",
                    world.size(), mode.c_str(), options.threads, total_added, slowest, ds.rows(), touched);
    });
    return 0;
}
