#pragma once
// Finding the next message for a receive: a blocking matched probe, or a polling one with a
// deadline that backs off (back_off.hpp) so a long wait does not hold a core at 100%.

#include <mpi.h>

#include <chrono>
#include <optional>

#include <baton/detail/back_off.hpp>
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
    back_off wait;
    for (;;) {
        if (auto msg = match_now(comm, receiver, source, tag)) return msg;
        if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
        wait.pause(deadline);
    }
}

}  // namespace baton::detail
