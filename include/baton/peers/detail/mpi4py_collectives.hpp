#pragma once
// mpi4py's lowercase collectives, byte for byte, so that a C++ rank can take part in them beside
// Python ranks (src/mpi4py/MPI/msgpickle.pxi, PyMPI_bcast, _gather, _scatter, _allgather and
// _alltoall): each rank pickles its items; the pickles' lengths move first, one per rank, with
// the plain collective (an MPI_INT each in mpi4py 3.x, an MPI_COUNT in 4.x); then the bytes move
// with the `v` variant, the pieces packed one after another in rank order.

#include <mpi.h>

#include <cstddef>
#include <string>
#include <vector>

#include <baton/detail/mpi/check.hpp>
#include <baton/error.hpp>
#include <baton/peers/detail/pickled.hpp>

namespace baton::detail::peers {

/// Lengths as one mpi4py version puts them on the wire.
class wire_counts {
public:
    wire_counts(int mpi4py_major, std::size_t n) : wide_(mpi4py_major >= 4) {
        if (wide_)
            wide_values_.resize(n);
        else
            values_.resize(n);
    }
    void* data() noexcept { return wide_ ? static_cast<void*>(wide_values_.data()) : values_.data(); }
    MPI_Datatype type() const noexcept { return wide_ ? MPI_COUNT : MPI_INT; }
    void set(std::size_t i, std::size_t bytes, const std::string& call) {
        if (wide_)
            wide_values_[i] = static_cast<MPI_Count>(bytes);
        else
            values_[i] = pickle_length(bytes, call);
    }
    /// The i-th length as an int (what the `v` collectives take); a longer one throws.
    int get(std::size_t i, const std::string& call) const {
        if (!wide_) return values_[i];
        if (wide_values_[i] < 0) throw message_error(call + ": a rank announced a negative length");
        return pickle_length(static_cast<std::size_t>(wide_values_[i]), call);
    }

private:
    bool wide_;
    std::vector<int> values_;
    std::vector<MPI_Count> wide_values_;
};

/// Pieces packed one after another: their counts, their offsets, their bytes.
struct packed_pieces {
    std::vector<int> counts;
    std::vector<int> offsets;
    std::string bytes;

