// Prints the size of MPI_COMM_WORLD; started by the other MPI's mpiexec, baton says so on stderr.
#include <baton/baton.hpp>

int main(int argc, char** argv) {
    baton::environment env(argc, argv);
    baton::comm world;
    baton::println("world size ", world.size());
    return 0;
}
