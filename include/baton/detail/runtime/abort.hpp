#pragma once
// Ending the whole job when one rank fails, so that peers blocked in a receive do not
// wait forever: print "rank N: <what>" and call MPI_Abort on MPI_COMM_WORLD.

#include <cxxabi.h>
#include <mpi.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <thread>
#include <typeinfo>

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

/// Set once this process has begun ending the job, so that the exit MPI_Abort itself may make
/// (MPICH's, in a one-rank job) is not reported as the program's own exit.
inline std::atomic<bool> ending_job{false};

[[noreturn]] inline void abort_job(const std::string& what, int exit_code = 1) noexcept {
    if (ending_job.exchange(true)) std::abort();  // already on the way out
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

/// The readable name of a type from its typeid name.
inline std::string demangled(const char* name) {
    int status = 0;
    char* readable = abi::__cxa_demangle(name, nullptr, nullptr, &status);
    std::string out = status == 0 && readable != nullptr ? readable : name;
    std::free(readable);
    return out;
}

/// `what` without a leading "rank N: " or "rank N " naming this rank (abort_job says it).
inline std::string without_own_rank(const std::string& what) {
    const std::string own = "rank " + std::to_string(world_rank_or_minus_one());
    if (what.compare(0, own.size(), own) != 0) return what;
    if (what.compare(own.size(), 2, ": ") == 0) return what.substr(own.size() + 2);
    if (what.compare(own.size(), 1, " ") == 0) return what.substr(own.size() + 1);
    return what;
}

/// The exception in flight, for abort_job: its type and its message ("baton::type_mismatch:
/// expected ..."), the message without the rank that abort_job puts in front.
inline std::string describe_current_exception() noexcept {
    try {
        std::exception_ptr current = std::current_exception();
        if (!current) return "std::terminate called without an active exception";
        std::rethrow_exception(current);
    } catch (const std::exception& e) {
        try {
            return demangled(typeid(e).name()) + ": " + without_own_rank(e.what());
        } catch (...) {
            return e.what();
        }
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
    if (sig == SIGTERM) {
        // The launcher ending the job after another rank failed, or a scheduler's time limit:
        // this rank cannot tell which, and did not fail itself.
        put(": terminated from outside (SIGTERM: the job is being ended)\n");
    } else {
        put(": killed by signal ");
        put_int(sig);
        put(sig == SIGSEGV  ? " (SIGSEGV)\n"
            : sig == SIGBUS ? " (SIGBUS)\n"
            : sig == SIGFPE ? " (SIGFPE)\n"
            : sig == SIGILL ? " (SIGILL)\n"
                            : "\n");
    }
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
/// ranks waiting for this one: end the job instead, saying why, with the status the program
/// asked for.
inline void exit_without_finalize_handler(int status) noexcept {
    if (ending_job.load() || !mpi_running()) return;
    abort_job("exit(" + std::to_string(status) +
                  ") was called before MPI was finalized (baton::environment still alive); ending the job",
              status == 0 ? 1 : status);
}

}  // namespace baton::detail
