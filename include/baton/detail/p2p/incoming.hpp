#pragma once
// A message matched by MPI_Mprobe/MPI_Improbe but not yet received: the wire policies
// receive it with MPI_Mrecv once they know where its bytes must go. Or a message already
// received whole into a per-thread buffer (matching.hpp, receive_whole), which the wire
// policies read the same way.

#include <mpi.h>

#include <cstddef>
#include <cstring>
#include <stdexcept>
#include <string>

#include <baton/detail/mpi/check.hpp>
#include <baton/detail/mpi/count_type.hpp>
#include <baton/detail/scratch.hpp>

namespace baton::detail {

struct incoming {
    MPI_Message handle = MPI_MESSAGE_NULL;
    MPI_Status status{};
    int receiver = -1;  // the receiving rank, for messages
    /// The whole message when receive_whole took it without a probe, else null.
    const char* arrived = nullptr;

    int source() const noexcept { return status.MPI_SOURCE; }
    int tag() const noexcept { return status.MPI_TAG; }

    /// Size in units of `type` (bytes for MPI_BYTE); works past INT_MAX.
    std::size_t count(MPI_Datatype type) const {
        int small = 0;  // MPI_Get_count is the cheaper call; it says MPI_UNDEFINED past INT_MAX
        check_mpi(MPI_Get_count(&status, type, &small), "MPI_Get_count");
        if (small != MPI_UNDEFINED) return static_cast<std::size_t>(small);
        MPI_Count n = 0;
        check_mpi(MPI_Get_elements_x(&status, type, &n), "MPI_Get_elements_x");
        if (n == MPI_UNDEFINED) return static_cast<std::size_t>(-1);
        return static_cast<std::size_t>(n);
    }

    /// "rank 1 ... from rank 0 tag 11" pieces for error messages.
    std::string route() const { return "from rank " + std::to_string(source()) + " tag " + std::to_string(tag()); }
    std::string who() const { return "rank " + std::to_string(receiver); }

    void receive(void* buffer, int count, MPI_Datatype type) {
        if (arrived != nullptr) {
            // The wires read messages received whole as bytes (see wire::checked).
            if (type != MPI_BYTE) throw std::logic_error("baton: a message received whole read with a datatype");
            std::memcpy(buffer, arrived, static_cast<std::size_t>(count));
            return;
        }
        check_mpi(MPI_Mrecv(buffer, count, type, &handle, MPI_STATUS_IGNORE), "MPI_Mrecv");
    }

    /// Receives all `bytes` of the message into the thread's scratch buffer; returns its start
    /// (for a message received whole, where it already is).
    const char* receive_into_scratch(std::size_t bytes) {
        if (arrived != nullptr) return arrived;
        auto& buffer = scratch_buffer();
        buffer.resize(bytes);
        count_type whole(bytes, MPI_BYTE);
        receive(buffer.data(), whole.count(), whole.type());
        return buffer.data();
    }
};

}  // namespace baton::detail
