#pragma once
// The communicators baton makes from another (split, dup, split_shared): each is owned by baton
// (freed with its last basic_comm, or before MPI_Finalize) and collective over the parent.

#include <mpi.h>

#include <memory>
#include <string>

#include <baton/detail/mpi/check.hpp>
#include <baton/detail/runtime/communicator_handle.hpp>
#include <baton/detail/state/comm_core.hpp>
#include <baton/error.hpp>
#include <baton/tag.hpp>

namespace baton::detail {

struct communicator_factory {
    static std::shared_ptr<communicator_handle> split(const comm_core& c, int color, int key) {
        c.require_live("split");
        if (color < 0 && color != undefined) {
            throw usage_error(c.me() + ": split color " + std::to_string(color) +
                              " is negative; a color is >= 0, or baton::undefined to join no group");
        }
        MPI_Comm out = MPI_COMM_NULL;
        check_mpi(MPI_Comm_split(c.native, color, key, &out), "MPI_Comm_split");
        return communicator_handle::own(out);
    }

    static std::shared_ptr<communicator_handle> dup(const comm_core& c) {
        c.require_live("dup");
        MPI_Comm out = MPI_COMM_NULL;
        check_mpi(MPI_Comm_dup(c.native, &out), "MPI_Comm_dup");
        return communicator_handle::own(out);
    }

    static std::shared_ptr<communicator_handle> split_shared(const comm_core& c) {
        c.require_live("split_shared");
        MPI_Comm out = MPI_COMM_NULL;
        check_mpi(MPI_Comm_split_type(c.native, MPI_COMM_TYPE_SHARED, c.rank, MPI_INFO_NULL, &out),
                  "MPI_Comm_split_type");
        return communicator_handle::own(out);
    }
};

}  // namespace baton::detail
