// Every rank says hello, as the tutorial's first lines do.
#include <baton/baton.hpp>
#include <iostream>

int main(int argc, char** argv) {
    baton::environment env(argc, argv);
    baton::comm world;
    std::cout << "Hello from " << world.rank() << ".  There are a total of " << world.size()
              << " of us.  Good luck." << std::endl;
    world.on_root([] {
        std::cout << "I am the rank 0 node.  Code you write here will only execute on this process.\n"
                  << "This is frequently used to create a master node that collects results from other nodes."
                  << std::endl;
    });
}
