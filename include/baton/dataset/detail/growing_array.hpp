#pragma once
// A growing array of trivially copyable values whose append is a compare and a store, inlined
// at the call site. std::vector::push_back leaves its capacity check to an out-of-line call in
// libstdc++, and a CSV load appends one value per field, so that call was a large share of the
// load (docs/performance.md). Storage comes from allocate_large (huge pages for big columns).

#include <cstddef>
#include <cstring>
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

    /// Sets the size to n, leaving new values for the caller to overwrite (no pass to zero them).
    void resize_for_overwrite(std::size_t n) {
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
    }

private:
    [[gnu::noinline]] void grow() { reallocate(capacity_ < 16 ? 16 : capacity_ * 2); }

    void reallocate(std::size_t capacity) {
        if (capacity > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
        T* fresh = static_cast<T*>(allocate_large(capacity * sizeof(T)));
        if (size_ != 0) std::memcpy(fresh, data_, size_ * sizeof(T));
        release();
        data_ = fresh;
        capacity_ = capacity;
    }

    void release() noexcept {
        if (data_ != nullptr) free_large(data_, capacity_ * sizeof(T));
    }

    T* data_ = nullptr;
    std::size_t size_ = 0;
    std::size_t capacity_ = 0;
};

}  // namespace baton::detail::csv
