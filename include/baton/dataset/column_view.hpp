#pragma once
/// @file
/// baton::column_view<T>: one column of a local_dataset, read as T.

#include <cstddef>
#include <vector>

namespace baton {

/// @brief The values of one column as T: indexable, sized, iterable. It points into the
/// dataset when the column is stored as T, and holds a converted copy otherwise (an
/// integer column read as double, or as std::int64_t when it is stored narrower; text read
/// as std::string_view into the dataset).
/// Valid while the dataset lives.
template <class T>
class column_view {
public:
    column_view(const T* data, std::size_t size) : data_(data), size_(size) {}
    explicit column_view(std::vector<T> owned) : owned_(std::move(owned)), data_(owned_.data()), size_(owned_.size()) {}
    column_view(const column_view& other) { *this = other; }
    column_view& operator=(const column_view& other) {
        if (this == &other) return *this;
        owned_ = other.owned_;
        data_ = other.owned_.empty() ? other.data_ : owned_.data();
        size_ = other.size_;
        return *this;
    }

    const T& operator[](std::size_t i) const noexcept { return data_[i]; }
    std::size_t size() const noexcept { return size_; }
    bool empty() const noexcept { return size_ == 0; }
    const T* data() const noexcept { return data_; }
    const T* begin() const noexcept { return data_; }
    const T* end() const noexcept { return data_ + size_; }
    /// A copy as a std::vector.
    std::vector<T> to_vector() const { return std::vector<T>(begin(), end()); }

private:
    std::vector<T> owned_;
    const T* data_ = nullptr;
    std::size_t size_ = 0;
};

}  // namespace baton
