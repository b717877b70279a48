#pragma once
// A block of POSIX shared memory (shm_open + mmap) that the ranks of one node map, for the
// node's one copy of a dataset. The creator checks the free space first and fills the file with
// write(2), which fails with ENOSPC where the tmpfs is full, so that a block too big for it is an
// error naming what was needed and what there is, never the SIGBUS that touching a mapping past
// the tmpfs' end gives; every page of the file is written before any rank maps it. The name is unlinked as soon as
// every rank has mapped it, so the kernel frees the memory with the last mapping, whichever rank holds it and however
// it ends; the mapping is released when the last owner of it (the borrowed arrays of the datasets) is gone.

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

    /// The reader's side of a new segment: a file of `size` bytes (size > 0) on the node's
    /// shared-memory file system, filled with write(2), which allocates each page as it fills
    /// it (no pass to zero it first, no page faults), then mapped. `what` names the data in
    /// messages. Until it is mapped, the file is removed if anything fails.
    class writer {
    public:
        /// Throws baton::error, before anything is written, if the file system has less free
        /// than `size`: how much was needed and how much there is.
        writer(std::string name, std::size_t size, std::string what)
            : name_(std::move(name)), size_(size), what_(std::move(what)) {
            check_room(size, what_);
            fd_ = ::shm_open(name_.c_str(), O_RDWR | O_CREAT | O_EXCL, 0600);
            if (fd_ < 0) fail("could not create the node's shared memory " + name_ + " for " + what_);
            if (::ftruncate(fd_, static_cast<off_t>(size)) != 0) {
                const int e = errno;
                discard();
                errno = e;
                fail("could not size the node's shared memory " + name_ + " for " + what_);
            }
        }
        writer(const writer&) = delete;
        writer& operator=(const writer&) = delete;
        ~writer() { discard(); }

        /// Writes [data, data + n) at offset. Throws baton::error if the file system fills
        /// up meanwhile (another job's files), with the sizes.
        void write(std::size_t offset, const char* data, std::size_t n) {
            while (n > 0) {
                const ssize_t done = ::pwrite(fd_, data, n, static_cast<off_t>(offset));
                if (done < 0 && errno == EINTR) continue;
                if (done <= 0) {
                    const int e = done < 0 ? errno : ENOSPC;
                    discard();
                    if (e == ENOSPC) throw too_small(available(), " (it filled up while being written)");
                    errno = e;
                    fail("could not write the node's shared memory " + name_ + " for " + what_);
                }
                data += done;
                offset += static_cast<std::size_t>(done);
                n -= static_cast<std::size_t>(done);
            }
        }

        /// The filled segment, mapped read only.
        std::shared_ptr<shared_segment> map() {
            auto segment = shared_segment::map(fd_, name_, size_, what_);
            fd_ = -1;  // map closed it; the name stays until every rank has mapped it
            return segment;
        }

    private:
        error too_small(unsigned long long free, const char* when) const {
            return shared_segment::too_small(what_, size_, free, when);
        }
        void discard() noexcept {
            if (fd_ < 0) return;
            ::close(fd_);
            ::shm_unlink(name_.c_str());
            fd_ = -1;
        }

        std::string name_;
        std::size_t size_;
        std::string what_;
        int fd_ = -1;
    };

    /// Throws baton::error, naming both sizes, if the shared-memory file system has less than
    /// `size` bytes free.
    static void check_room(std::size_t size, const std::string& what) {
        const unsigned long long free = available();
        if (free < size) throw too_small(what, size, free, "");
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
        return map(fd, name, size, what);
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

    const char* data() const noexcept { return static_cast<const char*>(data_); }
    std::size_t size() const noexcept { return size_; }

private:
    shared_segment(void* data, std::size_t size) : data_(data), size_(size) {}

    // Read only on every rank: a dataset's columns are never written in place.
    static std::shared_ptr<shared_segment> map(int fd, const std::string& name, std::size_t size,
                                               const std::string& what) {
        void* p = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
        const int mapped_errno = errno;
        ::close(fd);
        if (p == MAP_FAILED) {
            errno = mapped_errno;
            fail("could not map the node's shared memory " + name + " (" + bytes_and_mib(size) + ") for " + what);
        }
        return std::shared_ptr<shared_segment>(new shared_segment(p, size));
    }

    static error too_small(const std::string& what, std::size_t size, unsigned long long free, const char* when) {
        return error(what + " needs " + bytes_and_mib(size) + " of the node's shared memory (" +
                     shared_memory_directory + "), but only " + bytes_and_mib(free) + " is free there" + when +
                     ": give the job a larger /dev/shm (docs/dataset.md), or read without node_shared");
    }

    [[noreturn]] static void fail(const std::string& what) { throw error(what + ": " + std::strerror(errno)); }

    void* data_;
    std::size_t size_;
};

}  // namespace baton::detail::csv
