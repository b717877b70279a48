#pragma once
// Non-blocking collectives in flight on one communicator, in the order they were started.
// A collective whose lengths the other ranks do not know takes steps: the lengths first, then
// the data. MPI matches the collectives on a communicator in the order each rank starts them,
// but the program may wait on baton's requests in any order. So the first step starts with
// the call, on the program's communicator, and every later step starts on the communicator's
// private duplicate, in call order: a collective starts its next step only once every earlier
// one has started all of its steps. Each rank then starts the same steps in the same order,
// whichever request it waits on first.

#include <mpi.h>

#include <exception>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include <baton/detail/mpi/check.hpp>

namespace baton::detail {

class collective_op {
public:
    /// Starts one MPI operation, setting the request it is given (or leaves it null).
    using step = std::function<void(MPI_Request&)>;

    collective_op() = default;
    collective_op(const collective_op&) = delete;
    collective_op& operator=(const collective_op&) = delete;
    virtual ~collective_op() = default;

    /// Steps run in order, each once the previous one has completed; `finish` runs last.
    void add_step(step s) { steps_.push_back(std::move(s)); }
    void on_finish(std::function<void()> f) { finish_ = std::move(f); }

    /// Starts the first step (the one on the program's communicator).
    void start() { start_next(); }

    /// Completes what it can without blocking; starts a later step only if `may_start`.
    void advance(bool may_start) {
        while (!done_) {
            if (request_ != MPI_REQUEST_NULL) {
                int complete = 0;
                const int rc = MPI_Test(&request_, &complete, MPI_STATUS_IGNORE);
                if (rc != MPI_SUCCESS) return fail_with([&] { throw_mpi_error(rc, "MPI_Test"); });
                if (!complete) return;
            }
            if (next_ == steps_.size()) {
                if (finish_) fail_with(finish_);
                done_ = true;
                return;
            }
            if (!may_start) return;
            start_next();
        }
    }

    /// No step is left to start (later collectives may start theirs).
    bool all_started() const noexcept { return done_ || next_ == steps_.size(); }
    bool done() const noexcept { return done_; }
    /// What went wrong (a step or the decoding threw); rethrown by the request's wait().
    std::exception_ptr error() const noexcept { return error_; }

private:
    void start_next() {
        auto& s = steps_[next_++];
        fail_with([&] { s(request_); });
    }
    template <class F>
    void fail_with(F&& f) {
        try {
            f();
        } catch (...) {
            // Every rank sees the same lengths, so every rank stops at the same step.
            error_ = std::current_exception();
            done_ = true;
            next_ = steps_.size();
        }
    }

    std::vector<step> steps_;
    std::function<void()> finish_;
    std::size_t next_ = 0;
    MPI_Request request_ = MPI_REQUEST_NULL;
    bool done_ = false;
    std::exception_ptr error_;
};

class collective_queue {
public:
    /// Starts `op`'s first step and queues it behind the collectives already in flight.
    void start(const std::shared_ptr<collective_op>& op) {
        std::lock_guard<std::recursive_mutex> lock(mutex_);
        op->start();
        if (!op->done()) ops_.push_back(op);
    }

    /// Advances the collectives in order up to `target`; true once `target` is done.
    bool progress(const collective_op* target) {
        std::lock_guard<std::recursive_mutex> lock(mutex_);
        bool may_start = true;
        for (auto it = ops_.begin(); it != ops_.end();) {
            collective_op& op = **it;
            op.advance(may_start);
            may_start = may_start && op.all_started();
            const bool reached = &op == target;
            it = op.done() ? ops_.erase(it) : std::next(it);
            if (reached) break;
        }
        return target->done();
    }

private:
    std::recursive_mutex mutex_;
    std::list<std::shared_ptr<collective_op>> ops_;
};

}  // namespace baton::detail
