#pragma once
/// @file
/// baton::collective_request<T>: a non-blocking collective in flight (basic_comm::ibarrier,
/// ibroadcast, iall_reduce, iall_gather).

#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include <baton/detail/collectives/nonblocking.hpp>
#include <baton/detail/runtime/abort.hpp>
#include <baton/detail/runtime/communicator_handle.hpp>
#include <baton/detail/runtime/watchdog.hpp>
#include <baton/detail/state/comm_state.hpp>
#include <baton/request.hpp>

namespace baton {

/// @brief A collective in flight; wait() returns its result (nothing for ibarrier). It owns
/// every buffer the collective uses, so the value passed in may be a temporary. Several may be
/// outstanding on one communicator, and each rank may wait on (or test) them in any order.
/// Destroying one while it is pending ends the job with a message saying so (unless an
/// exception is unwinding: then the collective completes in the background).
template <class T>
class collective_request {
public:
    /// What test() returns: the result once it is there (true for ibarrier).
    using test_result = std::conditional_t<std::is_void_v<T>, bool, std::optional<T>>;

    collective_request() = default;
    /// (Made by basic_comm.)
    collective_request(std::shared_ptr<detail::communicator_handle> owner, std::shared_ptr<detail::comm_state> comm,
                       std::shared_ptr<detail::collective_result<T>> op, std::string what)
        : owner_(std::move(owner)), comm_(std::move(comm)), op_(std::move(op)), what_(std::move(what)) {}
    /// Takes over `other`'s collective; `other` is left empty.
    collective_request(collective_request&& other) noexcept { *this = std::move(other); }
    /// Takes over `other`'s collective (this one's must not be pending).
    collective_request& operator=(collective_request&& other) noexcept {
        if (this != &other) {
            abandon();
            owner_ = std::move(other.owner_);
            comm_ = std::move(other.comm_);
            op_ = std::move(other.op_);
            what_ = std::move(other.what_);
            taken_ = std::exchange(other.taken_, false);
        }
        return *this;
    }
    ~collective_request() { abandon(); }

    /// False once the result was handed out, and for a default-constructed request.
    bool active() const noexcept { return op_ != nullptr && !taken_; }

    /// True once the collective has completed on this rank (then wait() returns at once).
    bool ready() { return op_ == nullptr || comm_->collectives.progress(op_.get()); }

    /// The result if the collective has completed, else empty (false for ibarrier). Rethrows
    /// the collective's error. A result is handed out once.
    test_result test() {
        if constexpr (std::is_void_v<T>) {
            if (!ready()) return false;
            take();
            return true;
        } else {
            if (!ready()) return std::nullopt;
            return take();
        }
    }

    /// Blocks until the collective has completed on this rank; returns its result.
    T wait() {
        wait_ready();
        return take();
    }
    /// Blocks until the collective has completed; the result stays in the request.
    void wait_ready() {
        const detail::waiting w([&] { return "wait for " + detail::without_own_rank(what_); });
        detail::poll_until([&] { return ready(); });
    }

private:
    T take() {
        if (taken_) throw usage_error(what_ + ": the result was already taken");
        taken_ = true;
        if (op_->error()) std::rethrow_exception(op_->error());
        if constexpr (!std::is_void_v<T>) return std::move(op_->value);
    }

    void abandon() noexcept {
        if (op_ == nullptr || op_->done()) return;
        if (std::uncaught_exceptions() > 0) return;  // the queue keeps the operation until it completes
        detail::abort_job("a collective_request (" + what_ +
                          ") was destroyed before the collective completed; call wait() before it goes out of scope");
    }

    std::shared_ptr<detail::communicator_handle> owner_;  // keeps the communicator alive
    std::shared_ptr<detail::comm_state> comm_;
    std::shared_ptr<detail::collective_result<T>> op_;
    std::string what_;
    bool taken_ = false;
};

}  // namespace baton
