#pragma once
// Memory for the big arrays of a loaded dataset (a column of millions of values). Blocks of
// 4 MiB and more are mapped from the kernel, aligned to 2 MiB and marked for transparent huge
// pages, so the kernel fills them in 2 MiB steps instead of faulting in each 4 KiB page; they
// go back to the kernel when freed. (From malloc they would not always: glibc serves blocks
// of up to 32 MiB from its heaps once one was freed, and keeps them there after free, one heap
// per thread; a read in two threads then peaked 140 MB higher.) Smaller blocks come from the
// ordinary heap. The caller gives the size back when freeing.

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>

namespace baton::detail::csv {

inline constexpr std::size_t huge_page = std::size_t{2} << 20;
inline constexpr std::size_t large_threshold = std::size_t{4} << 20;

inline std::size_t mapped_size(std::size_t bytes) noexcept {
    return (bytes + huge_page - 1) / huge_page * huge_page;
}

inline void* allocate_large(std::size_t bytes) {
    if (bytes < large_threshold) {
        if (void* p = std::malloc(bytes == 0 ? 1 : bytes)) return p;
        throw std::bad_alloc();
    }
    // Map a huge page more than needed, then unmap the slack before and after the aligned block.
    const std::size_t size = mapped_size(bytes);
    void* raw = ::mmap(nullptr, size + huge_page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) throw std::bad_alloc();
    const auto start = reinterpret_cast<std::uintptr_t>(raw);
    const auto aligned = (start + huge_page - 1) / huge_page * huge_page;
    if (aligned > start) ::munmap(raw, aligned - start);
    const std::size_t after = start + size + huge_page - (aligned + size);
    if (after > 0) ::munmap(reinterpret_cast<void*>(aligned + size), after);
    void* p = reinterpret_cast<void*>(aligned);
#ifdef MADV_HUGEPAGE
    ::madvise(p, size, MADV_HUGEPAGE);  // advice only: without THP it changes nothing
#endif
    return p;
}

/// Frees a block from allocate_large; `bytes` is the size it was allocated with.
inline void free_large(void* p, std::size_t bytes) noexcept {
    if (bytes < large_threshold)
        std::free(p);
    else
        ::munmap(p, mapped_size(bytes));
}

}  // namespace baton::detail::csv
