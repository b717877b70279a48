// The tutorial's rank 1 in C++, beside its Python rank 0 unchanged (examples/peers/tutorial.py,
// the mpi4py script as the tutorial gives it): the first step of porting a job one rank at a
// time. Like the Python rank 1, it says hello, loads the student data from its own disk and
// receives the 100 parameters rank 0 sends with tag 11, then prints them as Python's
// print(parameters) does.
//
//   mpiexec -n 1 python3 tutorial.py : -n 1 tutorial_rank1 [studentpor_bigger.csv]
#include <iostream>
#include <string>
#include <vector>

#include <baton/baton.hpp>
#include <baton/peers/python_comm.hpp>
#include <baton/py/object.hpp>

int main(int argc, char** argv) {
    // Rank 0 is an mpi4py program: nothing collective may happen behind its back.
    baton::environment env(argc, argv, baton::python_peers);
    baton::python_comm comm;
    baton::println("Hello from ", comm.rank(), ".  There are a total of ", comm.size(), " of us.  Good luck.");
    comm.on_rank(1, [&] {
        // Loaded on this node, not sent over the network.
        const auto data = baton::local_dataset::read_csv(argc > 1 ? argv[1] : "studentpor_bigger.csv");
        // comm.send(param_list[0:100], dest=1, tag=11) on the Python side: a list of float.
        const auto parameters = comm.recv<std::vector<double>>(0, 11);
        std::cout << baton::py::object::from(parameters).repr() << std::endl;
    });
}
