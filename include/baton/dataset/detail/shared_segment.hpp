#pragma once
// A block of POSIX shared memory (shm_open + mmap) that the ranks of one node map, for the
// node's one copy of a dataset. The creator reserves every page before anything is written
// (posix_fallocate): on a tmpfs too small for the block, that fails with ENOSPC and the caller
// gets an error naming what was needed and what there is, instead of the SIGBUS that writing to
// a mapping past the tmpfs' end gives. The name is unlinked as soon as every rank has mapped it,
// so the kernel frees the memory with the last mapping, whichever rank holds it and however it
// ends; the mapping is released when the last owner of it (the borrowed arrays of the
// datasets) is gone.

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include <baton/error.hpp>

namespace baton::detail::csv {

/// Where shm_open keeps its files on Linux.
inline constexpr const char* shared_memory_directory = "/dev/shm";

/// A size in bytes as "N bytes (X MiB)", for messages.
inline std::string bytes_and_mib(unsigned long long bytes) {
    char mib[32];
    std::snprintf(mib, sizeof mib, "%.1f", static_cast<double>(bytes) / (1024.0 * 1024.0));
    return std::to_string(bytes) + " bytes (" + mib + " MiB)";
}

class shared_segment {
public:
    shared_segment(const shared_segment&) = delete;
    shared_segment& operator=(const shared_segment&) = delete;
    ~shared_segment() {
        if (data_ != nullptr) ::munmap(data_, size_);
    }

    /// A new segment of `size` bytes (size > 0), mapped for writing, its pages reserved.
    /// Throws baton::error saying what failed; on a full shared-memory file system, how much
    /// was needed and how much there is. `what` names the data in messages.
    static std::shared_ptr<shared_segment> create(const std::string& name, std::size_t size, const std::string& what) {
        const int fd = ::shm_open(name.c_str(), O_RDWR | O_CREAT | O_EXCL, 0600);
        if (fd < 0) fail("could not create the node's shared memory " + name + " for " + what);
        int reserved = 0;
        do {
            reserved = ::posix_fallocate(fd, 0, static_cast<off_t>(size));
        } while (reserved == EINTR);
        if (reserved != 0) {
            ::close(fd);
            ::shm_unlink(name.c_str());
            std::string text = what + " needs " + bytes_and_mib(size) + " of the node's shared memory (" +
                               shared_memory_directory + ")";
            if (reserved == ENOSPC || reserved == ENOMEM) {
                throw error(text + ", but only " + bytes_and_mib(available()) + " is free there (" +
                            std::strerror(reserved) +
                            "): give the job a larger /dev/shm (docs/dataset.md), or read without node_shared");
            }
            throw error(text + " and could not reserve it: " + std::strerror(reserved));
        }
        return map(fd, name, size, PROT_READ | PROT_WRITE, what);
    }

    /// The segment another rank created, mapped read-only; its size must be `size`.
    static std::shared_ptr<shared_segment> open(const std::string& name, std::size_t size, const std::string& what) {
        const int fd = ::shm_open(name.c_str(), O_RDONLY, 0);
        if (fd < 0) fail("could not open the node's shared memory " + name + " for " + what);
        struct stat st {};
        if (::fstat(fd, &st) != 0 || static_cast<std::size_t>(st.st_size) != size) {
            ::close(fd);
            throw error("the node's shared memory " + name + " for " + what + " is " +
                        std::to_string(static_cast<long long>(st.st_size)) + " bytes, not the " + std::to_string(size) +
                        " its reader announced");
        }
        return map(fd, name, size, PROT_READ, what);
    }

    /// Removes the name; the memory stays while any rank maps it.
    static void unlink(const std::string& name) noexcept { ::shm_unlink(name.c_str()); }

    /// A name no other segment on this node has: this process's id, a count and the clock.
    static std::string unique_name() {
        static std::atomic<unsigned> count{0};
        const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
        return "/baton-" + std::to_string(::getpid()) + "-" + std::to_string(count++) + "-" +
               std::to_string(static_cast<unsigned long long>(now));
    }

    /// Free bytes on the shared-memory file system.
    static unsigned long long available() noexcept {
        struct statvfs fs {};
        if (::statvfs(shared_memory_directory, &fs) != 0) return 0;
        return static_cast<unsigned long long>(fs.f_bavail) * fs.f_frsize;
    }

    char* data() noexcept { return static_cast<char*>(data_); }
    const char* data() const noexcept { return static_cast<const char*>(data_); }
    std::size_t size() const noexcept { return size_; }

    /// After the writer has filled it: from here on it is read only, on every rank.
    void seal() noexcept { ::mprotect(data_, size_, PROT_READ); }

private:
    shared_segment(void* data, std::size_t size) : data_(data), size_(size) {}

    static std::shared_ptr<shared_segment> map(int fd, const std::string& name, std::size_t size, int protection,
                                               const std::string& what) {
        void* p = ::mmap(nullptr, size, protection, MAP_SHARED, fd, 0);
        const int mapped_errno = errno;
        ::close(fd);
        if (p == MAP_FAILED) {
            errno = mapped_errno;
            fail("could not map the node's shared memory " + name + " (" + bytes_and_mib(size) + ") for " + what);
        }
        return std::shared_ptr<shared_segment>(new shared_segment(p, size));
    }

    [[noreturn]] static void fail(const std::string& what) { throw error(what + ": " + std::strerror(errno)); }

    void* data_;
    std::size_t size_;
};

}  // namespace baton::detail::csv
