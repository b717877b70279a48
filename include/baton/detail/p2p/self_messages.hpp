#pragma once
// Messages a rank has sent to itself on one communicator and not yet received, by tag. A blocking
// receive from oneself is refused as a certain hang only when none is outstanding here and MPI
// shows none either: MPI_Iprobe alone is not enough, because a message a rank sends itself may
// reach its own receive queue only later (MPICH over libfabric's tcp provider routes it through
// the network), and refusing it then would be a false error.

#include <mpi.h>

#include <cstddef>
#include <map>
#include <mutex>

namespace baton::detail {

class self_messages {
public:
    void sent(int tag) {
        std::lock_guard<std::mutex> lock(mutex_);
        ++counts_[tag];
    }

    /// A message from this rank to itself was matched by a receive.
    void received(int tag) {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = counts_.find(tag);
        if (it == counts_.end()) return;  // sent by plain MPI, not through baton
        if (--it->second == 0) counts_.erase(it);
    }

    /// Whether a message to itself with `tag` (or any tag: MPI_ANY_TAG) is on its way.
    bool outstanding(int tag) const {
        std::lock_guard<std::mutex> lock(mutex_);
        if (tag != MPI_ANY_TAG) return counts_.count(tag) != 0;
        return !counts_.empty();
    }

private:
    mutable std::mutex mutex_;
    std::map<int, std::size_t> counts_;
};

}  // namespace baton::detail
