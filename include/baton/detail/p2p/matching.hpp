#pragma once
// Finding the next message for a receive: a blocking matched probe, or a polling one with a
// deadline that backs off (runtime/back_off.hpp) so a long wait does not hold a core at 100%; or,
// where no acceptable message can be longer than a known size, one MPI_Recv without a probe.

#include <mpi.h>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include <baton/config.hpp>
#include <baton/detail/mpi/check.hpp>
#include <baton/detail/mpi/thread_level.hpp>
#include <baton/detail/p2p/incoming.hpp>
#include <baton/detail/runtime/back_off.hpp>
#include <baton/detail/scratch.hpp>
#include <baton/error.hpp>

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

/// Whether receive_whole may be used (see BATON_RECEIVE_WITHOUT_PROBE in config.hpp).
inline constexpr bool receive_without_probe = config::receive_without_probe;

/// Whether a receive from `source` by rank `me` may use receive_whole. Not where it could
/// match a message this rank sends itself while several threads call MPI: MPICH 4.0.2 then
/// hangs in an MPI_Recv from itself while another thread sends to itself (plain MPI shows it;
/// MPI_Mprobe and MPI_Mrecv do not hang), so such receives probe first.
inline bool may_receive_whole(int source, int me) {
    if (!receive_without_probe) return false;
    if (source != me && source != MPI_ANY_SOURCE) return true;
    return !threads_call_mpi_at_once();
}

/// The error of a receive_whole whose MPI_Recv returned `code`, in a cold function of its own
/// so that the receive's common path stays short.
[[noreturn, gnu::cold, gnu::noinline]] inline void throw_receive_whole_error(int code, incoming& msg, int source,
                                                                             int tag, std::size_t capacity,
                                                                             const std::string& expected) {
    int error_class = code;
    MPI_Error_class(code, &error_class);
    if (error_class != MPI_ERR_TRUNCATE) throw_mpi_error(code, "MPI_Recv");
    if (msg.status.MPI_SOURCE < 0) msg.status.MPI_SOURCE = source;
    if (msg.status.MPI_TAG < 0) msg.status.MPI_TAG = tag;
    throw message_error(msg.who() + " received a message " + msg.route() + " longer than " + std::to_string(capacity) +
                        " bytes, which no baton::comm sends whole (larger payloads travel as a header message "
                        "and a body); was it sent by an unchecked comm or a non-baton program? (expected " +
                        expected + "; MPI discarded the message)");
}

/// Receives the next message from (source, tag) whole into the thread's whole_message_buffer
/// with one MPI_Recv of up to `capacity` bytes, saving the matched probe that sizes a receive
/// otherwise. For communicators where no message the receive accepts is longer (the checked
/// wire with a body channel); a longer one is an error that names it (`expected()`: the type
/// the receive wanted), and MPI has discarded it.
template <class Expected>
incoming receive_whole(MPI_Comm comm, int receiver, int source, int tag, std::size_t capacity, Expected expected) {
    incoming msg;
    msg.receiver = receiver;
    char* buffer = whole_message_buffer(capacity);
    const int code = MPI_Recv(buffer, static_cast<int>(capacity), MPI_BYTE, source, tag, comm, &msg.status);
    if (code != MPI_SUCCESS) throw_receive_whole_error(code, msg, source, tag, capacity, expected());
    msg.arrived = buffer;
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
