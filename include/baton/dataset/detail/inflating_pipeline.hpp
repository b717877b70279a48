#pragma once
// A compressed file inflated on a thread of its own while the reader parses what is inflated
// so far, so that a read with two threads takes about as long as inflating alone, not
// inflating and then parsing. The output goes into one reserved range of address space that
// never moves (the kernel backs its pages only as they are written), so the parser holds
// pointers into it while it fills. This thread never calls MPI.

#include <sys/mman.h>

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <new>
#include <string>
#include <string_view>
#include <thread>

#include <baton/dataset/detail/decompress.hpp>

namespace baton::detail::csv {

class inflating_pipeline {
public:
    enum class state { running, finished, failed };

    /// Starts inflating `data` (the file `path`). Throws std::bad_alloc where the address range
    /// cannot be reserved (a `ulimit -v`, strict overcommit): the caller then inflates the
    /// file whole, as without threads. `step`: the most inflated before the parser is told.
    inflating_pipeline(std::string path, std::string_view data, compression kind, std::size_t step)
        : path_(std::move(path)), data_(data), kind_(kind), step_(std::max<std::size_t>(step, 1)) {
        const std::size_t expected = expected_inflated_size(data, kind);
        // deflate expands at most 1032 times; zstd can go further, and then the output
        // overflows and the caller starts again with a buffer that grows.
        const std::size_t wide =
            std::min<std::size_t>(std::max(expected * 2, data.size() * 1032 + 4096), std::size_t{1} << 40);
        for (const std::size_t size : {wide, expected * 2}) {
            void* p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
            if (p == MAP_FAILED) continue;
            buffer_ = static_cast<char*>(p);
            capacity_ = size;
            break;
        }
        if (buffer_ == nullptr) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
        ::madvise(buffer_, capacity_, MADV_HUGEPAGE);  // 2 MiB faults instead of 4 KiB ones, where THP allows
#endif
        expected_ = expected;
        try {
            worker_ = std::thread([this] { run(); });
        } catch (...) {
            ::munmap(buffer_, capacity_);
            throw;
        }
    }
    inflating_pipeline(const inflating_pipeline&) = delete;
    inflating_pipeline& operator=(const inflating_pipeline&) = delete;
    ~inflating_pipeline() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            cancelled_ = true;
        }
        if (worker_.joinable()) worker_.join();
        ::munmap(buffer_, capacity_);
    }

    const char* data() const noexcept {
        return buffer_;
    }
    /// The size the file records for its contents (or a guess): for sizing columns.
    std::size_t expected_size() const noexcept {
        return expected_;
    }

    /// Blocks until at least `bytes` are inflated or inflating ended; returns how many are.
    std::size_t wait_for(std::size_t bytes) {
        std::unique_lock<std::mutex> lock(mutex_);
        ready_.wait(lock, [&] { return produced_ >= bytes || state_ != state::running; });
        return produced_;
    }

    state current() {
        std::lock_guard<std::mutex> lock(mutex_);
        return state_;
    }

    /// Waits for the end of inflating; true, with the inflated size, if it inflated the whole
    /// file. False if the file is truncated or corrupt, or its contents outgrew the reserved
    /// range: the caller then inflates it again as one thread does, which reports the error
    /// in the same words (zstd names a corruption by what it was writing into when it saw it).
    bool finish(std::size_t& size) {
        if (worker_.joinable()) worker_.join();
        size = produced_;
        return state_ == state::finished;
    }

private:
    struct out_of_room {};
    struct stopped {};

    /// What inflate_into writes through: the reserved range, which never grows.
    struct output {
        inflating_pipeline& owner;
        char* data() noexcept { return owner.buffer_; }
        std::size_t size() const noexcept { return owner.capacity_; }
        std::size_t step() const noexcept { return owner.step_; }
        void grow() { throw out_of_room{}; }
        void publish(std::size_t produced) {
            {
                std::lock_guard<std::mutex> lock(owner.mutex_);
                if (owner.cancelled_) throw stopped{};
                owner.produced_ = produced;
            }
            owner.ready_.notify_all();
        }
    };

    void run() noexcept {
        state end = state::finished;
        try {
            output out{*this};
            inflate_into(path_, data_, kind_, out);
        } catch (...) {  // truncated, corrupt, out of room, or the reader gone (stopped)
            end = state::failed;
        }
        {
            std::lock_guard<std::mutex> lock(mutex_);
            state_ = end;
        }
        ready_.notify_all();
    }

    std::string path_;
    std::string_view data_;
    compression kind_;
    std::size_t step_;
    char* buffer_ = nullptr;
    std::size_t capacity_ = 0;
    std::size_t expected_ = 0;
    std::mutex mutex_;
    std::condition_variable ready_;
    std::size_t produced_ = 0;
    state state_ = state::running;
    bool cancelled_ = false;
    std::thread worker_;
};

}  // namespace baton::detail::csv
