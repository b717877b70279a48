// The baton side of benchmarks/peers/echo.py: receives the Python rank's list of 100 floats as
// a std::vector<double> (as a C++ rank that computes on it would) and sends it back.
#include <cstdlib>
#include <vector>

#include <baton/baton.hpp>
#include <baton/peers/python_comm.hpp>

int main(int argc, char** argv) {
    baton::environment env(argc, argv, baton::python_peers);
    baton::python_comm world;
    const long reps = argc > 1 ? std::atol(argv[1]) : 2000;
    const long warmup = reps / 10 + 10;
    for (long i = 0; i < warmup + reps; ++i) world.send(0, 12, world.recv<std::vector<double>>(0, 11));
}
