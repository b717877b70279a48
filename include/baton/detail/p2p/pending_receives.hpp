#pragma once
// Non-blocking receives on one communicator that have not matched a message yet, in the order
// they were posted. baton sizes every receive with a matched probe, so an irecv matches its
// message when it is tested or waited on. To keep MPI's rule that receives posted earlier match
// earlier messages, completing one receive first gives every earlier pending receive its chance
// to match. Each communicator has its own queue (state/comm_state.hpp): a receive on one never waits
// behind receives posted on another.

#include <mpi.h>

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <mutex>
#include <unordered_map>

#include <baton/detail/p2p/incoming.hpp>
#include <baton/detail/p2p/matching.hpp>

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
        std::uint64_t order = 0;  // position in posting order (set by post)
    };
    using handle = std::list<entry>::iterator;

    handle post(entry e) {
        std::lock_guard<std::recursive_mutex> lock(mutex_);
        e.order = next_order_++;
        entries_.push_back(std::move(e));
        const handle h = std::prev(entries_.end());
        waiting_[key_of(*h)].emplace(h->order, h);
        count_.fetch_add(1, std::memory_order_relaxed);
        return h;
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
    ///
    /// Both rules look receives up by their (source, tag) in `waiting_`, so a sweep costs one
    /// probe and a few look-ups per pending receive, not a scan of every earlier one.
    bool progress(handle h) {
        std::lock_guard<std::recursive_mutex> lock(mutex_);
        if (h->done) return true;
        for (auto it = entries_.begin();; ++it) {
            try_to_match(it);
            if (it == h) return h->done;
        }
    }

    /// Gives every pending receive its chance to match, in posting order: one pass for a
    /// wait over many receives, where progress() on each would probe the earlier ones again.
    void sweep() {
        std::lock_guard<std::recursive_mutex> lock(mutex_);
        for (auto it = entries_.begin(); it != entries_.end(); ++it) try_to_match(it);
    }

    /// Whether `h` has its message, without looking for one.
    bool matched(handle h) {
        std::lock_guard<std::recursive_mutex> lock(mutex_);
        return h->done;
    }

    void remove(handle h) {
        std::lock_guard<std::recursive_mutex> lock(mutex_);
        if (!h->done) stop_waiting(h);
        entries_.erase(h);
        count_.fetch_sub(1, std::memory_order_relaxed);
    }

    /// True if some receive is pending (cheap: blocking receives check it every time).
    bool any() const noexcept { return count_.load(std::memory_order_relaxed) != 0; }

private:
    void try_to_match(handle it) {
        if (it->done || covered_by_earlier(*it)) return;
        if (auto msg = match_now(it->comm, it->receiver, it->source, it->tag)) {
            const handle to = earliest_covered_match(*it, *msg);
            finish(to != entries_.end() ? to : it, *msg);
        }
    }

    /// A receive's (communicator, source, tag), wildcards included as MPI spells them.
    struct key {
        MPI_Comm comm;
        int source;
        int tag;
        bool operator==(const key& o) const noexcept { return comm == o.comm && source == o.source && tag == o.tag; }
    };
    struct key_hash {
        std::size_t operator()(const key& k) const noexcept {
            const std::size_t pair = (static_cast<std::size_t>(static_cast<unsigned>(k.source)) << 32) ^
                                     static_cast<std::size_t>(static_cast<unsigned>(k.tag));
            return std::hash<MPI_Comm>{}(k.comm) * 31 + std::hash<std::size_t>{}(pair);
        }
    };
    static key key_of(const entry& e) noexcept { return {e.comm, e.source, e.tag}; }

    /// Every message `narrow` can match, `wide` can match too.
    static bool covers(const key& wide, const key& narrow) noexcept {
        return wide.comm == narrow.comm && (wide.source == MPI_ANY_SOURCE || wide.source == narrow.source) &&
               (wide.tag == MPI_ANY_TAG || wide.tag == narrow.tag);
    }

    /// `source` and `tag`, each as itself or as a wildcard: the keys of the receives that cover
    /// a receive of (source, tag), and of the receives that match a message from `source` with
    /// `tag`.
    static std::array<key, 4> keys_around(MPI_Comm comm, int source, int tag) noexcept {
        return {key{comm, source, tag}, key{comm, source, MPI_ANY_TAG}, key{comm, MPI_ANY_SOURCE, tag},
                key{comm, MPI_ANY_SOURCE, MPI_ANY_TAG}};
    }

    /// The earliest pending receive with key `k` posted before `order`, or entries_.end().
    handle earliest_before(const key& k, std::uint64_t order) {
        const auto found = waiting_.find(k);
        if (found == waiting_.end()) return entries_.end();
        const auto& by_order = found->second;
        if (by_order.empty() || by_order.begin()->first >= order) return entries_.end();
        return by_order.begin()->second;
    }

    /// Whether a pending receive posted before `e` covers it.
    bool covered_by_earlier(const entry& e) {
        for (const key& k : keys_around(e.comm, e.source, e.tag)) {
            if (earliest_before(k, e.order) != entries_.end()) return true;
        }
        return false;
    }

    /// The earliest pending receive posted before `wide` that `wide` covers and `msg` matches,
    /// or entries_.end().
    handle earliest_covered_match(const entry& wide, const incoming& msg) {
        handle best = entries_.end();
        for (const key& k : keys_around(wide.comm, msg.source(), msg.tag())) {
            if (!covers(key_of(wide), k)) continue;
            const handle candidate = earliest_before(k, wide.order);
            if (candidate != entries_.end() && (best == entries_.end() || candidate->order < best->order)) {
                best = candidate;
            }
        }
        return best;
    }

    void finish(handle to, incoming& msg) {
        to->done = true;
        stop_waiting(to);
        to->complete(msg);
    }

    void stop_waiting(handle h) {
        const auto found = waiting_.find(key_of(*h));
        found->second.erase(h->order);
        if (found->second.empty()) waiting_.erase(found);
    }

    std::recursive_mutex mutex_;
    std::list<entry> entries_;
    /// The receives not matched yet, by key, in posting order.
    std::unordered_map<key, std::map<std::uint64_t, handle>, key_hash> waiting_;
    std::uint64_t next_order_ = 0;
    std::atomic<std::size_t> count_{0};
};

}  // namespace baton::detail
