#pragma once
// The collective operations behind basic_comm's broadcast, gather, all_gather, scatter,
// reduce and all_reduce. Plain values and contiguous containers map onto MPI's collectives
// (variable lengths through the v-variants, counts exchanged for the caller); serialized
// payloads go through Boost.MPI.

#include <mpi.h>

#include <boost/mpi/collectives.hpp>
#include <boost/mpi/exception.hpp>
#include <climits>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include <baton/detail/builtin_ops.hpp>
#include <baton/detail/count_type.hpp>
#include <baton/detail/mpi_check.hpp>
#include <baton/detail/mpi_datatype.hpp>
#include <baton/detail/payload_traits.hpp>
#include <baton/error.hpp>
#include <baton/wire/encodings.hpp>

namespace baton::detail {

template <class F>
decltype(auto) through_boost(F&& f) {
    try {
        return f();
    } catch (const boost::mpi::exception& e) {
        throw_mpi_error(e.result_code(), e.routine());
    }
}

inline int checked_int(std::size_t n, const char* what) {
    if (n > static_cast<std::size_t>(INT_MAX)) {
        throw usage_error(std::string(what) + ": " + std::to_string(n) +
                          " bytes in one collective exceed MPI's int counts; split it or use point-to-point");
    }
    return static_cast<int>(n);
}

/// Where the result of a gather or a reduction goes: to one root rank, or to every rank.
class destination {
public:
    static destination root(int rank) noexcept { return destination(rank); }
    static destination every_rank() noexcept { return destination(everyone); }

    bool is_every_rank() const noexcept { return root_ == everyone; }
    /// The root's rank; only for a destination made by root().
    int root_rank() const noexcept { return root_; }
    /// True when `rank` gets the result.
    bool includes(int rank) const noexcept { return root_ == everyone || root_ == rank; }

private:
    static constexpr int everyone = -1;
    explicit destination(int root) noexcept : root_(root) {}
    int root_;
};

class collectives {
public:
    collectives(const boost::mpi::communicator& comm, int rank, int size) : comm_(comm), rank_(rank), size_(size) {}

    template <class T>
    void broadcast(T& value, int root) const {
        constexpr auto kind = kind_v<T>;
        if constexpr (kind == payload_kind::fixed) {
            check_mpi(MPI_Bcast(&value, static_cast<int>(sizeof(T)), MPI_BYTE, root, c()), "MPI_Bcast");
        } else if constexpr (kind == payload_kind::contiguous) {
            using E = typename contiguous_container<T>::element_type;
            std::uint64_t n = value.size();
            check_mpi(MPI_Bcast(&n, 1, MPI_UINT64_T, root, c()), "MPI_Bcast");
            if (rank_ != root) value.resize(static_cast<std::size_t>(n));
            count_type bytes(static_cast<std::size_t>(n) * sizeof(E), MPI_BYTE);
            check_mpi(MPI_Bcast(value.data(), bytes.count(), bytes.type(), root, c()), "MPI_Bcast");
        } else {
            through_boost([&] { boost::mpi::broadcast(comm_, value, root); });
        }
    }

    /// Values of every rank in rank order, on the ranks `to` includes (empty elsewhere).
    template <class T>
    std::vector<T> gather(const T& value, destination to) const {
        constexpr auto kind = kind_v<T>;
        std::vector<T> all;
        const bool receives = to.includes(rank_);
        if (receives) all.resize(static_cast<std::size_t>(size_));
        if constexpr (kind == payload_kind::fixed) {
            const int bytes = static_cast<int>(sizeof(T));
            if (to.is_every_rank()) {
                check_mpi(MPI_Allgather(&value, bytes, MPI_BYTE, all.data(), bytes, MPI_BYTE, c()), "MPI_Allgather");
            } else {
                check_mpi(MPI_Gather(&value, bytes, MPI_BYTE, all.data(), bytes, MPI_BYTE, to.root_rank(), c()),
                          "MPI_Gather");
            }
        } else if constexpr (kind == payload_kind::contiguous) {
            using E = typename contiguous_container<T>::element_type;
            const int mine = checked_int(value.size() * sizeof(E), "gather");
            std::vector<int> counts(receives ? static_cast<std::size_t>(size_) : 0);
            if (to.is_every_rank()) {
                check_mpi(MPI_Allgather(&mine, 1, MPI_INT, counts.data(), 1, MPI_INT, c()), "MPI_Allgather");
            } else {
                check_mpi(MPI_Gather(&mine, 1, MPI_INT, counts.data(), 1, MPI_INT, to.root_rank(), c()), "MPI_Gather");
            }
            std::vector<int> displacements(counts.size());
            std::size_t total = 0;
            for (std::size_t r = 0; r < counts.size(); ++r) {
                displacements[r] = checked_int(total, "gather");
                total += static_cast<std::size_t>(counts[r]);
            }
            byte_buffer bytes(total);
            if (to.is_every_rank()) {
                check_mpi(MPI_Allgatherv(value.data(), mine, MPI_BYTE, bytes.data(), counts.data(),
                                         displacements.data(), MPI_BYTE, c()),
                          "MPI_Allgatherv");
            } else {
                check_mpi(MPI_Gatherv(value.data(), mine, MPI_BYTE, bytes.data(), counts.data(), displacements.data(),
                                      MPI_BYTE, to.root_rank(), c()),
                          "MPI_Gatherv");
            }
            for (std::size_t r = 0; r < counts.size(); ++r) {
                all[r].resize(static_cast<std::size_t>(counts[r]) / sizeof(E));
                if (counts[r] != 0)
                    std::memcpy(static_cast<void*>(all[r].data()), bytes.data() + displacements[r],
                                static_cast<std::size_t>(counts[r]));
            }
        } else {
            through_boost([&] {
                if (to.is_every_rank())
                    boost::mpi::all_gather(comm_, value, all);
                else
                    boost::mpi::gather(comm_, value, all, to.root_rank());
            });
        }
        return all;
    }

