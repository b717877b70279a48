#pragma once
// The MPI datatype a plain value travels as on the unchecked wire: MPI's own type for
// arithmetic types (so C, Fortran and mpi4py peers read it), bytes for other plain structs.

#include <mpi.h>

#include <cstddef>
#include <type_traits>

namespace baton::detail {

struct wire_type {
    MPI_Datatype type;
    std::size_t units_per_value;  // how many `type` units make one value
};

template <class T>
wire_type wire_type_of() {
    using U = std::conditional_t<std::is_enum_v<T>, std::underlying_type<T>, std::common_type<T>>;
    using V = typename U::type;
    if constexpr (std::is_same_v<V, char>)
        return {MPI_CHAR, 1};
    else if constexpr (std::is_same_v<V, signed char>)
        return {MPI_SIGNED_CHAR, 1};
    else if constexpr (std::is_same_v<V, unsigned char>)
        return {MPI_UNSIGNED_CHAR, 1};
    else if constexpr (std::is_same_v<V, short>)
        return {MPI_SHORT, 1};
    else if constexpr (std::is_same_v<V, unsigned short>)
        return {MPI_UNSIGNED_SHORT, 1};
    else if constexpr (std::is_same_v<V, int>)
        return {MPI_INT, 1};
    else if constexpr (std::is_same_v<V, unsigned>)
        return {MPI_UNSIGNED, 1};
    else if constexpr (std::is_same_v<V, long>)
        return {MPI_LONG, 1};
    else if constexpr (std::is_same_v<V, unsigned long>)
        return {MPI_UNSIGNED_LONG, 1};
    else if constexpr (std::is_same_v<V, long long>)
        return {MPI_LONG_LONG, 1};
    else if constexpr (std::is_same_v<V, unsigned long long>)
        return {MPI_UNSIGNED_LONG_LONG, 1};
    else if constexpr (std::is_same_v<V, float>)
        return {MPI_FLOAT, 1};
    else if constexpr (std::is_same_v<V, double>)
        return {MPI_DOUBLE, 1};
    else if constexpr (std::is_same_v<V, long double>)
        return {MPI_LONG_DOUBLE, 1};
    else if constexpr (std::is_same_v<V, bool>)
        return {MPI_CXX_BOOL, 1};
    else if constexpr (std::is_same_v<V, wchar_t>)
        return {MPI_WCHAR, 1};
    else
        return {MPI_BYTE, sizeof(T)};
}

}  // namespace baton::detail
