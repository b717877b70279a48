// Every rank says hello, as the tutorial's first lines do.
#include <iostream>
#include <string>

#include <baton/baton.hpp>

int main(int argc, char** argv) {
    baton::environment env(argc, argv);
    baton::comm world;
    // One write per line, so lines of different ranks do not interleave mid-line.
    std::cout << ("Hello from " + std::to_string(world.rank()) + ".  There are a total of " +
                  std::to_string(world.size()) + " of us.  Good luck.\n")
              << std::flush;
    world.on_root([] {
        std::cout << "I am the rank 0 node.  Code you write here will only execute on this process.\n"
                  << "This is frequently used to create a master node that collects results from other nodes."
                  << std::endl;
    });
}
