#pragma once
/// @file
/// baton::py::ndarray<T>: a NumPy array of T in C order, as the pickle codec reads and writes it.

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include <baton/error.hpp>

namespace baton::py {

/// @brief A NumPy array of T (bool, an integer type, float or double) in C (row-major) order.
/// Pickled, it is a numpy.ndarray of T's dtype and this shape; unpickled, any array of that dtype
/// converts, in either byte order and in Fortran order too.
template <class T>
class ndarray {
public:
    /// An empty one-dimensional array.
    ndarray() : shape_{0} {}
    /// An array of the given shape holding values in C order; throws baton::usage_error if the
    /// shape's product is not values.size().
    ndarray(std::vector<std::size_t> shape, std::vector<T> values)
        : shape_(std::move(shape)), values_(std::move(values)) {
        std::size_t count = 1;
        for (auto d : shape_) count *= d;
        if (count != values_.size()) {
            throw baton::usage_error("baton::py::ndarray: a shape of " + std::to_string(count) + " elements given " +
                                     std::to_string(values_.size()) + " values");
        }
    }
    /// A one-dimensional array of values.
    explicit ndarray(std::vector<T> values) : shape_{values.size()}, values_(std::move(values)) {}

    /// The length of each dimension.
    const std::vector<std::size_t>& shape() const { return shape_; }
    /// The elements in C order.
    const std::vector<T>& values() const { return values_; }
    /// The number of dimensions.
    std::size_t ndim() const { return shape_.size(); }

    /// Same shape and values.
    friend bool operator==(const ndarray& a, const ndarray& b) {
        return a.shape_ == b.shape_ && a.values_ == b.values_;
    }
    /// Not ==.
    friend bool operator!=(const ndarray& a, const ndarray& b) { return !(a == b); }

private:
    std::vector<std::size_t> shape_;
    std::vector<T> values_;
};

}  // namespace baton::py
