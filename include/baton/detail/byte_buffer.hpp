#pragma once
// The byte buffer every message is assembled in or received into. A std::vector<char> would
// zero each byte it grows by before the encoder or the MPI overwrites it: two megabytes of
// wasted writes for a two-megabyte message. Growing this one leaves new bytes as they are.

#include <memory>
#include <new>
#include <utility>
#include <vector>

namespace baton::detail {

/// std::allocator, except that a value constructed without arguments is default-initialized
/// (for char: left as it is) rather than value-initialized (zeroed).
template <class T>
struct default_init_allocator : std::allocator<T> {
    template <class U>
    struct rebind {
        using other = default_init_allocator<U>;
    };
    default_init_allocator() = default;
    template <class U>
    default_init_allocator(const default_init_allocator<U>&) noexcept {}

    template <class U>
    void construct(U* p) noexcept(noexcept(::new (static_cast<void*>(p)) U)) {
        ::new (static_cast<void*>(p)) U;
    }
    template <class U, class... Args>
    void construct(U* p, Args&&... args) {
        ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
    }
};

using byte_buffer = std::vector<char, default_init_allocator<char>>;

}  // namespace baton::detail
