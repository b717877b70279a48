#pragma once
/// @file
/// Requests of non-blocking sends and receives (basic_comm::isend, basic_comm::irecv), and
/// waiting on several of them.

#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <exception>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <baton/detail/byte_buffer.hpp>
#include <baton/detail/mpi/check.hpp>
#include <baton/detail/p2p/pending_receives.hpp>
#include <baton/detail/p2p/posted_send.hpp>
#include <baton/detail/runtime/abort.hpp>
#include <baton/detail/runtime/back_off.hpp>
#include <baton/detail/runtime/communicator_handle.hpp>
#include <baton/detail/runtime/watchdog.hpp>
#include <baton/detail/state/comm_state.hpp>
#include <baton/envelope.hpp>
#include <baton/error.hpp>

namespace baton {

/// @brief A send in flight. It owns a copy of what it sends, so the value passed to isend
/// (a temporary too) may go away at once. Call wait() (or test() until true) before it is
/// destroyed; destroying it while pending ends the job with a message saying so.
class send_request {
public:
    send_request() = default;
    /// (Made by basic_comm::isend.)
    send_request(detail::byte_buffer bytes, detail::posted_send sent, std::string what,
                 std::shared_ptr<detail::comm_state> comm)
        : state_(std::make_unique<state>(state{std::move(bytes), sent, std::move(what), std::move(comm)})) {}
    /// Takes over another request's send.
    send_request(send_request&&) noexcept = default;
    /// Takes over `other`'s send (this one's must not be pending).
    send_request& operator=(send_request&& other) noexcept {
        if (this != &other) {
            abandon();
            state_ = std::move(other.state_);
        }
        return *this;
    }
    ~send_request() { abandon(); }

    /// True once the send has completed (the data left or was received).
    bool test() {
        if (!pending()) return true;
        return state_->sent.test();
    }
    /// Blocks until the send has completed.
    void wait() {
        if (!pending()) return;
        const detail::waiting w([&] { return "wait for " + detail::without_own_rank(state_->what); });
        state_->sent.wait();
    }
    /// True while the send has not been seen to complete.
    bool pending() const noexcept { return state_ && state_->sent.pending(); }
    /// The same as wait() (for wait_all).
    void wait_ready() { wait(); }

private:
    struct state {
        detail::byte_buffer bytes;
        detail::posted_send sent;
        std::string what;
        std::shared_ptr<detail::comm_state> comm;
    };

    void abandon() noexcept {
        if (!pending() || state_->sent.test_noexcept()) return;
        if (std::uncaught_exceptions() > 0) {
            // Unwinding from another error: keep the bytes until MPI is done with them.
            state_->comm->detached.adopt(std::move(state_->bytes), state_->sent);
            return;
        }
        detail::abort_job("a send_request (" + state_->what +
                          ") was destroyed while the send was still pending; "
                          "call wait() before it goes out of scope");
    }

    std::unique_ptr<state> state_;
};

namespace detail {
/// What a receive in flight fills in when its message is matched.
template <class T>
struct recv_state {
    message<T> result{};
    std::exception_ptr error;  // a decoding error (type_mismatch, message_error, ...)
};
}  // namespace detail

/// @brief A receive in flight; wait() returns the value. Destroying it while pending ends the
/// job with a message saying so (unless an exception is unwinding, which cancels it).
template <class T>
class recv_request {
public:
    recv_request() = default;
    /// (Made by basic_comm::irecv.)
    recv_request(std::shared_ptr<detail::communicator_handle> owner, std::shared_ptr<detail::comm_state> comm,
                 detail::pending_receives::handle h, std::shared_ptr<detail::recv_state<T>> state, std::string what)
        : owner_(std::move(owner)),
          comm_(std::move(comm)),
          handle_(h),
          state_(std::move(state)),
          what_(std::move(what)),
          live_(true) {}
    /// Takes over `other`'s receive; `other` is left empty.
    recv_request(recv_request&& other) noexcept { *this = std::move(other); }
    /// Takes over `other`'s receive (this one's must not be pending).
    recv_request& operator=(recv_request&& other) noexcept {
        if (this != &other) {
            abandon();
            owner_ = std::move(other.owner_);
            comm_ = std::move(other.comm_);
            handle_ = other.handle_;
            state_ = std::move(other.state_);
            what_ = std::move(other.what_);
            live_ = std::exchange(other.live_, false);
            taken_ = std::exchange(other.taken_, false);
        }
        return *this;
    }
    ~recv_request() { abandon(); }

