// baton's pickle codec against CPython's pickle on the same bytes: reads the pickles that
// pickle_codec.py wrote, times baton::py::unpickle into the typed C++ value and baton::py::pickle
// of that value, and prints one line per payload with the median of each (microseconds).
//   pickle_codec DIR ROUNDS
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <baton/py/pickle.hpp>

#include "support/median.hpp"

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

template <class T>
void time_payload(const std::string& name, const std::string& bytes, int rounds) {
    std::vector<double> loads, dumps;
    std::size_t sink = 0;
    T value{};
    for (int r = 0; r < rounds; ++r) {
        auto t0 = std::chrono::steady_clock::now();
        value = baton::py::unpickle<T>(bytes);
        auto t1 = std::chrono::steady_clock::now();
        std::string again = baton::py::pickle(value);
        auto t2 = std::chrono::steady_clock::now();
        sink += again.size() + value.size();
        loads.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
        dumps.push_back(std::chrono::duration<double, std::micro>(t2 - t1).count());
    }
    std::printf("%s baton %.1f %.1f %zu\n", name.c_str(), bench::median(loads), bench::median(dumps), sink % 10);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: pickle_codec DIR ROUNDS\n");
        return 2;
    }
    std::string dir = argv[1];
    int rounds = std::stoi(argv[2]);
    time_payload<std::vector<double>>("floats_1m", read_file(dir + "/floats_1m.pkl"), rounds);
    time_payload<std::vector<std::string>>("strings_200k", read_file(dir + "/strings_200k.pkl"), rounds);
    time_payload<std::vector<double>>("floats_100", read_file(dir + "/floats_100.pkl"), rounds * 100);
    return 0;
}
