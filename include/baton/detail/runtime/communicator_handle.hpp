#pragma once
// Who frees an MPI communicator. Copies of a basic_comm share one handle. A communicator that
// baton made (split, dup, split_shared) is freed when its last handle goes; those still alive
// when the environment ends are freed before MPI_Finalize, newest first. That order is the same
// on every rank, as MPI_Comm_free (collective) needs: ranks that share two communicators made
// them in the same order, or their creation would have deadlocked. Communicators that the
// program made itself (MPI_COMM_WORLD, an MPI_Comm it passes in) are never freed by baton.

#include <mpi.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <vector>

#include <baton/detail/runtime/abort.hpp>

namespace baton::detail {

class communicator_handle {
public:
    /// A communicator the program owns.
    static std::shared_ptr<communicator_handle> borrow(MPI_Comm comm) {
        return std::shared_ptr<communicator_handle>(new communicator_handle(comm, false));
    }
    /// A communicator baton made and frees (MPI_COMM_NULL gives the null communicator).
    static std::shared_ptr<communicator_handle> own(MPI_Comm comm) {
        std::shared_ptr<communicator_handle> h(new communicator_handle(comm, comm != MPI_COMM_NULL));
        if (h->owned_) registry().add(h.get());
        return h;
    }

    communicator_handle(const communicator_handle&) = delete;
    communicator_handle& operator=(const communicator_handle&) = delete;
    ~communicator_handle() {
        if (!owned_) return;
        registry().remove(this);
        free_now();
    }

    MPI_Comm get() const noexcept { return comm_; }

    /// Frees every communicator baton made that is still alive (the environment, before
    /// MPI_Finalize). Their handles then hold MPI_COMM_NULL.
    static void free_all() noexcept { registry().free_all(); }

private:
    communicator_handle(MPI_Comm comm, bool owned) : comm_(comm), owned_(owned) {}

    void free_now() noexcept {
        if (comm_ != MPI_COMM_NULL && mpi_running()) MPI_Comm_free(&comm_);
        comm_ = MPI_COMM_NULL;
    }

    class live_set {
    public:
        void add(communicator_handle* h) {
            std::lock_guard<std::mutex> lock(mutex_);
            live_.push_back(h);
        }
        void remove(communicator_handle* h) noexcept {
            std::lock_guard<std::mutex> lock(mutex_);
            live_.erase(std::remove(live_.begin(), live_.end(), h), live_.end());
        }
        void free_all() noexcept {
            std::lock_guard<std::mutex> lock(mutex_);
            for (auto it = live_.rbegin(); it != live_.rend(); ++it) (*it)->free_now();
            live_.clear();
        }

    private:
        std::mutex mutex_;
        std::vector<communicator_handle*> live_;  // in order of creation
    };
    static live_set& registry() {
        static live_set set;
        return set;
    }

    MPI_Comm comm_;
    bool owned_;
};

}  // namespace baton::detail
