#pragma once
/// @file
/// Reduction operations for reduce, all_reduce, scan and exscan beside the std function objects.
/// std::plus<>, std::multiplies<>, baton::minimum, baton::maximum and the logical and bitwise
/// std function objects on arithmetic values (or vectors of them) map onto MPI's own
/// operations; any other callable is applied in rank order.

#include <algorithm>

namespace baton {

/// The smaller of two values (MPI_MIN).
struct minimum {
    /// The smaller of a and b.
    template <class T>
    constexpr T operator()(const T& a, const T& b) const {
        return std::min(a, b);
    }
};
/// The larger of two values (MPI_MAX).
struct maximum {
    /// The larger of a and b.
    template <class T>
    constexpr T operator()(const T& a, const T& b) const {
        return std::max(a, b);
    }
};

/// @brief A value and the rank it came from, for max_loc and min_loc: which rank holds the best
/// score. For float, double, long double, int, long and short the reduction runs inside MPI
/// (MPI_MAXLOC, MPI_MINLOC on its pair types); for other T baton folds it in rank order.
/// @code
/// auto best = world.all_reduce(baton::ranked<double>{score, world.rank()}, baton::max_loc{});
/// // best.value: the highest score; best.rank: the lowest rank that has it
/// @endcode
template <class T>
struct ranked {
    T value;   ///< the value compared
    int rank;  ///< the rank it came from
};

/// The larger value with its rank; of equal values, the lower rank's (MPI_MAXLOC).
struct max_loc {
    /// The larger of a and b; of equal values, the one of the lower rank.
    template <class T>
    constexpr ranked<T> operator()(const ranked<T>& a, const ranked<T>& b) const {
        if (a.value < b.value) return b;
        if (b.value < a.value) return a;
        return b.rank < a.rank ? b : a;
    }
};
/// The smaller value with its rank; of equal values, the lower rank's (MPI_MINLOC).
struct min_loc {
    /// The smaller of a and b; of equal values, the one of the lower rank.
    template <class T>
    constexpr ranked<T> operator()(const ranked<T>& a, const ranked<T>& b) const {
        if (b.value < a.value) return b;
        if (a.value < b.value) return a;
        return b.rank < a.rank ? b : a;
    }
};

}  // namespace baton
