#pragma once
// A read-only memory map of a whole file; errors name the path and the system's reason.

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>

#include <baton/dataset/csv_error.hpp>

namespace baton::detail::csv {

class mapped_file {
public:
    explicit mapped_file(const std::string& path) {
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) fail(path, "cannot open");
        struct stat info {};
        if (::fstat(fd, &info) != 0) {
            const int saved = errno;
            ::close(fd);
            errno = saved;
            fail(path, "cannot stat");
        }
        if (S_ISDIR(info.st_mode)) {
            ::close(fd);
            throw csv_error(path, 0, "", "is a directory, not a CSV file");
        }
        size_ = static_cast<std::size_t>(info.st_size);
        if (size_ != 0) {
            void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
            if (p == MAP_FAILED) {
                const int saved = errno;
                ::close(fd);
                errno = saved;
                fail(path, "cannot map");
            }
            data_ = static_cast<const char*>(p);
            ::madvise(p, size_, MADV_SEQUENTIAL);
        }
        ::close(fd);
    }
    /// CSV text already in memory (parse_csv): read where it is, not owned.
    explicit mapped_file(std::string_view text) noexcept : data_(text.data()), size_(text.size()), mapped_(false) {}
    mapped_file(const mapped_file&) = delete;
    mapped_file& operator=(const mapped_file&) = delete;
    ~mapped_file() {
        if (mapped_ && data_ != nullptr) ::munmap(const_cast<char*>(data_), size_);
    }

    const char* data() const noexcept { return data_; }

    /// Maps in the pages of [from, to) at once (the part this rank reads), instead of one
    /// page fault per 4 KiB as the parser reaches them. Advice only: ignored where unsupported.
    void prefault(const char* from, const char* to) const noexcept {
        if (!mapped_ || data_ == nullptr || to <= from) return;
        const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
        const auto first = reinterpret_cast<std::uintptr_t>(from) / page * page;
        const auto length = static_cast<std::size_t>(reinterpret_cast<std::uintptr_t>(to) - first);
#ifdef MADV_POPULATE_READ
        if (::madvise(reinterpret_cast<void*>(first), length, MADV_POPULATE_READ) == 0) return;
#endif
        ::madvise(reinterpret_cast<void*>(first), length, MADV_WILLNEED);
    }
    /// Drops the whole pages of [from, to) from this process's memory: the parser is past
    /// them, and a read of a big file then holds a window of it, not all of it. Read again,
    /// they come back from the page cache (or the disk). A no-op for text in memory.
    void release(const char* from, const char* to) const noexcept {
        if (!mapped_ || data_ == nullptr || to <= from) return;
        const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
        const auto first = (reinterpret_cast<std::uintptr_t>(from) + page - 1) / page * page;
        const auto last = reinterpret_cast<std::uintptr_t>(to) / page * page;
        if (last > first) ::madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED);
    }

    std::size_t size() const noexcept {
        return size_;
    }

private:
    [[noreturn]] static void fail(const std::string& path, const char* what) {
        throw csv_error(path, 0, "", std::string(what) + " the file: " + std::strerror(errno));
    }

    const char* data_ = nullptr;
    std::size_t size_ = 0;
    bool mapped_ = true;  // false: text in memory that this object does not own
};

}  // namespace baton::detail::csv
