// Every rank says hello, as the tutorial's first lines do.
#include <iostream>
#include <string>

#include <baton/baton.hpp>

#include "command_line.hpp"

int main(int argc, char** argv) {
    baton::environment env(argc, argv);
    baton::comm world;
    const auto command_line = example::parse_command_line(world, argc, argv, "usage: hello", [&] {
        if (argc > 1) throw baton::usage_error("hello: unknown argument " + std::string(argv[1]));
        return true;
    });
    if (!command_line.arguments) return command_line.status;
    // println writes a line at once, so lines of different ranks do not interleave mid-line.
    baton::println("Hello from ", world.rank(), ".  There are a total of ", world.size(), " of us.  Good luck.");
    world.on_root([] {
        baton::println("I am the rank 0 node.  Code you write here will only execute on this process.\n",
                       "This is frequently used to create a master node that collects results from other nodes.");
    });
}
