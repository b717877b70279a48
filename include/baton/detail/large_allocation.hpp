#pragma once
// An allocator for the big arrays of a loaded dataset (a column of millions of values).
// Blocks of 4 MiB and more are aligned to 2 MiB and marked for transparent huge pages, so the
// kernel fills them in 2 MiB steps instead of faulting in each 4 KiB page: on a 2-million-row
// file that was a fifth of the load time. Smaller blocks come from the ordinary heap.

#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>
#include <new>

namespace baton::detail {

template <class T>
struct large_allocation {
    using value_type = T;

    large_allocation() noexcept = default;
    template <class U>
    large_allocation(const large_allocation<U>&) noexcept {}

    T* allocate(std::size_t n) {
        if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
        const std::size_t bytes = n * sizeof(T);
        if (bytes < huge_threshold) {
            if (void* p = std::malloc(bytes == 0 ? 1 : bytes)) return static_cast<T*>(p);
            throw std::bad_alloc();
        }
        const std::size_t rounded = (bytes + huge_page - 1) / huge_page * huge_page;
        void* p = std::aligned_alloc(huge_page, rounded);
        if (p == nullptr) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
        ::madvise(p, rounded, MADV_HUGEPAGE);  // advice only: without THP it changes nothing
#endif
        return static_cast<T*>(p);
    }
    void deallocate(T* p, std::size_t) noexcept { std::free(p); }

    template <class U>
    bool operator==(const large_allocation<U>&) const noexcept { return true; }
    template <class U>
    bool operator!=(const large_allocation<U>&) const noexcept { return false; }

private:
    static constexpr std::size_t huge_page = std::size_t{2} << 20;
    static constexpr std::size_t huge_threshold = std::size_t{4} << 20;
};

}  // namespace baton::detail
