#pragma once
/// @file
/// baton::environment: starts and stops MPI, and makes an uncaught exception end the whole job.

#include <mpi.h>

#include <boost/mpi/environment.hpp>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <string>

#include <baton/config.hpp>
#include <baton/detail/mpi/check.hpp>
#include <baton/detail/runtime/abort.hpp>
#include <baton/detail/runtime/communicator_handle.hpp>
#include <baton/detail/runtime/watchdog.hpp>
#include <baton/detail/state/comm_state.hpp>

namespace baton {

/// The thread support levels MPI offers (MPI_THREAD_SINGLE ... MPI_THREAD_MULTIPLE).
using threading = boost::mpi::threading::level;

/// The type of baton::python_peers.
struct python_peers_t {
    explicit constexpr python_peers_t() = default;
};
/// @brief Passed last to environment's constructor: other ranks of this job are not baton
/// programs (mpi4py scripts, say, started beside this one by a multi-program launch), so the
/// environment makes no collective call over MPI_COMM_WORLD at start or at the end. Talk to
/// those ranks with baton::python_comm (baton/peers/python_comm.hpp).
/// @code baton::environment env(argc, argv, baton::python_peers); @endcode
inline constexpr python_peers_t python_peers{};

/// @brief Initializes MPI on construction and finalizes it on destruction; create one, first
/// thing in main, on every rank.
///
/// While it lives, an exception that escapes main (or any std::terminate) prints
/// `rank N: <what()>` on stderr and calls MPI_Abort, so the job ends with a non-zero status
/// instead of leaving the other ranks waiting. So does std::exit before the environment ends,
/// and a fatal signal (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTERM) prints `rank N: killed by
/// signal S` and then lets the handler that was there before (or the default action) end it.
/// MPI errors on MPI_COMM_WORLD are returned to baton (and thrown as baton::mpi_error) instead
/// of aborting without context.
/// @code
/// int main(int argc, char** argv) {
///     baton::environment env(argc, argv);
///     baton::comm world;
/// }
/// @endcode
class environment {
public:
    /// @param argc, argv main's arguments (MPI may take its own out of them)
    /// @param level the thread support to ask MPI for; provided() tells what MPI granted.
    /// The default is `single`, what MPI_Init asks for: on Open MPI 4 any higher level turns on
    /// locks inside every MPI call, which slows every small message (docs/performance.md,
    /// "Thread levels"); MPICH charges nothing below `multiple`. read_csv's
    /// threads (csv_options::threads) never call MPI and run only while the thread that called
    /// read_csv waits for them, so no MPI call runs beside them. A program that runs threads of
    /// its own beside MPI calls (OpenMP regions, say) asks for `funneled`, which the MPI
    /// standard requires for that.
    environment(int& argc, char**& argv, threading level = threading::single)
        : env_(std::make_unique<boost::mpi::environment>(argc, argv, level, true)) {
        install(false);
    }
    /// Without main's arguments.
    explicit environment(threading level = threading::single)
        : env_(std::make_unique<boost::mpi::environment>(level, true)) {
        install(false);
    }
    /// In a job whose other ranks are not baton programs (see baton::python_peers).
    environment(int& argc, char**& argv, python_peers_t) : environment(argc, argv, threading::single, python_peers) {}
    /// In a job whose other ranks are not baton programs, at a thread level.
    environment(int& argc, char**& argv, threading level, python_peers_t)
        : env_(std::make_unique<boost::mpi::environment>(argc, argv, level, true)) {
        install(true);
    }
    /// Without main's arguments, in a job whose other ranks are not baton programs.
    explicit environment(python_peers_t) : environment(threading::single, python_peers) {}
    /// Without main's arguments, at a thread level, in a job whose other ranks are not baton
    /// programs.
    environment(threading level, python_peers_t) : env_(std::make_unique<boost::mpi::environment>(level, true)) {
        install(true);
    }
    environment(const environment&) = delete;
    environment& operator=(const environment&) = delete;
    ~environment() {
        // Before MPI_Finalize: communicators baton made and still alive (newest first, the same
        // order on every rank), then the state baton keeps on the ones it never frees.
        detail::communicator_handle::free_all();
        detail::comm_state::release(MPI_COMM_WORLD);
        detail::comm_state::release(MPI_COMM_SELF);
        std::set_terminate(previous_);
    }

    /// The thread support MPI provides.
    threading provided() const { return boost::mpi::environment::thread_level(); }
    /// This process's host name as MPI reports it.
    static std::string processor_name() { return boost::mpi::environment::processor_name(); }

private:
    // on_exit (glibc) rather than atexit: the hook needs the status exit() was given.
    static void exit_hook(int status, void*) { detail::exit_without_finalize_handler(status); }

    void install(bool python_peers) {
        previous_ = std::set_terminate(&detail::terminate_handler);
        detail::check_mpi(MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN), "MPI_Comm_set_errhandler");
        // Every rank of a baton job starts here, so MPI_COMM_WORLD's body channel (a private
        // duplicate) can be made now, collectively, for the large messages that travel as
        // header and body. Ranks that are not baton programs never make the matching call, so
        // with them in the job world keeps every payload behind its header instead.
        if (!python_peers) detail::comm_state::of(MPI_COMM_WORLD)->open_body_channel(MPI_COMM_WORLD);
        int rank = -1;
        MPI_Comm_rank(MPI_COMM_WORLD, &rank);
        warn_if_other_launcher();
        detail::install_signal_handlers(rank);
        // BATON_HANG_TIMEOUT: read (and a bad value refused) now, and the watchdog started.
        (void)detail::watchdog::active();
        static const bool registered = ::on_exit(&exit_hook, nullptr) == 0;
        (void)registered;
    }

    /// A program built for one MPI but started by the other MPI's mpiexec runs as N separate
    /// one-rank jobs that all "succeed". That launcher still says how many ranks it started.
    static void warn_if_other_launcher() {
        int size = 0;
        MPI_Comm_size(MPI_COMM_WORLD, &size);
        if (size != 1) return;
        const config::launcher_size launched = config::launcher_world_size();
        if (launched.variable == nullptr) return;
        std::fprintf(stderr,
                     "baton: MPI reports 1 rank, but the launcher started %d (%s=%d): this program was "
                     "built for another MPI than the mpiexec that started it, so each process runs alone. "
                     "Start it with the mpiexec of the MPI it was built with (mpiexec.mpich, "
                     "mpiexec.openmpi, ...).\n",
                     launched.ranks, launched.variable, launched.ranks);
    }

    std::unique_ptr<boost::mpi::environment> env_;
    std::terminate_handler previous_ = nullptr;
};

}  // namespace baton
