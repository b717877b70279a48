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
    ///
    /// Each receive is matched by a probe of its own, and a message may arrive between two of
    /// them, so a later receive could take a message an earlier one (probed a moment before it
    /// arrived) should have had. Two rules keep MPI's order where the receives' (source, tag)
    /// nest: a receive is not probed while an earlier pending one covers it (every message it
    /// could take, the earlier one could too), and a message found by a receive goes to the
    /// earliest pending receive it covers that the message matches (the message is the first
    /// from its source that matches the wider receive, so also the first that matches the
    /// narrower). Receives that overlap without nesting, (0, any tag) before (any source, 5),
    /// keep the order in which their probes find messages.
    bool progress(handle h) {
        std::lock_guard<std::recursive_mutex> lock(mutex_);
        for (auto it = entries_.begin();; ++it) {
            if (!it->done && !covered_by_earlier(it)) {
                if (auto msg = match_now(it->comm, it->receiver, it->source, it->tag)) {
                    auto to = it;
                    for (auto earlier = entries_.begin(); earlier != it; ++earlier) {
                        if (!earlier->done && covers(*it, *earlier) && accepts(*earlier, *msg)) {
                            to = earlier;
                            break;
                        }
                    }
                    to->done = true;
                    to->complete(*msg);
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
    /// Every message `narrow` can match, `wide` can match too.
    static bool covers(const entry& wide, const entry& narrow) noexcept {
        return wide.comm == narrow.comm && (wide.source == MPI_ANY_SOURCE || wide.source == narrow.source) &&
               (wide.tag == MPI_ANY_TAG || wide.tag == narrow.tag);
    }
    static bool accepts(const entry& e, const incoming& msg) noexcept {
        return (e.source == MPI_ANY_SOURCE || e.source == msg.source()) && (e.tag == MPI_ANY_TAG || e.tag == msg.tag());
    }
    bool covered_by_earlier(handle it) const {
        for (auto earlier = entries_.begin(); earlier != it; ++earlier) {
            if (!earlier->done && covers(*earlier, *it)) return true;
        }
        return false;
    }

    std::recursive_mutex mutex_;
    std::list<entry> entries_;
    std::atomic<std::size_t> count_{0};
};

}  // namespace baton::detail
