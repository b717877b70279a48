#pragma once
// What baton keeps for each MPI communicator: the receives posted with irecv and not yet
// matched, the messages this rank sent itself, the sends nobody waits for, the non-blocking
// collectives in flight, the length its length-checked reductions agreed on last, and private
// duplicates for baton's own traffic: one for non-blocking collectives' data and the bodies of
// header messages, one for the pieces of gathers to one root. It hangs on the MPI communicator
// as an attribute, so every basic_comm over the same communicator (copies, or two built
// separately on MPI_COMM_WORLD) shares it, and MPI deletes it when the communicator is freed:
// a handle value that MPI hands out again after a free starts with fresh state.

#include <mpi.h>

#include <memory>
#include <mutex>

#include <baton/detail/mpi/check.hpp>
#include <baton/detail/p2p/detached_sends.hpp>
#include <baton/detail/p2p/pending_receives.hpp>
#include <baton/detail/p2p/self_messages.hpp>
#include <baton/detail/state/collective_queue.hpp>
#include <baton/detail/state/reduction_blocks.hpp>

namespace baton::detail {

class comm_state {
public:
    pending_receives receives;
    self_messages sent_to_self;
    detached_sends detached;
    collective_queue collectives;
    reduction_blocks reductions;

    comm_state() = default;
    comm_state(const comm_state&) = delete;
    comm_state& operator=(const comm_state&) = delete;

    /// The state of `comm`, attached to it on first use.
    static std::shared_ptr<comm_state> of(MPI_Comm comm) {
        std::lock_guard<std::mutex> lock(attach_mutex());
        void* value = nullptr;
        int found = 0;
        check_mpi(MPI_Comm_get_attr(comm, key(), &value, &found), "MPI_Comm_get_attr");
        if (found) return *static_cast<std::shared_ptr<comm_state>*>(value);
        auto* holder = new std::shared_ptr<comm_state>(std::make_shared<comm_state>());
        const int rc = MPI_Comm_set_attr(comm, key(), holder);
        if (rc != MPI_SUCCESS) {
            delete holder;
            throw_mpi_error(rc, "MPI_Comm_set_attr");
        }
        return *holder;
    }

    /// Lets go of the state of a communicator baton never frees (MPI_COMM_WORLD, MPI_COMM_SELF):
    /// called before MPI_Finalize, so that its private duplicate is freed while MPI runs.
    static void release(MPI_Comm comm) noexcept {
        std::lock_guard<std::mutex> lock(attach_mutex());
        if (keyval() == MPI_KEYVAL_INVALID) return;
        void* value = nullptr;
        int found = 0;
        if (MPI_Comm_get_attr(comm, keyval(), &value, &found) == MPI_SUCCESS && found) {
            MPI_Comm_delete_attr(comm, keyval());
        }
    }

    /// The private duplicate of `parent` (this state's communicator), made at the first call;
    /// that call must be collective over `parent` (every rank makes it at the same point).
    MPI_Comm internal(MPI_Comm parent) { return duplicate_once(internal_, parent); }

    /// The private duplicate that gathers to one root send their pieces on as messages, made
    /// at the first such gather (collective over `parent`, like internal()). A duplicate of its
    /// own: bodies of header messages take the program's own tags on internal(), so a piece sent
    /// there with any tag could meet a body.
    MPI_Comm gathers(MPI_Comm parent) { return duplicate_once(gathers_, parent); }

    /// Makes the private duplicate now and lets point-to-point bodies travel on it (see
    /// wire/header_message.hpp). Collective over `parent`: called where every rank is known to
    /// be, when the environment starts (MPI_COMM_WORLD) and when baton makes a communicator.
    /// A communicator the program passes in never gets one (a rank may wrap it alone), so its
    /// messages keep their header in front of the payload.
    void open_body_channel(MPI_Comm parent) {
        const MPI_Comm channel = internal(parent);
        std::lock_guard<std::mutex> lock(internal_mutex_);
        bodies_ = channel;
    }

    /// The communicator that bodies of header messages travel on, or MPI_COMM_NULL if this
    /// communicator has none (then every message carries its payload).
    MPI_Comm bodies() noexcept {
        std::lock_guard<std::mutex> lock(internal_mutex_);
        return bodies_;
    }

    /// Sends started on communicators that have since been freed: MPI still completes them, so
    /// their bytes stay here until it has.
    static detached_sends& orphaned_sends() {
        static detached_sends sends;
        return sends;
    }

private:
    static std::mutex& attach_mutex() {
        static std::mutex mutex;
        return mutex;
    }
    static int& keyval() {
        static int value = MPI_KEYVAL_INVALID;
        return value;
    }
    static int key() {
        if (keyval() == MPI_KEYVAL_INVALID) {
            check_mpi(MPI_Comm_create_keyval(MPI_COMM_NULL_COPY_FN, &on_free, &keyval(), nullptr),
                      "MPI_Comm_create_keyval");
        }
        return keyval();
    }

    /// MPI's delete callback: the communicator is being freed (or its state released).
    static int on_free(MPI_Comm, int, void* value, void*) {
        auto* holder = static_cast<std::shared_ptr<comm_state>*>(value);
        (*holder)->detached.hand_over_to(orphaned_sends());
        (*holder)->free_internal();
        (*holder)->reductions.free_type();
        delete holder;
        return MPI_SUCCESS;
    }

    MPI_Comm duplicate_once(MPI_Comm& slot, MPI_Comm parent) {
        std::lock_guard<std::mutex> lock(internal_mutex_);
        if (slot == MPI_COMM_NULL) {
            check_mpi(MPI_Comm_dup(parent, &slot), "MPI_Comm_dup");
            check_mpi(MPI_Comm_set_errhandler(slot, MPI_ERRORS_RETURN), "MPI_Comm_set_errhandler");
        }
        return slot;
    }

    void free_internal() noexcept {
        std::lock_guard<std::mutex> lock(internal_mutex_);
        if (internal_ != MPI_COMM_NULL) MPI_Comm_free(&internal_);
        if (gathers_ != MPI_COMM_NULL) MPI_Comm_free(&gathers_);
        bodies_ = MPI_COMM_NULL;
    }

    std::mutex internal_mutex_;
    MPI_Comm internal_ = MPI_COMM_NULL;
    MPI_Comm bodies_ = MPI_COMM_NULL;  // internal_ once open_body_channel ran
    MPI_Comm gathers_ = MPI_COMM_NULL;
};

}  // namespace baton::detail
