// Plain MPI, no baton: what a header costs on the wire, which is why the checked wire's header
// is 16 bytes and why header-plus-vector in one message costs what it does above 16 KiB.
//   1. one-way latency of contiguous messages of 8 to 128 bytes (steps in the MPI's fast path);
//   2. a vector of 4 KiB, 32 KiB and 256 KiB sent contiguously, and with a 16-byte header as one
//      message: a two-block derived datatype on both sides, or a contiguous copy on one side;
//      and, for comparison, the header as a message of its own before the vector, and a
//      contiguous message 16 bytes longer sent from the buffer just received into;
//   3. contiguous messages just below and above 32 KiB and 256 KiB (does size alone matter?);
//   4. a vector whose size the receiver does not know, 8 B to 4 KiB, received into a new vector
//      with a matched probe: as Boost.MPI does it (the vector alone, received in place), and as
//      the checked wire does it where it must probe (Open MPI): the sender copies a 16-byte
//      header and the vector into a reused buffer, the receiver takes the message into a
//      reused buffer, compares the header and copies the elements into the new vector.
//
//   mpiexec -n 2 mpi_framing
#include <mpi.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <vector>

#include "support/matched_probe.hpp"
#include "support/plain_pingpong.hpp"

int main(int argc, char** argv) {
    const int rank = bench::init_two_ranks(argc, argv, "mpi_framing");
    const int peer = 1 - rank;
    std::vector<char> small(128, 0);
    for (int round = 0; round < 3; ++round) {
        if (rank == 0) std::printf("round %d, contiguous message, one-way us:", round + 1);
        for (int bytes : {8, 16, 24, 32, 40, 48, 64, 72, 96, 128}) {
            const double us = bench::one_way_us(
                rank, 100000, [&] { MPI_Send(small.data(), bytes, MPI_BYTE, peer, 1, MPI_COMM_WORLD); },
                [&] { MPI_Recv(small.data(), bytes, MPI_BYTE, peer, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE); });
            if (rank == 0) std::printf(" %dB %.3f", bytes, us);
        }
        if (rank == 0) std::printf("\n");
    }
    for (int bytes : {4096, 32768, 262144}) {
        std::vector<char> payload(static_cast<std::size_t>(bytes), 1), out(payload.size()), framed(payload.size() + 16);
        char header[16] = {};
        const int iterations = bytes > 100000 ? 2000 : 20000;
        auto send_plain = [&] { MPI_Send(payload.data(), bytes, MPI_BYTE, peer, 1, MPI_COMM_WORLD); };
        auto recv_plain = [&] { MPI_Recv(out.data(), bytes, MPI_BYTE, peer, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE); };
        auto send_two = [&] {
            MPI_Datatype t = bench::two_blocks(header, 16, payload.data(), bytes);
            MPI_Send(MPI_BOTTOM, 1, t, peer, 1, MPI_COMM_WORLD);
            MPI_Type_free(&t);
        };
        auto recv_two = [&] {
            MPI_Datatype t = bench::two_blocks(header, 16, out.data(), bytes);
            MPI_Recv(MPI_BOTTOM, 1, t, peer, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            MPI_Type_free(&t);
        };
        auto send_copy = [&] {
            std::memcpy(framed.data(), header, 16);
            std::memcpy(framed.data() + 16, payload.data(), payload.size());
            MPI_Send(framed.data(), bytes + 16, MPI_BYTE, peer, 1, MPI_COMM_WORLD);
        };
        auto recv_copy = [&] {
            MPI_Recv(framed.data(), bytes + 16, MPI_BYTE, peer, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            std::memcpy(out.data(), framed.data() + 16, out.size());
        };
        // 16 bytes more, contiguous, no copies: what the size alone costs
        auto send_longer = [&] { MPI_Send(framed.data(), bytes + 16, MPI_BYTE, peer, 1, MPI_COMM_WORLD); };
        auto recv_longer = [&] {
            MPI_Recv(framed.data(), bytes + 16, MPI_BYTE, peer, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        };
        // Not one message: the header alone, then the vector (what a rule allowing a separate
        // header message would cost).
        auto send_pair = [&] {
            MPI_Send(header, 16, MPI_BYTE, peer, 1, MPI_COMM_WORLD);
            MPI_Send(payload.data(), bytes, MPI_BYTE, peer, 1, MPI_COMM_WORLD);
        };
        auto recv_pair = [&] {
            MPI_Recv(header, 16, MPI_BYTE, peer, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            MPI_Recv(out.data(), bytes, MPI_BYTE, peer, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        };
        for (int round = 0; round < 3; ++round) {
            const double plain = bench::one_way_us(rank, iterations, send_plain, recv_plain);
            const double two = bench::one_way_us(rank, iterations, send_two, recv_two);
            const double copy_two = bench::one_way_us(rank, iterations, send_copy, recv_two);
            const double two_copy = bench::one_way_us(rank, iterations, send_two, recv_copy);
            const double copies = bench::one_way_us(rank, iterations, send_copy, recv_copy);
            const double pair = bench::one_way_us(rank, iterations, send_pair, recv_pair);
            const double longer = bench::one_way_us(rank, iterations, send_longer, recv_longer);
            if (rank == 0) {
                std::printf(
                    "round %d, %d B: contiguous %.2f us; with a 16-byte header: two-block both sides %.2fx, "
                    "copy+two-block %.2fx, two-block+copy %.2fx, copies both sides %.2fx; "
                    "header as a message of its own %.2fx; %d+16 B contiguous, no copy %.2fx\n",
                    round + 1, bytes, plain, two / plain, copy_two / plain, two_copy / plain, copies / plain,
                    pair / plain, bytes, longer / plain);
            }
        }
    }
    // 3. Size alone: contiguous messages around 32 KiB and 256 KiB from unchanged buffers.
    {
        std::vector<char> from(270000, 1), into(from.size());
        for (int round = 0; round < 2; ++round) {
            if (rank == 0) std::printf("round %d, contiguous, unchanged buffers, one-way us:", round + 1);
            for (int bytes : {32704, 32752, 32768, 32784, 32832, 36864, 262128, 262144, 262160, 266240}) {
                const double us = bench::one_way_us(
                    rank, bytes > 100000 ? 2000 : 10000,
                    [&] { MPI_Send(from.data(), bytes, MPI_BYTE, peer, 1, MPI_COMM_WORLD); },
                    [&] { MPI_Recv(into.data(), bytes, MPI_BYTE, peer, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE); });
                if (rank == 0) std::printf(" %dB %.2f", bytes, us);
            }
            if (rank == 0) std::printf("\n");
        }
    }
    // 4. Boost.MPI's probed receive of a bare vector against the checked wire's framing.
    {
        std::vector<double> payload(512, 1.5);
        std::vector<char> staging(4096 + 16), landing(4096 + 16);
        const std::uint64_t header[2] = {0x324e5442, 0x1234567890abcdefULL};
        for (const int bytes : {8, 64, 512, 4096}) {
            const int n = bytes / 8;
            auto send_bare = [&] { MPI_Send(payload.data(), n, MPI_DOUBLE, peer, 1, MPI_COMM_WORLD); };
            auto recv_bare = [&] {
                MPI_Message message;
                const int count = bench::matched_probe(peer, MPI_DOUBLE, &message);
                std::vector<double> fresh(static_cast<std::size_t>(count));
                MPI_Mrecv(fresh.data(), count, MPI_DOUBLE, &message, MPI_STATUS_IGNORE);
            };
            auto send_framed = [&] {
                std::memcpy(staging.data(), header, 16);
                std::memcpy(staging.data() + 16, payload.data(), static_cast<std::size_t>(bytes));
                MPI_Send(staging.data(), bytes + 16, MPI_BYTE, peer, 1, MPI_COMM_WORLD);
            };
            auto recv_framed = [&] {
                MPI_Message message;
                const int count = bench::matched_probe(peer, MPI_BYTE, &message);
                MPI_Mrecv(landing.data(), count, MPI_BYTE, &message, MPI_STATUS_IGNORE);
                if (std::memcmp(landing.data(), header, 16) != 0) MPI_Abort(MPI_COMM_WORLD, 3);
                const auto* first = reinterpret_cast<const double*>(landing.data() + 16);
                const std::vector<double> fresh(first, first + (count - 16) / 8);
            };
            std::vector<double> bare, framed;
            for (int round = 0; round < 7; ++round) {
                bare.push_back(bench::one_way_us(rank, 20000, send_bare, recv_bare));
                framed.push_back(bench::one_way_us(rank, 20000, send_framed, recv_framed));
            }
            std::sort(bare.begin(), bare.end());
            std::sort(framed.begin(), framed.end());
            if (rank == 0) {
                std::printf(
                    "%d B vector, probed, into a new vector (median of 7): bare %.3f us, framed as the checked wire "
                    "does %.3f us, %.2fx\n",
                    bytes, bare[3], framed[3], framed[3] / bare[3]);
            }
        }
    }
    MPI_Finalize();
    return 0;
}
