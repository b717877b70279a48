#pragma once
// Which reduction operations MPI has built in: a baton::minimum over doubles becomes MPI_MIN
// and runs inside MPI; an operation without a match is folded by baton in rank order.

#include <mpi.h>

#include <functional>
#include <type_traits>

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

}  // namespace baton::detail
