// Reads each pickle named on the command line into a baton::py::object and writes it pickled
// again, under the same file name, into the output folder (the corpus test's C++ half).
//   pickle_echo OUT_DIR FILE...
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

#include <baton/py/pickle.hpp>

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: pickle_echo OUT_DIR FILE...\n";
        return 2;
    }
    std::string out_dir = argv[1];
    int failed = 0;
    for (int i = 2; i < argc; ++i) {
        std::string path = argv[i];
        std::ifstream in(path, std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        try {
            auto value = baton::py::unpickle<baton::py::object>(bytes);
            std::string again = baton::py::pickle(value);
            std::ofstream(out_dir + "/" + path.substr(path.find_last_of('/') + 1), std::ios::binary) << again;
        } catch (const std::exception& e) {
            std::cerr << path << ": " << e.what() << "\n";
            ++failed;
        }
    }
    return failed ? 1 : 0;
}
