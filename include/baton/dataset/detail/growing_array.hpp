#pragma once
// A growing array of trivially copyable values whose append is a compare and a store, inlined
// at the call site. std::vector::push_back leaves its capacity check to an out-of-line call in
// libstdc++, and a CSV load appends one value per field, so that call was a large share of the
// load (docs/performance.md). Storage comes from allocate_large (huge pages for big columns).
//
// An array can also borrow its values from memory it does not own (a node's shared copy of a
// dataset, shared_segment.hpp), kept alive by `owner` for as long as the array uses it. A
// borrowed array is read in place; whatever would change it first copies the values into
// storage of its own (its capacity is its size, so the next append reallocates), and copying
// it gives an array that owns its values.

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

#include <baton/dataset/detail/large_allocation.hpp>

namespace baton::detail::csv {

template <class T>
class growing_array {
    static_assert(std::is_trivially_copyable_v<T>, "growing_array holds trivially copyable values");

public:
    growing_array() = default;
    growing_array(const growing_array& other) { *this = other; }
    growing_array(growing_array&& other) noexcept { swap(other); }
    growing_array& operator=(const growing_array& other) {
        if (this != &other) {
            clear();
            reserve(other.size_);
            if (other.size_ != 0) std::memcpy(data_, other.data_, other.size_ * sizeof(T));
            size_ = other.size_;
        }
        return *this;
    }
    growing_array& operator=(growing_array&& other) noexcept {
        growing_array(std::move(other)).swap(*this);
        return *this;
    }
    ~growing_array() { release(); }

    /// An array of the n values at data, kept alive by owner, read in place.
    static growing_array borrowed(const T* data, std::size_t n, std::shared_ptr<const void> owner) {
        growing_array a;
        a.data_ = const_cast<T*>(data);  // never written through: a change copies first
        a.size_ = a.capacity_ = n;
        a.owner_ = std::move(owner);
        return a;
    }
    /// Whether the values are borrowed (see borrowed()).
    bool is_borrowed() const noexcept { return owner_ != nullptr; }

    std::size_t size() const noexcept { return size_; }
    bool empty() const noexcept { return size_ == 0; }
    const T* data() const noexcept { return data_; }
    T* data() noexcept { return data_; }
    const T& operator[](std::size_t i) const noexcept { return data_[i]; }
    T& operator[](std::size_t i) noexcept { return data_[i]; }
    const T* begin() const noexcept { return data_; }
    const T* end() const noexcept { return data_ + size_; }

    [[gnu::always_inline]] void push_back(T value) {
        if (size_ == capacity_) grow();
        data_[size_++] = value;
    }

    void reserve(std::size_t n) {
        if (n > capacity_) reallocate(n);
    }

    /// Sets the size to n; new values are value-initialized.
    void resize(std::size_t n) {
        reserve(n);
        for (std::size_t i = size_; i < n; ++i) data_[i] = T{};
        size_ = n;
    }

    /// Appends n values from data (not from this array).
    void append(const T* data, std::size_t n) {
        if (n == 0) return;
        reserve(size_ + n);
        std::memcpy(data_ + size_, data, n * sizeof(T));
        size_ += n;
    }

    /// Appends n values from data (not from this array), growing the storage geometrically:
    /// for an array that many small appends build (text bytes).
    void append_growing(const T* data, std::size_t n) {
        if (size_ + n > capacity_) reallocate(std::max(size_ + n, capacity_ < 16 ? 16 : capacity_ * 2));
        if (n != 0) std::memcpy(data_ + size_, data, n * sizeof(T));
        size_ += n;
    }

    /// Sets the size to n, leaving new values for the caller to overwrite (no pass to zero them).
    void resize_for_overwrite(std::size_t n) {
        if (is_borrowed()) reallocate(n);
        reserve(n);
        size_ = n;
    }

    /// Frees the storage.
    void clear() noexcept {
        release();
        data_ = nullptr;
        size_ = capacity_ = 0;
    }

    void swap(growing_array& other) noexcept {
        std::swap(data_, other.data_);
        std::swap(size_, other.size_);
        std::swap(capacity_, other.capacity_);
        std::swap(owner_, other.owner_);
    }

private:
    [[gnu::noinline]] void grow() { reallocate(capacity_ < 16 ? 16 : capacity_ * 2); }

    void reallocate(std::size_t capacity) {
        if (capacity > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
        T* fresh = static_cast<T*>(allocate_large(capacity * sizeof(T)));
        if (size_ > capacity) size_ = capacity;
        if (size_ != 0) std::memcpy(fresh, data_, size_ * sizeof(T));
        release();
        data_ = fresh;
        capacity_ = capacity;
    }

    void release() noexcept {
        if (owner_ != nullptr)
            owner_.reset();
        else if (data_ != nullptr)
            free_large(data_, capacity_ * sizeof(T));
    }

    T* data_ = nullptr;
    std::size_t size_ = 0;
    std::size_t capacity_ = 0;
    std::shared_ptr<const void> owner_;  // set while the values are borrowed
};

}  // namespace baton::detail::csv
