#pragma once
// Sends that baton started on one communicator and no caller waits for, with the bytes they
// send from, kept until MPI reports them complete. Used for sends a rank addresses to itself (a blocking
// MPI_Send to oneself deadlocks once the message is too large to be buffered eagerly: no
// receive can be posted while the send blocks), and for the send half of a sendrecv whose
// receive failed.

#include <mpi.h>

#include <atomic>
#include <list>
#include <mutex>

#include <baton/detail/byte_buffer.hpp>
#include <baton/detail/mpi/check.hpp>
#include <baton/detail/p2p/posted_send.hpp>

namespace baton::detail {

class detached_sends {
public:
    struct pending {
        byte_buffer bytes;
        posted_send sent;
    };

    /// Keeps `bytes` alive until `sent` completes. (The send starts from a buffer of the
    /// caller's that moves in here whole: moving a vector keeps its memory where it is.)
    void adopt(byte_buffer&& bytes, posted_send sent) {
        std::lock_guard<std::mutex> lock(mutex_);
        reap_locked();
        pending_.push_back(pending{std::move(bytes), sent});
        size_.fetch_add(1, std::memory_order_relaxed);
    }

    /// Frees the copies of sends that have completed.
    void reap() {
        std::lock_guard<std::mutex> lock(mutex_);
        reap_locked();
    }

    bool empty() const noexcept { return size_.load(std::memory_order_relaxed) == 0; }

    /// Moves every send still in flight into `other` (when this communicator is freed: MPI
    /// completes its pending sends, and their bytes must stay until then).
    void hand_over_to(detached_sends& other) {
        std::lock_guard<std::mutex> lock(mutex_);
        reap_locked();
        for (auto& p : pending_) other.adopt(std::move(p.bytes), p.sent);
        pending_.clear();
        size_.store(0, std::memory_order_relaxed);
    }

private:
    void reap_locked() {
        for (auto it = pending_.begin(); it != pending_.end();) {
            if (it->sent.test()) {
                it = pending_.erase(it);
                size_.fetch_sub(1, std::memory_order_relaxed);
            } else {
                ++it;
            }
        }
    }

    std::mutex mutex_;
    std::list<pending> pending_;
    std::atomic<std::size_t> size_{0};
};

}  // namespace baton::detail
