#pragma once
/// @file
/// baton::column_view<T>: one column of a local_dataset, read as T.

#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>
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
    /// A view of `size` values at `data` (not copied); `name` is the column's, for errors.
    column_view(const T* data, std::size_t size, std::string name = {})
        : data_(data), size_(size), name_(std::move(name)) {}
    /// A view that holds its values (a converted copy).
    explicit column_view(std::vector<T> owned, std::string name = {})
        : owned_(std::move(owned)), data_(owned_.data()), size_(owned_.size()), name_(std::move(name)) {}
    /// A copy: it points where `other` points, or copies the values `other` holds.
    column_view(const column_view& other) { *this = other; }
    /// Takes over a converted copy without copying it (the vector's buffer moves as it is).
    column_view(column_view&& other) noexcept { *this = std::move(other); }
    /// As the copy constructor.
    column_view& operator=(const column_view& other) {
        if (this == &other) return *this;
        owned_ = other.owned_;
        data_ = other.owned_.empty() ? other.data_ : owned_.data();
        size_ = other.size_;
        name_ = other.name_;
        return *this;
    }
    /// As the move constructor.
    column_view& operator=(column_view&& other) noexcept {
        if (this == &other) return *this;
        const bool owned = !other.owned_.empty();
        owned_ = std::move(other.owned_);
        data_ = owned ? owned_.data() : other.data_;
        size_ = other.size_;
        name_ = std::move(other.name_);
        other.owned_.clear();
        other.data_ = nullptr;
        other.size_ = 0;
        return *this;
    }

    /// The value in row i, unchecked (as std::vector's operator[]).
    const T& operator[](std::size_t i) const noexcept { return data_[i]; }
    /// The value in row i; throws std::out_of_range naming the column and its length when
    /// i >= size().
    const T& at(std::size_t i) const {
        if (i >= size_) {
            throw std::out_of_range("column '" + name_ + "': row " + std::to_string(i) + " is out of range (" +
                                    std::to_string(size_) + (size_ == 1 ? " row)" : " rows)"));
        }
        return data_[i];
    }
    std::size_t size() const noexcept { return size_; }      ///< number of rows
    bool empty() const noexcept { return size_ == 0; }       ///< no rows
    const T* data() const noexcept { return data_; }         ///< the values, contiguous
    const T* begin() const noexcept { return data_; }        ///< first value
    const T* end() const noexcept { return data_ + size_; }  ///< past the last value
    /// A copy as a std::vector.
    std::vector<T> to_vector() const { return std::vector<T>(begin(), end()); }

private:
    std::vector<T> owned_;
    const T* data_ = nullptr;
    std::size_t size_ = 0;
    std::string name_;
};

}  // namespace baton
