#pragma once
// BATON_CHECK_COLLECTIVES: before a collective, every rank says what it called, so that ranks in
// different collectives (a barrier against a broadcast, a gather against a reduce, two roots, two
// payload types) get an error that names them all instead of a hang or garbage. Every check is
// the same two calls on the communicator's private duplicate, whichever collective the rank is
// in, so ranks that called different ones still meet in the check.

#include <mpi.h>

#include <cstddef>
#include <string>
#include <vector>

#include <baton/detail/mpi/check.hpp>
#include <baton/error.hpp>

namespace baton::detail {

/// The communicator's MPI name ("MPI_COMM_WORLD"), or its size when it has none.
inline std::string communicator_name(MPI_Comm comm, int size) {
    char name[MPI_MAX_OBJECT_NAME] = {};
    int length = 0;
    if (MPI_Comm_get_name(comm, name, &length) == MPI_SUCCESS && length > 0) return std::string(name, length);
    return "a communicator of " + std::to_string(size) + " ranks";
}

/// Collective over `checks` (comm's private duplicate): returns if every rank describes its call
/// as this one does, else throws usage_error on every rank, naming what each rank called.
inline void check_same_collective(MPI_Comm checks, MPI_Comm comm, int size, const std::string& call) {
    const int length = static_cast<int>(call.size());
    const auto n = static_cast<std::size_t>(size);
    std::vector<int> lengths(n);
    check_mpi(MPI_Allgather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, checks), "MPI_Allgather");
    std::vector<int> offsets(n);
    int total = 0;
    for (std::size_t r = 0; r < n; ++r) {
        offsets[r] = total;
        total += lengths[r];
    }
    std::string all(static_cast<std::size_t>(total), '\0');
    check_mpi(
        MPI_Allgatherv(call.data(), length, MPI_CHAR, all.data(), lengths.data(), offsets.data(), MPI_CHAR, checks),
        "MPI_Allgatherv");
    auto called = [&](std::size_t r) {
        return all.substr(static_cast<std::size_t>(offsets[r]), static_cast<std::size_t>(lengths[r]));
    };
    bool same = true;
    for (std::size_t r = 0; r < n && same; ++r) same = called(r) == call;
    if (same) return;
    std::string message = "collectives do not match on " + communicator_name(comm, size) + ":";
    for (std::size_t r = 0; r < n; ++r)
        message += (r == 0 ? " rank " : ", rank ") + std::to_string(r) + " called " + called(r);
    throw usage_error(message);
}

}  // namespace baton::detail
