#pragma once
// reduce, all_reduce, scan and exscan: MPI's own operation where Op has one, the length-checked
// reduction for vectors, and otherwise every value gathered and folded in rank order.

#include <mpi.h>

#include <cstddef>
#include <optional>
#include <type_traits>
#include <vector>

#include <baton/detail/codec/payload_traits.hpp>
#include <baton/detail/collectives/builtin_ops.hpp>
#include <baton/detail/collectives/destination.hpp>
#include <baton/detail/collectives/fold.hpp>
#include <baton/detail/collectives/gather.hpp>
#include <baton/detail/collectives/length_checked_reduction.hpp>
#include <baton/detail/mpi/check.hpp>

namespace baton::detail {

template <class Encoding>
class reduce_family : public gather_family<Encoding> {
public:
    using gather_family<Encoding>::gather_family;

    /// The reduction of every rank's value, on `root`; empty elsewhere.
    template <class T, class Op>
    std::optional<T> reduce(const T& value, Op op, int root) const {
        T result = reduce_to(value, op, destination::root(root));
        if (this->rank_ != root) return std::nullopt;
        return result;
    }

    /// The reduction of every rank's value, on every rank.
    template <class T, class Op>
    T all_reduce(const T& value, Op op) const {
        return reduce_to(value, op, destination::every_rank());
    }

    /// op over the values of ranks 0..rank(), on each rank.
    template <class T, class Op>
    T scan(const T& value, Op op) const {
        using E = typename unit_of<T>::type;
        if constexpr (kind_v<T> != payload_kind::serialized && builtin_reduction<Op, E>::available) {
            return builtin_prefix<Op>(value, &MPI_Scan, "MPI_Scan");
        } else {
            return fold_in_rank_order(this->gather(value, destination::every_rank()), op,
                                      static_cast<std::size_t>(this->rank_) + 1);
        }
    }

    /// op over the values of ranks 0..rank()-1, on each rank; empty on rank 0.
    template <class T, class Op>
    std::optional<T> exscan(const T& value, Op op) const {
        using E = typename unit_of<T>::type;
        if constexpr (kind_v<T> != payload_kind::serialized && builtin_reduction<Op, E>::available) {
            T out = builtin_prefix<Op>(value, &MPI_Exscan, "MPI_Exscan");
            if (this->rank_ == 0) return std::nullopt;  // MPI leaves rank 0's result undefined
            return out;
        } else {
            auto all = this->gather(value, destination::every_rank());
            if (this->rank_ == 0) return std::nullopt;
            return fold_in_rank_order(std::move(all), op, static_cast<std::size_t>(this->rank_));
        }
    }

protected:
    using prefix_call = int (*)(const void*, void*, int, MPI_Datatype, MPI_Op, MPI_Comm);

    /// MPI_Scan or MPI_Exscan with MPI's own operation for Op.
    template <class Op, class T>
    T builtin_prefix(const T& value, prefix_call call, const char* name) const {
        using E = typename unit_of<T>::type;
        T out = result_like(value);
        const int n = elementwise_count(value);
        check_mpi(call(elements(value), elements(out), n, builtin_reduction<Op, E>::type(),
                       builtin_reduction<Op, E>::op(), this->comm_),
                  name);
        return out;
    }

    /// The reduction, on the ranks `to` includes; what the others get means nothing.
    template <class T, class Op>
    T reduce_to(const T& value, Op op, destination to) const {
        using E = typename unit_of<T>::type;
        if constexpr (kind_v<T> == payload_kind::contiguous && has_builtin_op_v<Op, E> && !std::is_same_v<E, bool>) {
            if (to.is_every_rank())
                return checked_all_reduce<Op>(value, this->state_->reductions, this->comm_, this->rank_);
            T out = result_like(value);
            length_checked_reduce<Op>(value.data(), out.data(), value.size(), to.root_rank(), this->state_->reductions,
                                      this->comm_, this->rank_);
            return out;
        }
        if constexpr (kind_v<T> != payload_kind::serialized && builtin_reduction<Op, E>::available) {
            T out = result_like(value);
            const int n = elementwise_count(value);
            const MPI_Datatype type = builtin_reduction<Op, E>::type();
            const MPI_Op mpi_op = builtin_reduction<Op, E>::op();
            if (to.is_every_rank()) {
                check_mpi(MPI_Allreduce(elements(value), elements(out), n, type, mpi_op, this->comm_), "MPI_Allreduce");
            } else {
                check_mpi(MPI_Reduce(elements(value), elements(out), n, type, mpi_op, to.root_rank(), this->comm_),
                          "MPI_Reduce");
            }
            return out;
        } else {
            // Any other operation: gathered and folded in rank order, the same result on every run.
            std::vector<T> all = this->gather(value, to);
            if (!to.includes(this->rank_)) return T{};
            const std::size_t count = all.size();
            return fold_in_rank_order(std::move(all), op, count);
        }
    }

    /// A value of value's length for MPI to write a reduction into: a vector is sized, not
    /// copied (a copy reads the input once more; the raw baseline's zero-fill only writes).
    template <class T>
    static T result_like(const T& value) {
        if constexpr (kind_v<T> == payload_kind::contiguous) {
            T out;
            out.resize(value.size());
            return out;
        } else {
            return value;
        }
    }

    /// Elements in an element-wise reduction; every rank must contribute the same number.
    template <class T>
    int elementwise_count(const T& value) const {
        if constexpr (kind_v<T> == payload_kind::contiguous) {
            require_one_length(exchange_bounds(value.size(), this->comm_), value.size(), this->rank_);
            return checked_int(value.size(), "reduce", this->rank_);
        } else {
            return 1;
        }
    }
    template <class T>
    static const void* elements(const T& value) {
        if constexpr (kind_v<T> == payload_kind::contiguous) {
            return value.data();
        } else {
            return &value;
        }
    }
    template <class T>
    static void* elements(T& value) {
        if constexpr (kind_v<T> == payload_kind::contiguous) {
            return value.data();
        } else {
            return &value;
        }
    }
};

}  // namespace baton::detail