    /// The layout of pieces of the given lengths (the bytes sized, not filled).
    static packed_pieces sized(const wire_counts& lengths, std::size_t n, const std::string& call) {
        packed_pieces p;
        p.counts.resize(n);
        p.offsets.resize(n);
        std::size_t at = 0;
        for (std::size_t r = 0; r < n; ++r) {
            p.counts[r] = lengths.get(r, call);
            p.offsets[r] = pickle_length(at, call);
            at += static_cast<std::size_t>(p.counts[r]);
        }
        pickle_length(at, call);
        p.bytes.resize(at);
        return p;
    }
    /// The pieces given, packed.
    static packed_pieces of(const std::vector<std::string>& pieces, const std::string& call) {
        packed_pieces p;
        for (const auto& piece : pieces) {
            p.counts.push_back(pickle_length(piece.size(), call));
            p.offsets.push_back(pickle_length(p.bytes.size(), call));
            p.bytes += piece;
        }
        pickle_length(p.bytes.size(), call);
        return p;
    }
    std::string_view piece(std::size_t r) const {
        return std::string_view(bytes).substr(static_cast<std::size_t>(offsets[r]),
                                              static_cast<std::size_t>(counts[r]));
    }
};

/// PyMPI_bcast: the root's length, then its bytes. On return every rank holds the root's pickle.
inline void bcast_pickle(MPI_Comm comm, std::string& bytes, int root, bool is_root, int mpi4py_major,
                         const std::string& call) {
    wire_counts length(mpi4py_major, 1);
    if (is_root) length.set(0, bytes.size(), call);
    check_mpi(MPI_Bcast(length.data(), 1, length.type(), root, comm), "MPI_Bcast");
    if (!is_root) bytes.resize(static_cast<std::size_t>(length.get(0, call)));
    check_mpi(MPI_Bcast(bytes.data(), static_cast<int>(bytes.size()), MPI_BYTE, root, comm), "MPI_Bcast");
}

/// PyMPI_gather: every rank's length to the root, then the bytes. The root gets every rank's
/// pickle in rank order; the others get nothing.
inline packed_pieces gather_pickles(MPI_Comm comm, const std::string& mine, int root, bool is_root, int size,
                                    int mpi4py_major, const std::string& call) {
    const auto n = static_cast<std::size_t>(size);
    wire_counts length(mpi4py_major, 1);
    length.set(0, mine.size(), call);
    wire_counts lengths(mpi4py_major, is_root ? n : 0);
    check_mpi(MPI_Gather(length.data(), 1, length.type(), lengths.data(), 1, lengths.type(), root, comm), "MPI_Gather");
    packed_pieces all = is_root ? packed_pieces::sized(lengths, n, call) : packed_pieces{};
    check_mpi(MPI_Gatherv(mine.data(), static_cast<int>(mine.size()), MPI_BYTE, all.bytes.data(), all.counts.data(),
                          all.offsets.data(), MPI_BYTE, root, comm),
              "MPI_Gatherv");
    return all;
}

/// PyMPI_allgather: every rank's length to every rank, then the bytes.
inline packed_pieces all_gather_pickles(MPI_Comm comm, const std::string& mine, int size, int mpi4py_major,
                                        const std::string& call) {
    const auto n = static_cast<std::size_t>(size);
    wire_counts length(mpi4py_major, 1);
    length.set(0, mine.size(), call);
    wire_counts lengths(mpi4py_major, n);
    check_mpi(MPI_Allgather(length.data(), 1, length.type(), lengths.data(), 1, lengths.type(), comm), "MPI_Allgather");
    packed_pieces all = packed_pieces::sized(lengths, n, call);
    check_mpi(MPI_Allgatherv(mine.data(), static_cast<int>(mine.size()), MPI_BYTE, all.bytes.data(), all.counts.data(),
                             all.offsets.data(), MPI_BYTE, comm),
              "MPI_Allgatherv");
    return all;
}

/// PyMPI_scatter: the root's pickle for each rank; every rank gets its own.
inline std::string scatter_pickles(MPI_Comm comm, const std::vector<std::string>& pieces, int root, bool is_root,
                                   int mpi4py_major, const std::string& call) {
    const packed_pieces all = is_root ? packed_pieces::of(pieces, call) : packed_pieces{};
    wire_counts lengths(mpi4py_major, is_root ? pieces.size() : 0);
    for (std::size_t r = 0; r < all.counts.size(); ++r) lengths.set(r, static_cast<std::size_t>(all.counts[r]), call);
    wire_counts length(mpi4py_major, 1);
    check_mpi(MPI_Scatter(lengths.data(), 1, lengths.type(), length.data(), 1, length.type(), root, comm),
              "MPI_Scatter");
    std::string mine(static_cast<std::size_t>(length.get(0, call)), '\0');
    check_mpi(MPI_Scatterv(all.bytes.data(), all.counts.data(), all.offsets.data(), MPI_BYTE, mine.data(),
                           static_cast<int>(mine.size()), MPI_BYTE, root, comm),
              "MPI_Scatterv");
    return mine;
}

/// PyMPI_alltoall: each rank's pickle for each rank; every rank gets one from each.
inline packed_pieces all_to_all_pickles(MPI_Comm comm, const std::vector<std::string>& pieces, int mpi4py_major,
                                        const std::string& call) {
    const std::size_t n = pieces.size();
    const packed_pieces out = packed_pieces::of(pieces, call);
    wire_counts lengths_out(mpi4py_major, n);
    for (std::size_t r = 0; r < n; ++r) lengths_out.set(r, static_cast<std::size_t>(out.counts[r]), call);
    wire_counts lengths_in(mpi4py_major, n);
    check_mpi(MPI_Alltoall(lengths_out.data(), 1, lengths_out.type(), lengths_in.data(), 1, lengths_in.type(), comm),
              "MPI_Alltoall");
    packed_pieces in = packed_pieces::sized(lengths_in, n, call);
    check_mpi(MPI_Alltoallv(out.bytes.data(), out.counts.data(), out.offsets.data(), MPI_BYTE, in.bytes.data(),
                            in.counts.data(), in.offsets.data(), MPI_BYTE, comm),
              "MPI_Alltoallv");
    return in;
}

}  // namespace baton::detail::peers
