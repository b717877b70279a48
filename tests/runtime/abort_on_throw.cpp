// A job in which rank 0 throws while rank 1 waits in recv. Must end, not hang.
// MODE gated: the throw escapes on_rank; MODE uncaught: it escapes main; MODE mismatch: rank 0
// sends an int where rank 1 expects a vector, and rank 1's receive throws baton::type_mismatch.
#include <cstring>
#include <stdexcept>
#include <vector>

#include <baton/baton.hpp>

int main(int argc, char** argv) {
    baton::environment env(argc, argv);
    baton::comm world;
    const bool gated = argc > 1 && std::strcmp(argv[1], "gated") == 0;
    const baton::tag<std::vector<double>> params{11};
    if (argc > 1 && std::strcmp(argv[1], "mismatch") == 0) {
        world.on_rank(0, [&] { world.send(1, 11, 42); });
        world.on_rank(1, [&] { (void)world.recv(0, params); });
        world.barrier();
        return 0;
    }
    if (gated) {
        world.on_rank(0, [] { throw std::runtime_error("parameter file is corrupt"); });
    } else if (world.rank() == 0) {
        throw std::runtime_error("parameter file is corrupt");
    }
    world.on_rank(1, [&] { (void)world.recv(0, params); });
    return 0;
}
