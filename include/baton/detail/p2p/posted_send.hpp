#pragma once
// The MPI requests of one send that baton started with MPI_Isend: the message alone, or a
// header message and its body (wire/header_message.hpp), which complete independently.

#include <mpi.h>

#include <baton/detail/mpi/check.hpp>

namespace baton::detail {

struct posted_send {
    /// The message, or the header message and the body; unused entries are MPI_REQUEST_NULL.
    MPI_Request requests[2] = {MPI_REQUEST_NULL, MPI_REQUEST_NULL};

    bool pending() const noexcept { return requests[0] != MPI_REQUEST_NULL || requests[1] != MPI_REQUEST_NULL; }

    /// True once every part has completed (MPI_Testall leaves them all pending otherwise).
    bool test() {
        int done = 0;
        check_mpi(MPI_Testall(2, requests, &done, MPI_STATUSES_IGNORE), "MPI_Testall");
        return done != 0;
    }
    /// As test(), for destructors and other places that cannot throw.
    bool test_noexcept() noexcept {
        int done = 0;
        return MPI_Testall(2, requests, &done, MPI_STATUSES_IGNORE) == MPI_SUCCESS && done != 0;
    }
    void wait() { check_mpi(MPI_Waitall(2, requests, MPI_STATUSES_IGNORE), "MPI_Waitall"); }
};

}  // namespace baton::detail
