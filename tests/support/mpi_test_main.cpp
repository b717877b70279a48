// doctest main for MPI tests: every rank runs every test case (so collectives line up),
// ranks other than 0 write their report into a string, failures are combined across
// ranks, and rank 0 prints one report followed by the reports of the ranks that failed.
// The exit status is non-zero when any rank failed.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>
#include <mpi.h>

#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <baton/environment.hpp>

// The environment's default thread level, unless a test program asks for another by defining
// BATON_TEST_THREADING.
int main(int argc, char** argv) {
#ifdef BATON_TEST_THREADING
    baton::environment env(argc, argv, baton::threading::BATON_TEST_THREADING);
#else
    baton::environment env(argc, argv);
#endif
    int rank = 0, size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);

    // Reports travel on a private communicator so that no message a test left behind is mistaken for one.
    MPI_Comm reports;
    MPI_Comm_dup(MPI_COMM_WORLD, &reports);

    doctest::Context context;
    context.applyCommandLine(argc, argv);
    std::ostringstream captured;
    if (rank != 0) context.setCout(&captured);
    const int failed = context.run() != 0 ? 1 : 0;

    int any_failed = 0;
    MPI_Allreduce(&failed, &any_failed, 1, MPI_INT, MPI_MAX, reports);

    std::vector<int> statuses(static_cast<std::size_t>(size), 0);
    MPI_Gather(&failed, 1, MPI_INT, statuses.data(), 1, MPI_INT, 0, reports);
    if (rank != 0 && failed) {
        const std::string report = captured.str();
        MPI_Send(report.data(), static_cast<int>(report.size()), MPI_CHAR, 0, 0, reports);
    }
    if (rank == 0) {
        for (int r = 1; r < size; ++r) {
            if (!statuses[static_cast<std::size_t>(r)]) continue;
            MPI_Status status;
            MPI_Probe(r, 0, reports, &status);
            int length = 0;
            MPI_Get_count(&status, MPI_CHAR, &length);
            std::string text(static_cast<std::size_t>(length), '\0');
            MPI_Recv(text.data(), length, MPI_CHAR, r, 0, reports, MPI_STATUS_IGNORE);
            std::cout << "\n===== report of rank " << r << " (failed) =====\n" << text << std::flush;
        }
        std::cout << "\n[mpi] " << size << (size == 1 ? " rank: " : " ranks: ")
                  << (any_failed ? "FAILED on at least one rank" : "all passed") << std::endl;
    }
    MPI_Comm_free(&reports);
    return any_failed;
}
