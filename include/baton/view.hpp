#pragma once
/// @file
/// baton::view: a non-owning run of elements to send without copying them into a container.

#include <cstddef>

namespace baton {

/// @brief `count` elements starting at `data`. Send it through a `tag<std::vector<E>>`
/// to send part of a vector, as Python's `values[0:100]` does:
/// @code
/// world.send(1, params, baton::view(values.data(), 100));
/// @endcode
template <class E>
class view {
public:
    /// The `count` elements at `data` (not copied).
    constexpr view(const E* data, std::size_t count) noexcept : data_(data), size_(count) {}
    constexpr const E* data() const noexcept { return data_; }         ///< the first element
    constexpr std::size_t size() const noexcept { return size_; }      ///< number of elements
    constexpr const E* begin() const noexcept { return data_; }        ///< the first element
    constexpr const E* end() const noexcept { return data_ + size_; }  ///< past the last one

private:
    const E* data_;
    std::size_t size_;
};

}  // namespace baton
