#pragma once
// Memory for the big arrays of a loaded dataset (a column of millions of values). Blocks of
// 4 MiB and more are aligned to 2 MiB and marked for transparent huge pages, so the kernel
// fills them in 2 MiB steps instead of faulting in each 4 KiB page. Smaller blocks come from
// the ordinary heap.

#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>
#include <new>

namespace baton::detail::csv {

inline void* allocate_large(std::size_t bytes) {
    constexpr std::size_t huge_page = std::size_t{2} << 20;
    constexpr std::size_t huge_threshold = std::size_t{4} << 20;
    if (bytes < huge_threshold) {
        if (void* p = std::malloc(bytes == 0 ? 1 : bytes)) return p;
        throw std::bad_alloc();
    }
    const std::size_t rounded = (bytes + huge_page - 1) / huge_page * huge_page;
    void* p = std::aligned_alloc(huge_page, rounded);
    if (p == nullptr) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
    ::madvise(p, rounded, MADV_HUGEPAGE);  // advice only: without THP it changes nothing
#endif
    return p;
}

inline void free_large(void* p) noexcept {
    std::free(p);
}

}  // namespace baton::detail::csv
