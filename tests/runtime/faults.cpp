// A 2-rank job in which rank 1 fails while rank 0 waits in recv; the job must end.
// MODE exit: rank 1 calls std::exit(3) (no MPI_Finalize); MODE segv: rank 1 gets SIGSEGV;
// MODE kill: rank 1 gets SIGKILL (nothing can be printed; the launcher must end the job).
#include <csignal>
#include <cstdlib>
#include <cstring>

#include <baton/baton.hpp>

int main(int argc, char** argv) {
    baton::environment env(argc, argv);
    baton::comm world;
    const char* mode = argc > 1 ? argv[1] : "exit";
    if (world.rank() == 1) {
        if (std::strcmp(mode, "exit") == 0) std::exit(3);
        if (std::strcmp(mode, "segv") == 0) std::raise(SIGSEGV);
        if (std::strcmp(mode, "kill") == 0) std::raise(SIGKILL);
    }
    world.on_rank(0, [&] { (void)world.recv<int>(1, 5); });
    return 0;
}