    /// values[r] to rank r; `values` is read on root only and must hold size() values.
    template <class T>
    T scatter(const std::vector<T>& values, int root) const {
        // Every rank learns whether root's input is usable, so all throw together, none hangs.
        int ok = rank_ != root || values.size() == static_cast<std::size_t>(size_);
        check_mpi(MPI_Bcast(&ok, 1, MPI_INT, root, c()), "MPI_Bcast");
        if (!ok) {
            throw usage_error("rank " + std::to_string(rank_) + ": scatter from rank " + std::to_string(root) +
                              " needs one value per rank (" + std::to_string(size_) + "), root passed " +
                              (rank_ == root ? std::to_string(values.size()) : std::string("another number")));
        }
        constexpr auto kind = kind_v<T>;
        T out{};
        if constexpr (kind == payload_kind::fixed) {
            const int bytes = static_cast<int>(sizeof(T));
            check_mpi(MPI_Scatter(values.data(), bytes, MPI_BYTE, &out, bytes, MPI_BYTE, root, c()), "MPI_Scatter");
        } else if constexpr (kind == payload_kind::contiguous) {
            using E = typename contiguous_container<T>::element_type;
            std::vector<int> counts, displacements;
            byte_buffer bytes;
            if (rank_ == root) {
                std::size_t total = 0;
                for (const auto& v : values) {
                    counts.push_back(checked_int(v.size() * sizeof(E), "scatter"));
                    displacements.push_back(checked_int(total, "scatter"));
                    total += v.size() * sizeof(E);
                }
                bytes.resize(total);
                for (std::size_t r = 0; r < values.size(); ++r) {
                    if (counts[r] != 0)
                        std::memcpy(bytes.data() + displacements[r], values[r].data(),
                                    static_cast<std::size_t>(counts[r]));
                }
            }
            int mine = 0;
            check_mpi(MPI_Scatter(counts.data(), 1, MPI_INT, &mine, 1, MPI_INT, root, c()), "MPI_Scatter");
            out.resize(static_cast<std::size_t>(mine) / sizeof(E));
            check_mpi(MPI_Scatterv(bytes.data(), counts.data(), displacements.data(), MPI_BYTE, out.data(), mine,
                                   MPI_BYTE, root, c()),
                      "MPI_Scatterv");
        } else {
            through_boost([&] { boost::mpi::scatter(comm_, values, out, root); });
        }
        return out;
    }

    /// The reduction of every rank's value, on `root`; empty elsewhere.
    template <class T, class Op>
    std::optional<T> reduce(const T& value, Op op, int root) const {
        T result = reduce_to(value, op, destination::root(root));
        if (rank_ != root) return std::nullopt;
        return result;
    }

    /// The reduction of every rank's value, on every rank.
    template <class T, class Op>
    T all_reduce(const T& value, Op op) const {
        return reduce_to(value, op, destination::every_rank());
    }

private:
    MPI_Comm c() const { return static_cast<MPI_Comm>(comm_); }

    /// The reduction, on the ranks `to` includes; what the others get means nothing.
    template <class T, class Op>
    T reduce_to(const T& value, Op op, destination to) const {
        using E = typename unit_of<T>::type;
        if constexpr (kind_v<T> != payload_kind::serialized && has_builtin_op_v<Op, E>) {
            return reduce_builtin(value, builtin_op<Op, E>(), to);
        } else {
            // Any other operation: gathered and folded in rank order, the same result on every run.
            std::vector<T> all = gather(value, to);
            if (!to.includes(rank_)) return T{};
            T acc = all.front();
            for (std::size_t r = 1; r < all.size(); ++r) acc = op(acc, all[r]);
            return acc;
        }
    }

    template <class T>
    T reduce_builtin(const T& value, MPI_Op op, destination to) const {
        using E = typename unit_of<T>::type;
        const auto wt = wire_type_of<E>();
        T out = value;
        std::size_t n = 1;
        const void* in = &value;
        void* dst = &out;
        if constexpr (kind_v<T> == payload_kind::contiguous) {
            // element-wise: every rank must contribute the same length
            std::uint64_t len[2] = {value.size(), ~std::uint64_t{value.size()}};
            check_mpi(MPI_Allreduce(MPI_IN_PLACE, len, 2, MPI_UINT64_T, MPI_MAX, c()), "MPI_Allreduce");
            if (len[0] != ~len[1]) {
                throw usage_error("rank " + std::to_string(rank_) +
                                  ": element-wise reduce needs vectors of one length "
                                  "on every rank; this rank has " +
                                  std::to_string(value.size()));
            }
            n = value.size();
            in = value.data();
            dst = out.data();
        }
        const int count = checked_int(n, "reduce");
        if (to.is_every_rank()) {
            check_mpi(MPI_Allreduce(in, dst, count, wt.type, op, c()), "MPI_Allreduce");
        } else {
            check_mpi(MPI_Reduce(in, dst, count, wt.type, op, to.root_rank(), c()), "MPI_Reduce");
        }
        return out;
    }

    const boost::mpi::communicator& comm_;
    int rank_;
    int size_;
};

}  // namespace baton::detail