    /// False once wait(), wait_message() or test() has handed out the value, and for a
    /// default-constructed request; wait_any skips such requests, as MPI_Waitany skips
    /// inactive ones.
    bool active() const noexcept { return state_ != nullptr && !taken_; }

    /// True once the message has been received (then wait() returns at once).
    bool ready() {
        if (live_ && comm_->receives.progress(handle_)) settle();
        return !live_;
    }
    /// The value if the message has arrived, else empty. Rethrows this receive's decoding
    /// error (type_mismatch, message_error). A value is handed out once.
    std::optional<T> test() {
        if (!ready()) return std::nullopt;
        return take().value;
    }
    /// Blocks until the message has arrived and returns it.
    T wait() { return wait_message().value; }
    /// As wait(), with the envelope.
    message<T> wait_message() {
        wait_ready();
        return take();
    }
    /// Blocks until the message has arrived; the value stays in the request.
    void wait_ready() {
        const detail::waiting w([&] { return "wait for " + detail::without_own_rank(what_); });
        detail::poll_until([&] { return ready(); });
    }

private:
    template <class U>
    friend std::size_t wait_any(std::vector<recv_request<U>>& requests);

    /// The pending receives this request waits in, while it waits.
    detail::comm_state* queue() const noexcept { return live_ ? comm_.get() : nullptr; }
    /// As ready(), without looking for messages (wait_any has swept the queue).
    bool settled() {
        if (live_ && comm_->receives.matched(handle_)) settle();
        return !live_;
    }
    void settle() {
        comm_->receives.remove(handle_);
        live_ = false;
    }

    message<T> take() {
        taken_ = true;
        if (state_->error) std::rethrow_exception(std::exchange(state_->error, nullptr));
        return std::move(state_->result);
    }

    void abandon() noexcept {
        if (!live_) return;
        comm_->receives.remove(handle_);
        live_ = false;
        if (std::uncaught_exceptions() > 0) return;
        detail::abort_job("a recv_request (" + what_ +
                          ") was destroyed before its message arrived; "
                          "call wait() before it goes out of scope");
    }

    std::shared_ptr<detail::communicator_handle> owner_;  // keeps the communicator alive
    std::shared_ptr<detail::comm_state> comm_;
    detail::pending_receives::handle handle_{};
    std::shared_ptr<detail::recv_state<T>> state_;
    std::string what_;
    bool live_ = false;
    bool taken_ = false;  // the value was handed out
};

/// @brief Waits for every request (sends, receives, collectives; results stay in their
/// requests).
template <class... Requests>
void wait_all(Requests&... requests) {
    (requests.wait_ready(), ...);
}

/// @brief Waits for all requests in a range (e.g. a std::vector<send_request>).
template <class Range>
auto wait_all(Range& requests) -> decltype(std::begin(requests), void()) {
    for (auto& r : requests) r.wait_ready();
}

/// @brief Waits until one of the active receive requests has its message; returns its index.
/// A request whose value was already handed out is skipped (see recv_request::active).
/// Throws usage_error when no request is active.
template <class T>
std::size_t wait_any(std::vector<recv_request<T>>& requests) {
    if (std::none_of(requests.begin(), requests.end(), [](const recv_request<T>& r) { return r.active(); })) {
        throw usage_error("wait_any: no active requests to wait for (" + std::to_string(requests.size()) +
                          " given, every value already taken)");
    }
    std::size_t ready_index = 0;
    std::vector<detail::comm_state*> queues;
    detail::poll_until([&] {
        // One pass over each communicator's pending receives, then a look at each request:
        // ready() on each in turn would probe for every earlier receive again.
        queues.clear();
        for (auto& r : requests) {
            detail::comm_state* queue = r.active() ? r.queue() : nullptr;
            if (queue == nullptr || std::find(queues.begin(), queues.end(), queue) != queues.end()) continue;
            queue->receives.sweep();
            queues.push_back(queue);
        }
        for (ready_index = 0; ready_index < requests.size(); ++ready_index) {
            if (requests[ready_index].active() && requests[ready_index].settled()) return true;
        }
        return false;
    });
    return ready_index;
}

}  // namespace baton
