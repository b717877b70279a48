#pragma once
// The context every collective family of a communicator shares (collectives/engine.hpp).

#include <mpi.h>

#include <climits>
#include <cstddef>
#include <vector>

#include <baton/detail/collectives/layout.hpp>
#include <baton/detail/collectives/piece_codec.hpp>
#include <baton/detail/state/comm_state.hpp>

namespace baton::detail {

/// What every collective of a communicator works with: the communicator, its state, this
/// rank and the size; and a payload to and from its bytes, with errors that name the call.
template <class Encoding>
class collective_base {
public:
    collective_base(MPI_Comm comm, comm_state& state, int rank, int size)
        : comm_(comm), state_(&state), rank_(rank), size_(size) {}

protected:
    template <class T>
    piece bytes_of(const T& value) const {
        return encode_piece<Encoding>(comm_, value);
    }
    template <class T>
    void from_bytes(const char* data, std::size_t size, T& out, int from, const char* call) const {
        decode_piece<Encoding>(comm_, data, size, out, rank_, from, call);
    }

    /// Decodes every rank's piece in `got` into `all`.
    template <class T>
    void decode_all(const pieces_from_all& got, std::vector<T>& all) const {
        all.resize(static_cast<std::size_t>(size_));
        for (std::size_t r = 0; r < all.size(); ++r) {
            from_bytes(got.data(r), got.sizes[r], all[r], static_cast<int>(r), "gather");
        }
    }

    /// Bytes each rank may put into one call so that a round's total fits an int.
    std::size_t round_limit() const { return static_cast<std::size_t>(INT_MAX) / static_cast<std::size_t>(size_); }

    MPI_Comm comm_;
    comm_state* state_;
    int rank_;
    int size_;
};

}  // namespace baton::detail
