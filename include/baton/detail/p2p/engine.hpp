#pragma once
// The point-to-point calls behind basic_comm: sends (to oneself without blocking), the three
// ways a receive finds its message (behind earlier irecvs, whole without a probe, by a matched
// probe; or polling until a deadline), sendrecv, isend, irecv's completion, and probes. The
// Wire decides how a payload travels; this decides when and from where.

#include <mpi.h>

#include <chrono>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <baton/detail/byte_buffer.hpp>
#include <baton/detail/codec/payload_traits.hpp>
#include <baton/detail/mpi/check.hpp>
#include <baton/detail/p2p/incoming.hpp>
#include <baton/detail/p2p/matching.hpp>
#include <baton/detail/p2p/posted_send.hpp>
#include <baton/detail/state/comm_core.hpp>
#include <baton/envelope.hpp>
#include <baton/error.hpp>
#include <baton/request.hpp>
#include <baton/tag.hpp>
#include <baton/type_name.hpp>

namespace baton::detail {

template <class Wire>
struct p2p_engine {
    template <class T, class V>
    static void send(const comm_core& c, int dest, int t, const V& value) {
        c.check_send(dest, t);
        auto& self = c.state->detached;
        if (dest == c.rank) {
            // Never blocks: a rank cannot receive while its own blocking send waits.
            byte_buffer bytes;
            const posted_send sent = post_send<T>(c, dest, t, value, bytes);
            self.adopt(std::move(bytes), sent);
            return;
        }
        if (!self.empty()) self.reap();
        Wire::template send<T>(c.native, c.bodies, dest, t, value);
    }

    template <class T>
    static envelope recv_into(const comm_core& c, int source, tag<T> t, T& out) {
        c.check_receive(source, t.number);
        if (c.state->receives.any()) {
            // Earlier irecvs must match first (MPI's order): queue behind them.
            auto m = irecv(c, source, t).wait_message();
            out = std::move(m.value);
            return m.envelope;
        }
        if constexpr (Wire::type_checked && receive_without_probe) {
            if (c.bodies != MPI_COMM_NULL && may_receive_whole(source, c.rank)) {
                incoming msg = receive_whole(c.native, c.rank, source, t.number, Wire::longest_whole_message,
                                             [] { return type_name<T>(); });
                return finish(c, msg, out);
            }
        }
        // Otherwise a matched probe first, even when T's size is known: receiving straight into a
        // buffer of that size would rely on MPI truncating a larger message safely, and Open MPI
        // 4.1 writes past the buffer instead (config.hpp, BATON_RECEIVE_WITHOUT_PROBE).
        incoming msg = match_blocking(c.native, c.rank, source, t.number);
        return finish(c, msg, out);
    }

    template <class T, class Rep, class Period>
    static envelope recv_into(const comm_core& c, int source, tag<T> t, T& out,
                              std::chrono::duration<Rep, Period> timeout) {
        c.check_receive(source, t.number, true);
        const auto deadline =
            std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(timeout);
        auto msg = match_until(c.native, c.rank, source, t.number, deadline);
        if (!msg) {
            throw timeout_error(c.me() + ": no message " + comm_core::describe_route(source, t.number) + " (expected " +
                                type_name<T>() + ") within " +
                                std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(timeout).count()) +
                                " ms");
        }
        return finish(c, *msg, out);
    }

    template <class S, class R>
    static R sendrecv(const comm_core& c, int dest, tag<S> send_tag, const S& value, int source, tag<R> recv_tag) {
        c.check_send(dest, send_tag.number);
        c.check_posted_receive(source, recv_tag.number);
        byte_buffer staging;
        posted_send sent = post_send<S>(c, dest, send_tag.number, value, staging);
        R out{};
        try {
            recv_into(c, source, recv_tag, out);
        } catch (...) {
            // The peer may still receive what we sent: keep its bytes until it does.
            c.state->detached.adopt(std::move(staging), sent);
            throw;
        }
        sent.wait();
        return out;
    }

    template <class T, class V>
    static send_request isend(const comm_core& c, int dest, int t, const V& value) {
        c.check_send(dest, t);
        byte_buffer bytes;
        posted_send sent = post_send<T>(c, dest, t, value, bytes);
        return send_request(
            std::move(bytes), sent,
            c.me() + " sending " + type_name<T>() + " to rank " + std::to_string(dest) + " tag " + std::to_string(t),
            c.state);
    }

    template <class T>
    static recv_request<T> irecv(const comm_core& c, int source, tag<T> t) {
        c.check_posted_receive(source, t.number);
        auto result = std::make_shared<recv_state<T>>();
        const MPI_Comm native = c.native, bodies = c.bodies;
        const int receiver = c.rank;
        // The entry lives in this communicator's state: a plain pointer back to it is enough.
        comm_state* comm = c.state.get();
        auto complete = [result, native, bodies, receiver, comm](incoming& msg) {
            note_received(*comm, receiver, msg);
            try {
                result->result.envelope.count = Wire::template recv<T>(native, bodies, msg, result->result.value);
                result->result.envelope.source = msg.source();
                result->result.envelope.tag = msg.tag();
            } catch (...) {
                result->error = std::current_exception();
            }
        };
        auto handle = c.state->receives.post({native, c.rank, source, t.number, std::move(complete)});
        return recv_request<T>(
            c.handle, c.state, handle, result,
            c.me() + " receiving " + type_name<T>() + " " + comm_core::describe_route(source, t.number));
    }

    /// The envelope of the next matching message, its count in payload bytes.
    static envelope probe(const comm_core& c, int source, int t) {
        c.check_receive(source, t);
        MPI_Status status;
        check_mpi(MPI_Probe(source, t, c.native, &status), "MPI_Probe");
        return to_envelope(status, Wire::probed_payload_bytes(c.bodies, status));
    }
    static std::optional<envelope> iprobe(const comm_core& c, int source, int t) {
        c.check_rank_or_any(source, "probe for a message from");
        c.check_tag(t, true);
        MPI_Status status;
        int found = 0;
        check_mpi(MPI_Iprobe(source, t, c.native, &found, &status), "MPI_Iprobe");
        if (!found) return std::nullopt;
        return to_envelope(status, Wire::probed_payload_bytes(c.bodies, status));
    }
    /// A probed envelope's count in elements of T.
    template <class T>
    static envelope in_elements(envelope e) {
        e.count = payload_count<T>(e.count);
        return e;
    }

private:
    template <class T>
    static envelope finish(const comm_core& c, incoming& msg, T& out) {
        note_received(*c.state, c.rank, msg);  // before decoding: the message is consumed even if that throws
        const std::size_t count = Wire::template recv<T>(c.native, c.bodies, msg, out);
        auto& detached = c.state->detached;
        if (!detached.empty()) detached.reap();
        return envelope{msg.source(), msg.tag(), count};
    }

    /// Starts a send from `bytes` (the wire's MPI_Isend), noting a message to oneself so that
    /// check_receive knows it is on its way.
    template <class T, class V>
    static posted_send post_send(const comm_core& c, int dest, int t, const V& value, byte_buffer& bytes) {
        if (dest == c.rank) c.state->sent_to_self.sent(t);
        return Wire::template post_send<T>(c.native, c.bodies, dest, t, value, bytes);
    }

    static void note_received(comm_state& comm, int me, const incoming& msg) {
        if (msg.source() == me) comm.sent_to_self.received(msg.tag());
    }

    static envelope to_envelope(const MPI_Status& status, std::size_t count) {
        return envelope{status.MPI_SOURCE, status.MPI_TAG, count};
    }
};

}  // namespace baton::detail
