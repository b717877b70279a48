#pragma once
// Whether MPI granted MPI_THREAD_MULTIPLE, so that several threads of this rank may be inside
// MPI at once. Asked once: the level is fixed when MPI starts.

#include <mpi.h>

namespace baton::detail {

inline bool threads_call_mpi_at_once() {
    static const bool multiple = [] {
        int level = MPI_THREAD_SINGLE;
        MPI_Query_thread(&level);
        return level == MPI_THREAD_MULTIPLE;
    }();
    return multiple;
}

}  // namespace baton::detail
