// Plain MPI, no baton: what the thread level asked of MPI_Init_thread costs a small message,
// which is why baton::environment asks for MPI_THREAD_SINGLE unless told otherwise.
// One-way latency (half a round trip, median of 9 rounds) of 8 B and 512 B messages received
// with MPI_Recv into a known buffer, and with MPI_Mprobe + MPI_Mrecv into a new one (how a
// receive that does not know the size works), at the level named on the command line.
//
//   mpiexec -n 2 thread_level single|funneled|serialized|multiple
#include <mpi.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <vector>

#include "support/matched_probe.hpp"

namespace {

template <class Receive>
double one_way_us(int rank, int peer, int bytes, Receive receive) {
    std::vector<char> out(static_cast<std::size_t>(bytes), 1);
    const int iterations = 20000;
    MPI_Barrier(MPI_COMM_WORLD);
    const double start = MPI_Wtime();
    for (int i = 0; i < iterations; ++i) {
        if (rank == 0) {
            MPI_Send(out.data(), bytes, MPI_BYTE, peer, 1, MPI_COMM_WORLD);
            receive();
        } else {
            receive();
            MPI_Send(out.data(), bytes, MPI_BYTE, peer, 1, MPI_COMM_WORLD);
        }
    }
    return (MPI_Wtime() - start) / iterations / 2 * 1e6;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    const char* names[] = {"single", "funneled", "serialized", "multiple"};
    const int levels[] = {MPI_THREAD_SINGLE, MPI_THREAD_FUNNELED, MPI_THREAD_SERIALIZED, MPI_THREAD_MULTIPLE};
    int chosen = -1;
    for (int i = 0; i < 4; ++i) {
        if (argc > 1 && std::strcmp(argv[1], names[i]) == 0) chosen = i;
    }
    if (chosen < 0) {
        std::fprintf(stderr, "usage: thread_level single|funneled|serialized|multiple\n");
        return 2;
    }
    int provided = -1;
    MPI_Init_thread(&argc, &argv, levels[chosen], &provided);
    int rank = 0, size = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (size != 2) {
        if (rank == 0) std::fprintf(stderr, "thread_level needs exactly 2 ranks\n");
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    const int peer = 1 - rank;
    std::vector<char> known(512);
    for (const int bytes : {8, 512}) {
        std::vector<double> plain, probed;
        for (int round = 0; round < 9; ++round) {
            plain.push_back(one_way_us(rank, peer, bytes, [&] {
                MPI_Recv(known.data(), bytes, MPI_BYTE, peer, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            }));
            probed.push_back(one_way_us(rank, peer, bytes, [&] {
                MPI_Message message;
                const int count = bench::matched_probe(peer, MPI_BYTE, &message);
                std::vector<char> fresh(static_cast<std::size_t>(count));
                MPI_Mrecv(fresh.data(), count, MPI_BYTE, &message, MPI_STATUS_IGNORE);
            }));
        }
        if (rank == 0) {
            std::printf("asked=%s provided=%s bytes=%d recv_us=%.3f mprobe_mrecv_us=%.3f\n", names[chosen],
                        names[provided], bytes, median(plain), median(probed));
        }
    }
    MPI_Finalize();
}
