#pragma once
// Messages a rank has sent to itself and not yet received, by communicator and tag. A blocking
// receive from oneself is refused as a certain hang only when none is outstanding here and MPI
// shows none either: MPI_Iprobe alone is not enough, because a message a rank sends itself may
// reach its own receive queue only later (MPICH over libfabric's tcp provider routes it through
// the network), and refusing it then would be a false error.

#include <mpi.h>

#include <climits>
#include <cstddef>
#include <map>
#include <mutex>
#include <utility>

namespace baton::detail {

class self_messages {
public:
    static self_messages& instance() {
        static self_messages registry;
        return registry;
    }

    void sent(MPI_Comm comm, int tag) {
        std::lock_guard<std::mutex> lock(mutex_);
        ++counts_[{comm, tag}];
    }

    /// A message from this rank to itself was matched by a receive.
    void received(MPI_Comm comm, int tag) {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = counts_.find({comm, tag});
        if (it == counts_.end()) return;  // sent by plain MPI, not through baton
        if (--it->second == 0) counts_.erase(it);
    }

    /// Whether a message to itself on `comm` with `tag` (or any tag: MPI_ANY_TAG) is on its way.
    bool outstanding(MPI_Comm comm, int tag) const {
        std::lock_guard<std::mutex> lock(mutex_);
        if (tag != MPI_ANY_TAG) return counts_.count({comm, tag}) != 0;
        auto it = counts_.lower_bound({comm, INT_MIN});
        return it != counts_.end() && !(comm < it->first.first) && !(it->first.first < comm);
    }

private:
    mutable std::mutex mutex_;
    std::map<std::pair<MPI_Comm, int>, std::size_t> counts_;
};

}  // namespace baton::detail
