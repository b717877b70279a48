#pragma once
// Sends a rank addresses to itself. A blocking MPI_Send to oneself deadlocks once the
// message is too large to be buffered eagerly (no receive can be posted while the send
// blocks). baton instead copies such a message and starts it with MPI_Isend; the copy is
// kept here until MPI reports the send complete, which happens when the rank receives it.

#include <mpi.h>

#include <atomic>
#include <list>
#include <mutex>
#include <vector>

#include "mpi_check.hpp"

namespace baton::detail {

class self_sends {
public:
    struct pending {
        std::vector<char> bytes;
        MPI_Request request = MPI_REQUEST_NULL;
    };

    static self_sends& instance() {
        static self_sends queue;
        return queue;
    }

    /// A slot whose `bytes` the caller fills and whose `request` it starts.
    pending& add() {
        std::lock_guard<std::mutex> lock(mutex_);
        reap_locked();
        size_.fetch_add(1, std::memory_order_relaxed);
        return pending_.emplace_back();
    }

    /// Frees the copies of sends that have completed.
    void reap() {
        std::lock_guard<std::mutex> lock(mutex_);
        reap_locked();
    }

    bool empty() const noexcept { return size_.load(std::memory_order_relaxed) == 0; }

private:
    void reap_locked() {
        for (auto it = pending_.begin(); it != pending_.end();) {
            int done = 0;
            if (it->request == MPI_REQUEST_NULL) {
                done = 1;
            } else {
                check_mpi(MPI_Test(&it->request, &done, MPI_STATUS_IGNORE), "MPI_Test");
            }
            if (done) {
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
