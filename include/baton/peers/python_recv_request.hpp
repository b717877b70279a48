#pragma once
/// @file
/// baton::python_recv_request: a receive from a Python rank in flight (python_comm::irecv).

#include <mpi.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <utility>

#include <baton/detail/mpi/check.hpp>
#include <baton/detail/runtime/abort.hpp>
#include <baton/detail/runtime/back_off.hpp>
#include <baton/envelope.hpp>
#include <baton/peers/detail/pickled.hpp>

namespace baton {

/// @brief A receive from a Python rank in flight; wait() returns the value. It takes the
/// message when it has arrived (a matched probe, then the receive), so the pickle may have any
/// length. Destroying it while pending ends the job with a message saying so (unless an
/// exception is unwinding).
template <class T>
class python_recv_request {
public:
    python_recv_request() = default;
    /// (Made by python_comm::irecv.) `what` names the receive for errors.
    python_recv_request(MPI_Comm comm, int source, int tag, std::string what)
        : comm_(comm), source_(source), tag_(tag), what_(std::move(what)), live_(true) {}
    /// Takes over `other`'s receive; `other` is left empty.
    python_recv_request(python_recv_request&& other) noexcept { *this = std::move(other); }
    /// Takes over `other`'s receive (this one's must not be pending).
    python_recv_request& operator=(python_recv_request&& other) noexcept {
        if (this != &other) {
            abandon();
            comm_ = other.comm_;
            source_ = other.source_;
            tag_ = other.tag_;
            what_ = std::move(other.what_);
            live_ = std::exchange(other.live_, false);
            result_ = std::move(other.result_);
        }
        return *this;
    }
    ~python_recv_request() { abandon(); }

    /// True while the request has a value to hand out or a message to wait for.
    bool active() const noexcept { return live_ || result_.has_value(); }
    /// True once the message has been taken (then wait() returns at once).
    bool ready() {
        if (!live_) return true;
        int found = 0;
        MPI_Message msg = MPI_MESSAGE_NULL;
        MPI_Status status;
        detail::check_mpi(MPI_Improbe(source_, tag_, comm_, &found, &msg, &status), "MPI_Improbe");
        if (found == 0) return false;
        live_ = false;
        const std::size_t bytes = detail::peers::received_bytes(status);
        std::string data(bytes, '\0');
        detail::check_mpi(MPI_Mrecv(data.data(), static_cast<int>(bytes), MPI_BYTE, &msg, MPI_STATUS_IGNORE),
                          "MPI_Mrecv");
        result_.emplace(std::move(data), envelope{status.MPI_SOURCE, status.MPI_TAG, bytes});
        return true;
    }
    /// The value if the message has arrived, else empty. Throws its decoding error
    /// (type_mismatch, message_error). A value is handed out once.
    std::optional<T> test() {
        if (!ready()) return std::nullopt;
        return take().value;
    }
    /// Blocks until the message has arrived and returns it.
    T wait() { return wait_message().value; }
    /// As wait(), with the envelope.
    message<T> wait_message() {
        detail::poll_until([&] { return ready(); });
        return take();
    }

private:
    message<T> take() {
        auto [data, env] = std::move(*result_);
        result_.reset();
        return message<T>{detail::peers::from_pickle<T>(data, what_ + " (from rank " + std::to_string(env.source) +
                                                                  " tag " + std::to_string(env.tag) + ")"),
                          env};
    }

    void abandon() noexcept {
        if (!live_) return;
        live_ = false;
        if (std::uncaught_exceptions() > 0) return;
        detail::abort_job("a python_recv_request (" + what_ +
                          ") was destroyed before its message arrived; call wait() before it goes out of scope");
    }

    MPI_Comm comm_ = MPI_COMM_NULL;
    int source_ = MPI_ANY_SOURCE;
    int tag_ = MPI_ANY_TAG;
    std::string what_;
    bool live_ = false;
    std::optional<std::pair<std::string, envelope>> result_;
};

}  // namespace baton
