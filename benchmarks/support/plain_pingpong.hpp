// Plain MPI, for the framing benchmarks: a ping-pong between ranks 0 and 1 of MPI_COMM_WORLD,
// and the two-block datatype (a header and a payload by absolute address, sent from MPI_BOTTOM)
// that one framing uses.
#pragma once

#include <mpi.h>

#include <cstdio>

namespace bench {

/// MPI_Init for a ping-pong of exactly two ranks: returns this rank, or ends the job with a
/// message naming `program` when it was started with another number of ranks.
inline int init_two_ranks(int& argc, char**& argv, const char* program) {
    MPI_Init(&argc, &argv);
    int rank = 0, size = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (size != 2) {
        if (rank == 0) std::fprintf(stderr, "%s needs exactly 2 ranks\n", program);
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    return rank;
}

/// One-way time in microseconds of `iterations` round trips: rank 0 sends then receives, rank
/// 1 receives then sends.
template <class Send, class Recv>
double one_way_us(int rank, int iterations, Send&& send, Recv&& recv) {
    MPI_Barrier(MPI_COMM_WORLD);
    const double start = MPI_Wtime();
    for (int i = 0; i < iterations; ++i) {
        if (rank == 0) {
            send();
            recv();
        } else {
            recv();
            send();
        }
    }
    return (MPI_Wtime() - start) / iterations / 2 * 1e6;
}

/// A committed datatype of header_bytes at header and payload_bytes at payload, to use with
/// MPI_BOTTOM; the caller frees it.
inline MPI_Datatype two_blocks(const void* header, int header_bytes, const void* payload, int payload_bytes) {
    MPI_Aint where[2];
    MPI_Get_address(header, &where[0]);
    MPI_Get_address(payload, &where[1]);
    int lengths[2] = {header_bytes, payload_bytes};
    MPI_Datatype type;
    MPI_Type_create_hindexed(2, lengths, where, MPI_BYTE, &type);
    MPI_Type_commit(&type);
    return type;
}

}  // namespace bench
