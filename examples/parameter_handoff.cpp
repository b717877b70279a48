// The tutorial's hand-off, typed: every rank says hello; rank 0 draws 1000 parameters and
// sends the first 100 to rank 1 with tag 11; rank 1 loads the student data from its own disk
// and receives them.
//
//   mpiexec -n 2 parameter_handoff [studentpor_bigger.csv] [--seed S]
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include <baton/baton.hpp>

#include "command_line.hpp"

namespace {

constexpr baton::tag<std::vector<double>> params{11};

}  // namespace

int main(int argc, char** argv) {
    baton::environment env(argc, argv);
    baton::comm world;

    struct arguments {
        std::string data_path = "studentpor_bigger.csv";
        std::uint64_t seed = std::random_device{}();
    };
    const auto command_line = example::parse_command_line(
        world, argc, argv, "usage: parameter_handoff [DATA.csv] [--seed S]   (run on 2 ranks)", [&] {
            arguments a;
            for (int i = 1; i < argc; ++i) {
                const std::string arg = argv[i];
                if (arg == "--seed") {
                    if (i + 1 >= argc) throw baton::usage_error("parameter_handoff: --seed needs a value");
                    a.seed = std::strtoull(argv[++i], nullptr, 10);
                } else if (arg.rfind("--", 0) == 0) {
                    throw baton::usage_error("parameter_handoff: unknown argument " + arg);
                } else {
                    a.data_path = arg;
                }
            }
            return a;
        });
    if (!command_line.arguments) return command_line.status;
    const std::string data_path = command_line.arguments->data_path;
    const std::uint64_t seed = command_line.arguments->seed;

    // println writes a line at once, so lines of different ranks do not interleave mid-line.
    baton::println("Hello from ", world.rank(), ".  There are a total of ", world.size(), " of us.  Good luck.");
    // Every greeting is out before any rank goes on, so the hand-off's lines below are not
    // interleaved with the greetings of slower ranks.
    world.barrier();
    if (world.size() < 2) {
        baton::println("The hand-off needs two ranks (rank 0 sends, rank 1 receives); run it with mpiexec -n 2.");
        return 0;
    }

    world.on_rank(0, [&] {
        baton::println("I am the rank 0 node.  Code you write here will only execute on this process.\n",
                       "This is frequently used to create a master node that collects results from other nodes.");
        std::mt19937_64 draw(seed);
        std::vector<double> param_list(1000);
        for (double& c : param_list) c = std::generate_canonical<double, 53>(draw) * 10;
        world.send(1, params, baton::view<double>(param_list.data(), 100));
    });

    world.on_rank(1, [&] {
        // Load the data on this node rather than receive it over the network: much faster.
        auto data = baton::local_dataset::read_csv(data_path);
        std::vector<double> parameters = world.recv(0, params);
        // Both lines in one write, after rank 0 has written its own.
        baton::println("rank 1 loaded ", data_path, ": ", data.rows(), " rows x ", data.columns(), " columns\n",
                       baton::python_list(parameters));
    });
    return 0;
}
