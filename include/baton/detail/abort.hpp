#pragma once
// Ending the whole job when one rank fails, so that peers blocked in a receive do not
// wait forever: print "rank N: <what>" and call MPI_Abort on MPI_COMM_WORLD.

#include <mpi.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <thread>

namespace baton::detail {

inline bool mpi_running() noexcept {
    int initialized = 0, finalized = 0;
    MPI_Initialized(&initialized);
    MPI_Finalized(&finalized);
    return initialized && !finalized;
}

inline int world_rank_or_minus_one() noexcept {
    int rank = -1;
    if (mpi_running()) MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    return rank;
}

[[noreturn]] inline void abort_job(const std::string& what, int exit_code = 1) noexcept {
    std::fprintf(stderr, "rank %d: %s\n", world_rank_or_minus_one(), what.c_str());
    std::fflush(stderr);
    if (mpi_running()) {
        // MPI_Abort kills the job at once; launchers (MPICH's hydra among them) may drop what
        // this rank wrote last unless their forwarders get a moment to pass it on.
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
        MPI_Abort(MPI_COMM_WORLD, exit_code);
    }
    std::abort();
}

/// The message of the exception in flight, for abort_job.
inline std::string describe_current_exception() noexcept {
    try {
        std::exception_ptr current = std::current_exception();
        if (!current) return "std::terminate called without an active exception";
        std::rethrow_exception(current);
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
        return "unknown exception (not derived from std::exception)";
    }
}

[[noreturn]] inline void terminate_handler() noexcept { abort_job(describe_current_exception()); }

}  // namespace baton::detail
