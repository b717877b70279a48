#pragma once
// The fold in rank order that turns gathered values into a reduction or a prefix.

#include <cstddef>
#include <utility>
#include <vector>

namespace baton::detail {

/// op over the first `count` values, in rank order: the same result on every run, whatever
/// the operation.
template <class T, class Op>
T fold_in_rank_order(std::vector<T> values, Op& op, std::size_t count) {
    T acc = std::move(values.front());
    for (std::size_t r = 1; r < count; ++r) acc = op(acc, values[r]);
    return acc;
}

}  // namespace baton::detail
