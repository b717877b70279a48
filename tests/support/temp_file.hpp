#pragma once
// A file with given contents in the temp directory, removed when the test ends. Each rank
// gets its own name, so MPI tests can write theirs without clashing.
#include <mpi.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

namespace baton_test {

class temp_file {
public:
    explicit temp_file(const std::string& contents, const std::string& suffix = ".csv") {
        static int counter = 0;
        int rank = 0, initialized = 0;
        MPI_Initialized(&initialized);
        if (initialized) MPI_Comm_rank(MPI_COMM_WORLD, &rank);
        path_ = "/tmp/baton-test-" + std::to_string(::getpid()) + "-" + std::to_string(rank) + "-" +
                std::to_string(counter++) + suffix;
        std::ofstream out(path_, std::ios::binary);
        out << contents;
    }
    temp_file(const temp_file&) = delete;
    temp_file& operator=(const temp_file&) = delete;
    ~temp_file() { std::remove(path_.c_str()); }
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

}  // namespace baton_test
