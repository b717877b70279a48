// Plain MPI, no baton: the framings a type-checked message can take, when the receiver does not
// know the size and receives into a new std::vector<double>, at every size of the ping-pong
// table (8 B to 16 MiB). Against the bare vector received after a matched probe (what Boost.MPI
// does, no header, no check):
//   copy   - the sender copies a 16-byte header and the vector into a reused buffer, one message;
//            the receiver takes it into a reused buffer, checks the header, copies the elements;
//   pair   - the header as a message of its own (it carries the size), then the vector straight
//            into the new vector;
//   blocks - one message whose datatype is two blocks where they lie, by absolute address from
//            MPI_BOTTOM (the header's bytes and the caller's memory), made for each message;
//            received after the matched probe into a header and the new vector, sized from the
//            probe's count;
// and at 8 B, copy with a header of 8 and of 4 bytes (does a shorter header stay under the
// transport's size step?). Rounds interleave the framings; the line gives the median of the
// rounds and each round's ratio.
//
//   mpiexec -n 2 new_vector_framing [rounds [bytes...]]   (default: the table's sizes)
#include <mpi.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "support/matched_probe.hpp"
#include "support/plain_pingpong.hpp"

namespace {

int peer_rank = 0;

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

struct framing {
    std::string name;
    std::function<void()> send, recv;
    std::vector<double> us;
};

}  // namespace

int main(int argc, char** argv) {
    const int rank = bench::init_two_ranks(argc, argv, "new_vector_framing");
    const int rounds = argc > 1 ? std::atoi(argv[1]) : 5;
    peer_rank = 1 - rank;
    const int peer = peer_rank;
    const std::uint64_t magic[2] = {0x324e5442, 0x1234567890abcdefULL};
    std::vector<std::size_t> sizes;
    for (int k = 2; k < argc; ++k) sizes.push_back(std::strtoull(argv[k], nullptr, 10) / 8 * 8);
    if (sizes.empty()) sizes = {8, 128, 4096, 32768, 262144, std::size_t{2} << 20, std::size_t{16} << 20};
    for (const std::size_t bytes : sizes) {
        const std::size_t n = bytes / 8;
        const int ibytes = static_cast<int>(bytes);
        std::vector<double> payload(n, 1.5);
        std::vector<char> staging(bytes + 16), landing(bytes + 16);
        const int iterations = bytes <= 4096         ? 20000
                               : bytes <= 32768      ? 5000
                               : bytes <= 262144     ? 1000
                               : bytes <= (2u << 20) ? 200
                                                     : 30;

        std::vector<framing> framings;
        framings.push_back({"bare",
                            [&] { MPI_Send(payload.data(), static_cast<int>(n), MPI_DOUBLE, peer, 1, MPI_COMM_WORLD); },
                            [&] {
                                MPI_Message message;
                                const int count = bench::matched_probe(peer, MPI_DOUBLE, &message);
                                std::vector<double> fresh(static_cast<std::size_t>(count));
                                MPI_Mrecv(fresh.data(), count, MPI_DOUBLE, &message, MPI_STATUS_IGNORE);
                            },
                            {}});
        auto copy_with_header = [&](int header_bytes) {
            return framing{"copy" + std::to_string(header_bytes),
                           [&, header_bytes] {
                               std::memcpy(staging.data(), magic, static_cast<std::size_t>(header_bytes));
                               std::memcpy(staging.data() + header_bytes, payload.data(), bytes);
                               MPI_Send(staging.data(), ibytes + header_bytes, MPI_BYTE, peer, 1, MPI_COMM_WORLD);
                           },
                           [&, header_bytes] {
                               MPI_Message message;
                               const int count = bench::matched_probe(peer, MPI_BYTE, &message);
                               MPI_Mrecv(landing.data(), count, MPI_BYTE, &message, MPI_STATUS_IGNORE);
                               if (std::memcmp(landing.data(), magic, static_cast<std::size_t>(header_bytes)) != 0)
                                   MPI_Abort(MPI_COMM_WORLD, 3);
                               std::vector<double> fresh(static_cast<std::size_t>(count - header_bytes) / 8);
                               std::memcpy(fresh.data(), landing.data() + header_bytes, fresh.size() * 8);
                           },
                           {}};
        };
        framings.push_back(copy_with_header(16));
        framings.push_back({"pair",
                            [&] {
                                const std::uint64_t header[2] = {magic[0], bytes};
                                MPI_Send(header, 16, MPI_BYTE, peer, 1, MPI_COMM_WORLD);
                                MPI_Send(payload.data(), static_cast<int>(n), MPI_DOUBLE, peer, 2, MPI_COMM_WORLD);
                            },
                            [&] {
                                std::uint64_t header[2];
                                MPI_Recv(header, 16, MPI_BYTE, peer, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
                                if (header[0] != magic[0]) MPI_Abort(MPI_COMM_WORLD, 3);
                                std::vector<double> fresh(static_cast<std::size_t>(header[1]) / 8);
                                MPI_Recv(fresh.data(), static_cast<int>(fresh.size()), MPI_DOUBLE, peer, 2,
                                         MPI_COMM_WORLD, MPI_STATUS_IGNORE);
                            },
                            {}});
        framings.push_back({"blocks",
                            [&] {
                                MPI_Datatype t = bench::two_blocks(magic, 16, payload.data(), ibytes);
                                MPI_Send(MPI_BOTTOM, 1, t, peer, 1, MPI_COMM_WORLD);
                                MPI_Type_free(&t);
                            },
                            [&] {
                                MPI_Message message;
                                const int count = bench::matched_probe(peer, MPI_BYTE, &message);
                                std::uint64_t header[2];
                                std::vector<double> fresh(static_cast<std::size_t>(count - 16) / 8);
                                MPI_Datatype t = bench::two_blocks(header, 16, fresh.data(), count - 16);
                                MPI_Mrecv(MPI_BOTTOM, 1, t, &message, MPI_STATUS_IGNORE);
                                MPI_Type_free(&t);
                                if (std::memcmp(header, magic, 16) != 0) MPI_Abort(MPI_COMM_WORLD, 3);
                            },
                            {}});
        if (bytes == 8) {
            framings.push_back(copy_with_header(8));
            framings.push_back(copy_with_header(4));
        }
        for (int round = 0; round < rounds; ++round) {
            for (auto& f : framings) f.us.push_back(bench::one_way_us(rank, iterations, f.send, f.recv));
        }
        if (rank == 0) {
            const double bare = median(framings[0].us);
            std::printf("%zu B: bare %.3f us", bytes, bare);
            for (std::size_t k = 1; k < framings.size(); ++k) {
                std::printf("; %s %.2fx (", framings[k].name.c_str(), median(framings[k].us) / bare);
                for (int round = 0; round < rounds; ++round) {
                    std::printf("%s%.2f", round == 0 ? "" : " ",
                                framings[k].us[static_cast<std::size_t>(round)] /
                                    framings[0].us[static_cast<std::size_t>(round)]);
                }
                std::printf(")");
            }
            std::printf("\n");
        }
    }
    MPI_Finalize();
    return 0;
}
