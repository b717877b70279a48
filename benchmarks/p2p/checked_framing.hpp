// Plain MPI, no baton: the checked wire's framing of a std::vector<double>, written as a
// careful user would write it by hand, so that the ping-pong table shows in the same run what
// that framing costs in MPI itself (the floor) apart from what baton's own code adds to it.
//
// It makes the choices the checked wire makes on this MPI (docs/comm.md): a payload from
// baton::comm's separate_body_from() goes as a 15-byte header message on the user's
// communicator and the payload, sent from where it lies, on a duplicate; a shorter one in one
// message with the 16-byte header, copied in front of it up to copied_message_limit() bytes in
// all, else through a two-block datatype of the header and the vector where they lie. Where the
// checked wire receives without a probe (MPICH), the receiver takes the next message whole into
// a 16 KiB buffer; elsewhere (Open MPI) it sizes it with a matched probe first, and receives a
// message longer than copied_message_limit() through a two-block datatype into a header and
// the vector. The header is compared with the expected one and the elements are assigned to
// the vector, as the checked receive does; no error is built.
#pragma once

#include <mpi.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <baton/baton.hpp>

#include "support/plain_pingpong.hpp"

namespace bench {

class checked_framing {
public:
    explicit checked_framing(int peer) : peer_(peer), scratch_(wire::longest_whole_message) {
        MPI_Comm_dup(MPI_COMM_WORLD, &bodies_);
        const auto& h = baton::wire::header_for<std::vector<double>>(baton::wire::encoding::memory);
        std::memcpy(header_, &h, sizeof header_);
        announce_[0] = 'B';
        announce_[1] = 'H';
        std::memcpy(announce_ + 2, &h.type_hash, 8);
    }
    ~checked_framing() { MPI_Comm_free(&bodies_); }
    checked_framing(const checked_framing&) = delete;
    checked_framing& operator=(const checked_framing&) = delete;

    void send(const std::vector<double>& v) {
        const std::size_t bytes = v.size() * sizeof(double);
        if (bytes < wire::separate_body_from() && sizeof header_ + bytes <= wire::copied_message_limit()) {
            std::memcpy(scratch_.data(), header_, sizeof header_);
            std::memcpy(scratch_.data() + sizeof header_, v.data(), bytes);
            MPI_Send(scratch_.data(), static_cast<int>(sizeof header_ + bytes), MPI_BYTE, peer_, 1, MPI_COMM_WORLD);
            return;
        }
        if (bytes < wire::separate_body_from()) {
            MPI_Datatype both = two_blocks(header_, sizeof header_, v.data(), static_cast<int>(bytes));
            MPI_Send(MPI_BOTTOM, 1, both, peer_, 1, MPI_COMM_WORLD);
            MPI_Type_free(&both);
            return;
        }
        for (int i = 0; i < 5; ++i) announce_[10 + i] = static_cast<unsigned char>(bytes >> (8 * i));
        MPI_Send(announce_, sizeof announce_, MPI_BYTE, peer_, 1, MPI_COMM_WORLD);
        MPI_Send(v.data(), static_cast<int>(bytes), MPI_BYTE, peer_, 1, bodies_);
    }

    /// Receives into `out`, reusing its storage (a new vector each time: its first receive).
    void recv(std::vector<double>& out) {
        MPI_Status status;
        int bytes = 0;
        if constexpr (baton::detail::receive_without_probe) {
            MPI_Recv(scratch_.data(), static_cast<int>(scratch_.size()), MPI_BYTE, peer_, 1, MPI_COMM_WORLD, &status);
            MPI_Get_count(&status, MPI_BYTE, &bytes);
        } else {
            MPI_Message message;
            MPI_Mprobe(peer_, 1, MPI_COMM_WORLD, &message, &status);
            MPI_Get_count(&status, MPI_BYTE, &bytes);
            const auto whole = static_cast<std::size_t>(bytes);
            if (whole > wire::copied_message_limit() && whole != sizeof announce_) {
                char header[sizeof header_];
                out.resize((whole - sizeof header_) / sizeof(double));
                MPI_Datatype both =
                    two_blocks(header, sizeof header, out.data(), bytes - static_cast<int>(sizeof header));
                MPI_Mrecv(MPI_BOTTOM, 1, both, &message, MPI_STATUS_IGNORE);
                MPI_Type_free(&both);
                if (std::memcmp(header, header_, sizeof header_) != 0) std::abort();
                return;
            }
            MPI_Mrecv(scratch_.data(), bytes, MPI_BYTE, &message, MPI_STATUS_IGNORE);
        }
        if (bytes == static_cast<int>(sizeof announce_)) {
            std::uint64_t body = 0;
            for (int i = 0; i < 5; ++i) body |= std::uint64_t{static_cast<unsigned char>(scratch_[10 + i])} << (8 * i);
            if (std::memcmp(scratch_.data() + 2, announce_ + 2, 8) != 0) std::abort();
            out.resize(body / sizeof(double));
            MPI_Recv(out.data(), static_cast<int>(body), MPI_BYTE, peer_, 1, bodies_, MPI_STATUS_IGNORE);
            return;
        }
        if (std::memcmp(scratch_.data(), header_, sizeof header_) != 0) std::abort();
        const auto* first = reinterpret_cast<const double*>(scratch_.data() + sizeof header_);
        out.assign(first, first + (static_cast<std::size_t>(bytes) - sizeof header_) / sizeof(double));
    }

private:
    using wire = baton::wire::checked<>;
    int peer_;
    MPI_Comm bodies_ = MPI_COMM_NULL;
    std::vector<char> scratch_;
    char header_[16];
    unsigned char announce_[15] = {};
};

}  // namespace bench
