#pragma once
// Bytes moved by MPI's collectives in rounds: a broadcast, an all-gather, a scatter and an
// all-to-all of pieces of any size, each round small enough for MPI's int counts.

#include <mpi.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include <baton/detail/byte_buffer.hpp>
#include <baton/detail/collectives/base.hpp>
#include <baton/detail/collectives/layout.hpp>
#include <baton/detail/mpi/check.hpp>

namespace baton::detail {

template <class Encoding>
class byte_rounds : public collective_base<Encoding> {
public:
    using collective_base<Encoding>::collective_base;

protected:
    void broadcast_bytes(char* data, std::size_t size, int root) const {
        constexpr std::size_t limit = std::size_t{1} << 30;
        for (std::size_t done = 0; done < size; done += limit) {
            const int n = static_cast<int>(std::min(limit, size - done));
            check_mpi(MPI_Bcast(data + done, n, MPI_BYTE, root, this->comm_), "MPI_Bcast");
        }
    }

    /// Every rank's piece into `got` on every rank (got.bytes may come with capacity to reuse).
    void all_gather_bytes(const piece& mine, const std::vector<std::uint64_t>& sizes, pieces_from_all& got) const {
        got.lay_out(sizes);
        const std::size_t limit = this->round_limit();
        const std::size_t rounds = rounds_for(*std::max_element(got.sizes.begin(), got.sizes.end()), limit);
        round_layout round;
        byte_buffer staging;
        for (std::size_t k = 0; k < rounds; ++k) {
            round.of(got.sizes, k, limit);
            char* target = got.bytes.data();
            if (rounds > 1) {
                staging.resize(round.total);
                target = staging.data();
            }
            const int send_count = round_layout::part(mine.size, k, limit);
            const char* send = send_count != 0 ? mine.data + k * limit : mine.data;
            check_mpi(MPI_Allgatherv(send, send_count, MPI_BYTE, target, round.counts.data(),
                                     round.displacements.data(), MPI_BYTE, this->comm_),
                      "MPI_Allgatherv");
            if (rounds > 1) unstage(round, staging, got, k, limit);
        }
    }

    byte_buffer scatter_bytes(const std::vector<piece>& parts, int root) const {
        const std::size_t limit = this->round_limit();
        // To each rank: the size of its piece, and the number of rounds.
        std::vector<std::uint64_t> headers;
        std::vector<std::size_t> sizes;
        if (this->rank_ == root) {
            std::size_t largest = 0;
            for (const auto& p : parts) {
                sizes.push_back(p.size);
                largest = std::max(largest, p.size);
            }
            for (const auto& p : parts) {
                headers.push_back(p.size);
                headers.push_back(rounds_for(largest, limit));
            }
        }
        std::uint64_t mine[2] = {0, 0};
        check_mpi(MPI_Scatter(headers.data(), 2, MPI_UINT64_T, mine, 2, MPI_UINT64_T, root, this->comm_),
                  "MPI_Scatter");
        byte_buffer out(static_cast<std::size_t>(mine[0]));
        round_layout round;
        byte_buffer staging;
        for (std::size_t k = 0; k < mine[1]; ++k) {
            if (this->rank_ == root) {
                round.of(sizes, k, limit);
                stage(round, parts, staging, k, limit);
            }
            const int receive_count = round_layout::part(out.size(), k, limit);
            check_mpi(MPI_Scatterv(staging.data(), round.counts.data(), round.displacements.data(), MPI_BYTE,
                                   out.data() + (receive_count != 0 ? k * limit : 0), receive_count, MPI_BYTE, root,
                                   this->comm_),
                      "MPI_Scatterv");
        }
        return out;
    }

    pieces_from_all all_to_all_bytes(const std::vector<piece>& parts) const {
        // To each rank: the size of its piece, and the largest piece this rank sends anywhere,
        // so that every rank computes the number of rounds from the same numbers.
        std::size_t largest = 0;
        std::vector<std::size_t> send_sizes;
        for (const auto& p : parts) {
            send_sizes.push_back(p.size);
            largest = std::max(largest, p.size);
        }
        std::vector<std::uint64_t> out(2 * parts.size()), in(2 * parts.size());
        for (std::size_t r = 0; r < parts.size(); ++r) {
            out[2 * r] = parts[r].size;
            out[2 * r + 1] = largest;
        }
        check_mpi(MPI_Alltoall(out.data(), 2, MPI_UINT64_T, in.data(), 2, MPI_UINT64_T, this->comm_), "MPI_Alltoall");
        std::vector<std::uint64_t> receive_sizes(parts.size());
        for (std::size_t r = 0; r < parts.size(); ++r) {
            receive_sizes[r] = in[2 * r];
            largest = std::max(largest, static_cast<std::size_t>(in[2 * r + 1]));
        }
        pieces_from_all got;
        got.lay_out(receive_sizes);
        const std::size_t limit = this->round_limit();
        const std::size_t rounds = rounds_for(largest, limit);
        round_layout send_round, receive_round;
        byte_buffer send_staging, receive_staging;
        for (std::size_t k = 0; k < rounds; ++k) {
            send_round.of(send_sizes, k, limit);
            stage(send_round, parts, send_staging, k, limit);
            receive_round.of(got.sizes, k, limit);
            char* target = got.bytes.data();
            if (rounds > 1) {
                receive_staging.resize(receive_round.total);
                target = receive_staging.data();
            }
            check_mpi(MPI_Alltoallv(send_staging.data(), send_round.counts.data(), send_round.displacements.data(),
                                    MPI_BYTE, target, receive_round.counts.data(), receive_round.displacements.data(),
                                    MPI_BYTE, this->comm_),
                      "MPI_Alltoallv");
            if (rounds > 1) unstage(receive_round, receive_staging, got, k, limit);
        }
        return got;
    }
};

}  // namespace baton::detail
