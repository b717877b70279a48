#pragma once
// Ending the whole job when one rank fails, so that peers blocked in a receive do not
// wait forever: print "rank N: <what>" and call MPI_Abort on MPI_COMM_WORLD.

#include <mpi.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
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

[[noreturn]] inline void terminate_handler() noexcept {
    abort_job(describe_current_exception());
}

/// This rank's number for the signal handler, which may not call MPI.
inline volatile int signal_rank = -1;

inline constexpr int fatal_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTERM};
inline constexpr std::size_t fatal_signal_count = sizeof fatal_signals / sizeof fatal_signals[0];

/// The handlers installed before baton's (MPI transports and sanitizers set their own);
/// baton's runs first and then hands the signal on to them.
inline struct sigaction previous_signal_actions[fatal_signal_count];

/// A fatal signal: say which rank got it (write(2) only: async-signal-safe), then let the
/// previous handler, or the default action, end the process, so that the launcher sees the
/// death and ends the job.
inline void fatal_signal_handler(int sig, siginfo_t* info, void* context) noexcept {
    char text[96];
    std::size_t n = 0;
    auto put = [&](const char* s) {
        while (*s && n < sizeof text - 1) text[n++] = *s++;
    };
    auto put_int = [&](int v) {
        char digits[12];
        int k = 0;
        if (v < 0) {
            put("-");
            v = -v;
        }
        do {
            digits[k++] = static_cast<char>('0' + v % 10);
            v /= 10;
        } while (v > 0 && k < 11);
        while (k > 0 && n < sizeof text - 1) text[n++] = digits[--k];
    };
    put("rank ");
    put_int(signal_rank);
    put(": killed by signal ");
    put_int(sig);
    put(sig == SIGSEGV   ? " (SIGSEGV)\n"
        : sig == SIGBUS  ? " (SIGBUS)\n"
        : sig == SIGFPE  ? " (SIGFPE)\n"
        : sig == SIGILL  ? " (SIGILL)\n"
        : sig == SIGTERM ? " (SIGTERM)\n"
                         : "\n");
    (void)!::write(2, text, n);
    for (std::size_t i = 0; i < fatal_signal_count; ++i) {
        if (fatal_signals[i] != sig) continue;
        const struct sigaction& previous = previous_signal_actions[i];
        ::sigaction(sig, &previous, nullptr);
        if (previous.sa_flags & SA_SIGINFO) {
            if (previous.sa_sigaction != nullptr) previous.sa_sigaction(sig, info, context);
            return;
        }
        if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN) {
            previous.sa_handler(sig);
            return;
        }
    }
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

/// Installs fatal_signal_handler in front of whatever handles those signals now.
inline void install_signal_handlers(int rank) noexcept {
    signal_rank = rank;
    for (std::size_t i = 0; i < fatal_signal_count; ++i) {
        struct sigaction ours {};
        ours.sa_sigaction = &fatal_signal_handler;
        ours.sa_flags = SA_SIGINFO;
        sigemptyset(&ours.sa_mask);
        ::sigaction(fatal_signals[i], &ours, &previous_signal_actions[i]);
    }
}

/// std::exit while MPI still runs (before baton::environment ends) would leave the other
/// ranks waiting for this one: end the job instead, saying why.
inline void exit_without_finalize_handler() noexcept {
    if (mpi_running()) {
        abort_job("exit() was called before MPI was finalized (baton::environment still alive); ending the job");
    }
}

}  // namespace baton::detail
