// Plain MPI, for the benchmarks that time a receive whose size the receiver does not know:
// a matched probe for the next message from `source` with tag 1, and its element count.
#pragma once

#include <mpi.h>

namespace bench {

inline int matched_probe(int source, MPI_Datatype type, MPI_Message* message) {
    MPI_Status status;
    MPI_Mprobe(source, 1, MPI_COMM_WORLD, message, &status);
    int count = 0;
    MPI_Get_count(&status, type, &count);
    return count;
}

}  // namespace bench
