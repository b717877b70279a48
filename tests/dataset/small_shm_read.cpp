// Run in a job whose /dev/shm is smaller than the dataset (run_in_small_shm.sh): a node_shared
// read must give every rank the same baton::error, saying how much it needs and how much is
// free, before anything is written (no SIGBUS), leave no block behind, and leave the job able to
// go on (a private read then works). Exits 0 only if all of that held on every rank.
#include <dirent.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include <baton/baton.hpp>

namespace {

int baton_blocks_in_dev_shm() {
    int n = 0;
    if (DIR* d = ::opendir("/dev/shm")) {
        while (const dirent* e = ::readdir(d)) n += std::string(e->d_name).rfind("baton-", 0) == 0;
        ::closedir(d);
    }
    return n;
}

}  // namespace

int main(int argc, char** argv) {
    baton::environment env(argc, argv);
    baton::comm world;
    // 6M rows of reals and wide integers: 96 MB of columns, more than the job's /dev/shm.
    const std::string path = "/tmp/baton-small-shm-" + std::to_string(world.is_root() ? ::getpid() : 0) + ".csv";
    std::string file = path;
    world.broadcast(file, 0);
    if (world.is_root()) {
        std::ofstream out(file);
        out << "x,n\n";
        for (long r = 0; r < 6000000; ++r) out << r << ".5," << 1000000000000L + r << '\n';
    }
    world.barrier();

    std::string message;
    try {
        (void)baton::local_dataset::read_csv(file, baton::node_shared(world));
        message = "no error";
    } catch (const baton::error& e) {
        message = e.what();
    }
    const bool says_sizes = message.find("needs 96") != std::string::npos &&
                            message.find("of the node's shared memory (/dev/shm), but only") != std::string::npos &&
                            message.find("is free there") != std::string::npos;
    const auto all = world.all_gather(message);
    bool same = true;
    for (const auto& m : all) same = same && m == all[0];
    const int left = baton_blocks_in_dev_shm();
    const auto private_read = baton::local_dataset::read_csv(file);
    const bool went_on = private_read.rows() == 6000000;

    const bool ok = says_sizes && same && left == 0 && went_on;
    std::cout << "rank " << world.rank() << ": " << message << (says_sizes ? "" : " [does not say the sizes]")
              << (same ? "" : " [differs between ranks]") << (left == 0 ? "" : " [a block is left in /dev/shm]")
              << (went_on ? "" : " [the private read failed]") << std::endl;
    world.barrier();
    if (world.is_root()) std::remove(file.c_str());
    return world.all_reduce(ok ? 0 : 1, std::plus<>{}) == 0 ? 0 : 1;
}
