#pragma once
/// @file
/// Reduction operations for reduce and all_reduce beside the std function objects.
/// std::plus<>, std::multiplies<>, baton::minimum, baton::maximum and the logical and bitwise
/// std function objects on arithmetic values (or vectors of them) map onto MPI's own
/// operations; any other callable is applied in rank order.

#include <algorithm>

namespace baton {

/// The smaller of two values (MPI_MIN).
struct minimum {
    template <class T>
    constexpr T operator()(const T& a, const T& b) const {
        return std::min(a, b);
    }
};
/// The larger of two values (MPI_MAX).
struct maximum {
    template <class T>
    constexpr T operator()(const T& a, const T& b) const {
        return std::max(a, b);
    }
};

}  // namespace baton
