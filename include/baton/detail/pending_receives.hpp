#pragma once
// Non-blocking receives on one communicator that have not matched a message yet, in the order
// they were posted. baton sizes every receive with a matched probe, so an irecv matches its
// message when it is tested or waited on. To keep MPI's rule that receives posted earlier match
// earlier messages, completing one receive first gives every earlier pending receive its chance
// to match. Each communicator has its own queue (comm_state.hpp): a receive on one never waits
// behind receives posted on another.

#include <mpi.h>

#include <atomic>
#include <functional>
#include <list>
#include <mutex>

#include <baton/detail/incoming.hpp>
#include <baton/detail/matching.hpp>

namespace baton::detail {

class pending_receives {
public:
    struct entry {
        MPI_Comm comm;
        int receiver;
        int source;
        int tag;
        std::function<void(incoming&)> complete;  // receives and decodes the matched message
        bool done = false;
    };
    using handle = std::list<entry>::iterator;

    handle post(entry e) {
        std::lock_guard<std::recursive_mutex> lock(mutex_);
        entries_.push_back(std::move(e));
        count_.fetch_add(1, std::memory_order_relaxed);
        return std::prev(entries_.end());
    }

    /// Tries to match `h` (and, before it, every earlier receive). Returns true once `h` has
    /// its message.
    bool progress(handle h) {
        std::lock_guard<std::recursive_mutex> lock(mutex_);
        for (auto it = entries_.begin();; ++it) {
            if (!it->done) {
                if (auto msg = match_now(it->comm, it->receiver, it->source, it->tag)) {
                    it->done = true;
                    it->complete(*msg);
                }
            }
            if (it == h) return h->done;
        }
    }

    void remove(handle h) {
        std::lock_guard<std::recursive_mutex> lock(mutex_);
        entries_.erase(h);
        count_.fetch_sub(1, std::memory_order_relaxed);
    }

    /// True if some receive is pending (cheap: blocking receives check it every time).
    bool any() const noexcept { return count_.load(std::memory_order_relaxed) != 0; }

private:
    std::recursive_mutex mutex_;
    std::list<entry> entries_;
    std::atomic<std::size_t> count_{0};
};

}  // namespace baton::detail
