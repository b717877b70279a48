// A baton::comm made before the environment (forgotten, or a global comm) is a usage_error that
// says to create the environment first, not MPI's own message. Run without mpiexec.
#include <cstdio>

#include <baton/baton.hpp>

int main() {
    try {
        baton::comm world;
    } catch (const baton::usage_error& e) {
        std::printf("%s\n", e.what());
        return 0;
    }
    std::printf("no usage_error\n");
    return 1;
}
