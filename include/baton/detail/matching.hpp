#pragma once
// Finding the next message for a receive: a blocking matched probe, or a polling one with a
// deadline that backs off to short sleeps so a long wait does not hold a core at 100%.

#include <mpi.h>

#include <chrono>
#include <optional>
#include <thread>

#include <baton/detail/incoming.hpp>
#include <baton/detail/mpi_check.hpp>

namespace baton::detail {

inline incoming match_blocking(MPI_Comm comm, int receiver, int source, int tag) {
    incoming msg;
    msg.receiver = receiver;
    check_mpi(MPI_Mprobe(source, tag, comm, &msg.handle, &msg.status), "MPI_Mprobe");
    return msg;
}

inline std::optional<incoming> match_now(MPI_Comm comm, int receiver, int source, int tag) {
    incoming msg;
    msg.receiver = receiver;
    int found = 0;
    check_mpi(MPI_Improbe(source, tag, comm, &found, &msg.handle, &msg.status), "MPI_Improbe");
    if (!found) return std::nullopt;
    return msg;
}

/// Polls until a message matches or `deadline` passes (then returns nothing).
inline std::optional<incoming> match_until(MPI_Comm comm, int receiver, int source, int tag,
                                           std::chrono::steady_clock::time_point deadline) {
    using namespace std::chrono;
    // Spin briefly (a reply usually comes within microseconds), then sleep, doubling up to 1 ms.
    constexpr int spins = 200;
    auto pause = microseconds(10);
    for (int attempt = 0;; ++attempt) {
        if (auto msg = match_now(comm, receiver, source, tag)) return msg;
        const auto now = steady_clock::now();
        if (now >= deadline) return std::nullopt;
        if (attempt < spins) continue;
        std::this_thread::sleep_for(std::min<steady_clock::duration>(pause, deadline - now));
        pause = std::min<microseconds>(pause * 2, milliseconds(1));
    }
}

}  // namespace baton::detail
