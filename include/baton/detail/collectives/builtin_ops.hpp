#pragma once
// Which reduction operations MPI has built in: a baton::minimum over doubles becomes MPI_MIN
// and runs inside MPI; an operation without a match is folded by baton in rank order.

#include <mpi.h>

#include <functional>
#include <type_traits>

#include <baton/detail/mpi/datatype.hpp>
#include <baton/operations.hpp>

namespace baton::detail {

template <class Op, template <class> class Std>
inline constexpr bool is_std_op_v = std::is_same_v<Op, Std<void>>;
template <class Op, class T, template <class> class Std>
inline constexpr bool is_std_op_for_v = is_std_op_v<Op, Std> || std::is_same_v<Op, Std<T>>;

/// True when Op on elements of type E is one of MPI's built-in operations.
template <class Op, class E>
inline constexpr bool has_builtin_op_v =
    std::is_arithmetic_v<E> &&
    (is_std_op_for_v<Op, E, std::plus> || is_std_op_for_v<Op, E, std::multiplies> || std::is_same_v<Op, minimum> ||
     std::is_same_v<Op, maximum> ||
     (std::is_integral_v<E> && (is_std_op_for_v<Op, E, std::logical_and> || is_std_op_for_v<Op, E, std::logical_or>)) ||
     (std::is_integral_v<E> && !std::is_same_v<E, bool> &&
      (is_std_op_for_v<Op, E, std::bit_and> || is_std_op_for_v<Op, E, std::bit_or> ||
       is_std_op_for_v<Op, E, std::bit_xor>)));

/// MPI's built-in operation for Op on elements of type E, or MPI_OP_NULL.
template <class Op, class E>
MPI_Op builtin_op() {
    if constexpr (!std::is_arithmetic_v<E>) {
        return MPI_OP_NULL;
    } else if constexpr (is_std_op_for_v<Op, E, std::plus>) {
        return MPI_SUM;
    } else if constexpr (is_std_op_for_v<Op, E, std::multiplies>) {
        return MPI_PROD;
    } else if constexpr (std::is_same_v<Op, minimum>) {
        return MPI_MIN;
    } else if constexpr (std::is_same_v<Op, maximum>) {
        return MPI_MAX;
    } else if constexpr (std::is_integral_v<E> && is_std_op_for_v<Op, E, std::logical_and>) {
        return MPI_LAND;
    } else if constexpr (std::is_integral_v<E> && is_std_op_for_v<Op, E, std::logical_or>) {
        return MPI_LOR;
    } else if constexpr (std::is_integral_v<E> && !std::is_same_v<E, bool> && is_std_op_for_v<Op, E, std::bit_and>) {
        return MPI_BAND;
    } else if constexpr (std::is_integral_v<E> && !std::is_same_v<E, bool> && is_std_op_for_v<Op, E, std::bit_or>) {
        return MPI_BOR;
    } else if constexpr (std::is_integral_v<E> && !std::is_same_v<E, bool> && is_std_op_for_v<Op, E, std::bit_xor>) {
        return MPI_BXOR;
    } else {
        return MPI_OP_NULL;
    }
}

/// MPI's pair type for ranked<T>, for T that MPI_MAXLOC and MPI_MINLOC cover.
template <class T>
MPI_Datatype loc_pair_type() {
    if constexpr (std::is_same_v<T, float>)
        return MPI_FLOAT_INT;
    else if constexpr (std::is_same_v<T, double>)
        return MPI_DOUBLE_INT;
    else if constexpr (std::is_same_v<T, long double>)
        return MPI_LONG_DOUBLE_INT;
    else if constexpr (std::is_same_v<T, int>)
        return MPI_2INT;
    else if constexpr (std::is_same_v<T, long>)
        return MPI_LONG_INT;
    else if constexpr (std::is_same_v<T, short>)
        return MPI_SHORT_INT;
    else
        return MPI_DATATYPE_NULL;
}
template <class T>
inline constexpr bool has_loc_pair_v =
    std::is_same_v<T, float> || std::is_same_v<T, double> || std::is_same_v<T, long double> || std::is_same_v<T, int> ||
    std::is_same_v<T, long> || std::is_same_v<T, short>;

/// MPI's own reduction for Op on elements of type E, if there is one: `available`, and the
/// operation and datatype to call MPI with.
template <class Op, class E>
struct builtin_reduction {
    static constexpr bool available = has_builtin_op_v<Op, E>;
    static MPI_Op op() { return builtin_op<Op, E>(); }
    static MPI_Datatype type() { return wire_type_of<E>().type; }
};
template <class Op, class T>
struct builtin_reduction<Op, ranked<T>> {
    static constexpr bool is_loc = std::is_same_v<Op, max_loc> || std::is_same_v<Op, min_loc>;
    static constexpr bool available = is_loc && has_loc_pair_v<T>;
    static MPI_Op op() { return std::is_same_v<Op, max_loc> ? MPI_MAXLOC : MPI_MINLOC; }
    static MPI_Datatype type() { return loc_pair_type<T>(); }
};

}  // namespace baton::detail
