// Jobs that hang, for BATON_HANG_TIMEOUT's reports (tests/runtime/CMakeLists.txt):
//   hangs recv_recv          every rank receives from the next one, and none sends
//   hangs barrier_broadcast  rank 0 in barrier(), the others in broadcast from rank 0
//   hangs computing          rank 1 computes for 2 s, then sends; rank 0 waits in recv
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <baton/baton.hpp>

int main(int argc, char** argv) {
    baton::environment env(argc, argv);
    baton::comm world;
    const std::string mode = argc > 1 ? argv[1] : "";
    constexpr baton::tag<std::vector<double>> params{11};
    const int next = (world.rank() + 1) % world.size();
    if (mode == "recv_recv") {
        (void)world.recv(next, params);
    } else if (mode == "barrier_broadcast") {
        if (world.rank() == 0) {
            world.barrier();
        } else {
            std::vector<double> v;
            world.broadcast(v, 0);
        }
    } else if (mode == "computing") {
        if (world.rank() == 1) {
            std::this_thread::sleep_for(std::chrono::seconds(2));
            world.send(0, params, std::vector<double>(100, 0.5));
        }
        if (world.rank() == 0) (void)world.recv(1, params);
    } else {
        baton::println("usage: hangs recv_recv|barrier_broadcast|computing");
        return 2;
    }
    return 0;
}
