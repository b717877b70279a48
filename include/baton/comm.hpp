#pragma once
/// @file
/// basic_comm<Wire>: the communicator users talk through, and its aliases baton::comm
/// (type-checked, the default), baton::portable_comm and baton::raw_comm.

#include <mpi.h>

#include <boost/mpi/communicator.hpp>
#include <chrono>
#include <initializer_list>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <baton/collective_request.hpp>
#include <baton/detail/codec/payload_traits.hpp>
#include <baton/detail/codec/sendable.hpp>
#include <baton/detail/collectives/engine.hpp>
#include <baton/detail/collectives/nonblocking.hpp>
#include <baton/detail/mpi/check.hpp>
#include <baton/detail/p2p/detached_sends.hpp>
#include <baton/detail/p2p/matching.hpp>
#include <baton/detail/p2p/self_messages.hpp>
#include <baton/detail/runtime/abort.hpp>
#include <baton/detail/runtime/communicator_handle.hpp>
#include <baton/detail/state/comm_state.hpp>
#include <baton/envelope.hpp>
#include <baton/error.hpp>
#include <baton/operations.hpp>
#include <baton/request.hpp>
#include <baton/tag.hpp>
#include <baton/type_name.hpp>
#include <baton/view.hpp>
#include <baton/wire/checked.hpp>
#include <baton/wire/unchecked.hpp>

namespace baton {

/// @brief A communicator with typed messaging. `Wire` decides how payloads travel
/// (see wire/checked.hpp and wire/unchecked.hpp); use the aliases below.
///
/// Copies share the underlying MPI communicator. Point-to-point calls check their arguments
/// and throw baton::usage_error before calling MPI; MPI failures throw baton::mpi_error.
/// A communicator made by split(), dup() or split_shared() is freed when its last copy goes
/// (or, if copies are still alive then, when the environment ends, before MPI_Finalize).
template <class Wire>
class basic_comm {
public:
    using wire_type = Wire;  ///< how payloads travel (wire::checked or wire::unchecked)

    /// MPI_COMM_WORLD.
    basic_comm() : basic_comm(MPI_COMM_WORLD) {}
    /// Wraps a Boost.MPI communicator (shares it).
    explicit basic_comm(const boost::mpi::communicator& comm)
        : handle_(detail::communicator_handle::borrow(static_cast<MPI_Comm>(comm))), comm_(comm) {
        init();
    }
    /// Wraps an MPI communicator; the caller keeps ownership and frees it after the last use.
    explicit basic_comm(MPI_Comm comm)
        : handle_(detail::communicator_handle::borrow(comm)), comm_(comm, boost::mpi::comm_attach) {
        init();
    }

    /// This process's rank, in [0, size()).
    int rank() const {
        require_live("rank");
        return rank_;
    }
    /// Number of ranks.
    int size() const {
        require_live("size");
        return size_;
    }
    /// True on rank 0, the root.
    bool is_root() const { return rank() == 0; }
    /// True for the communicator of a rank that joined no group (split with baton::undefined);
    /// every other call on it throws baton::usage_error.
    bool is_null() const noexcept { return native_ == MPI_COMM_NULL; }
    /// The MPI communicator, for calling MPI directly.
    MPI_Comm native() const {
        require_live("native");
        return native_;
    }
    /// The Boost.MPI communicator, for calling Boost.MPI directly.
    const boost::mpi::communicator& boost_comm() const {
        require_live("boost_comm");
        return comm_;
    }

    // ---- communicators ----------------------------------------------------------------------

    /// @brief Splits the ranks into groups, one per `color` (>= 0); ranks are numbered in the
    /// new communicator by `key`, then by their rank here. A rank passing baton::undefined
    /// joins no group and gets a null communicator (is_null()). Collective (MPI_Comm_split).
    /// @code baton::comm group = world.split(world.rank() / 2); @endcode
    basic_comm split(int color, int key) const {
        require_live("split");
        if (color < 0 && color != undefined) {
            throw usage_error(me() + ": split color " + std::to_string(color) +
                              " is negative; a color is >= 0, or baton::undefined to join no group");
        }
        MPI_Comm out = MPI_COMM_NULL;
        detail::check_mpi(MPI_Comm_split(native(), color, key, &out), "MPI_Comm_split");
        return basic_comm(detail::communicator_handle::own(out));
    }
    /// @brief split(color, key) with this rank's rank here as the key (the order is kept).
    basic_comm split(int color) const { return split(color, rank()); }

    /// @brief The same ranks in a communicator of their own: its messages and collectives never
    /// meet this one's. Collective (MPI_Comm_dup).
    basic_comm dup() const {
        require_live("dup");
        MPI_Comm out = MPI_COMM_NULL;
        detail::check_mpi(MPI_Comm_dup(native(), &out), "MPI_Comm_dup");
        return basic_comm(detail::communicator_handle::own(out));
    }

    /// @brief The ranks that share this node's memory, numbered in their order here.
    /// Collective (MPI_Comm_split_type with MPI_COMM_TYPE_SHARED).
    basic_comm split_shared() const {
        require_live("split_shared");
        MPI_Comm out = MPI_COMM_NULL;
        detail::check_mpi(MPI_Comm_split_type(native(), MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &out),
                          "MPI_Comm_split_type");
        return basic_comm(detail::communicator_handle::own(out));
    }

    // ---- sending --------------------------------------------------------------------------

    /// @brief Sends `value` to rank `dest` with the typed tag `t`; blocks until the value's
    /// memory may be reused (MPI_Send semantics).
    ///
    /// `value` is a T or, when T is a std::vector<E> or std::string, any contiguous range of E
    /// (a std::array<E, N>, a baton::view<E>, ...). Throws usage_error for a bad rank or tag.
    /// @code world.send(1, params, values); @endcode
    template <class T, class V>
    void send(int dest, tag<T> t, const V& value) const {
        static_assert(detail::require_sendable<T>());
        static_assert(sendable_as<T, V>(),
                      "send: the value must be the tag's type, or a contiguous range of "
                      "its elements when the tag's type is a std::vector or std::string");
        check_rank(dest, "send to");
        check_tag(t.number, false);
        auto& self = state_->detached;
        if (dest == rank_) {
            // Never blocks: a rank cannot receive while its own blocking send waits.
            detail::byte_buffer bytes;
            const detail::posted_send sent = post_send<T>(dest, t.number, value, bytes);
            self.adopt(std::move(bytes), sent);
            return;
        }
        if (!self.empty()) self.reap();
        Wire::template send<T>(native(), bodies_, dest, t.number, value);
    }

    /// @brief Sends with a plain int tag; the value's own type is what the receiver must ask for.
    template <class T>
    void send(int dest, int t, const T& value) const {
        send(dest, tag<T>{t}, value);
    }

    // ---- receiving ------------------------------------------------------------------------

    /// @brief Receives the next message from `source` (or baton::any_source) with tag `t`.
    ///
    /// Throws type_mismatch if the sender sent another type (checked wire), message_error if
    /// the message cannot be decoded, usage_error for a receive that could never match
    /// (a rank outside the communicator, a receive from oneself with nothing sent).
    /// @code std::vector<double> got = world.recv(0, params); @endcode
    template <class T>
    T recv(int source, tag<T> t) const {
        T out{};
        recv_into(source, t, out);
        return out;
    }

    /// @brief As recv(source, t), but throws baton::timeout_error if no matching message
    /// arrives within `timeout`. The wait polls and sleeps; it does not spin a core.
    template <class T, class Rep, class Period>
    T recv(int source, tag<T> t, std::chrono::duration<Rep, Period> timeout) const {
        T out{};
        recv_into(source, t, out, timeout);
        return out;
    }

    /// @brief Receives with a plain int tag: `world.recv<std::vector<double>>(0, 11)`.
    template <class T>
    T recv(int source, int t) const {
        return recv(source, tag<T>{t});
    }
    /// @brief Receives with a plain int tag and a deadline (see recv(source, tag, timeout)).
    template <class T, class Rep, class Period>
    T recv(int source, int t, std::chrono::duration<Rep, Period> timeout) const {
        return recv(source, tag<T>{t}, timeout);
    }

    /// @brief Receives into an existing object, reusing its capacity (a vector that is
    /// already large enough is not reallocated). Returns the message's envelope.
    template <class T>
    envelope recv_into(int source, tag<T> t, T& out) const {
        static_assert(detail::require_sendable<T>());
        check_receive(source, t.number);
        if (state_->receives.any()) {
            // Earlier irecvs must match first (MPI's order): queue behind them.
            auto m = irecv(source, t).wait_message();
            out = std::move(m.value);
            return m.envelope;
        }
        if constexpr (Wire::type_checked && detail::receive_without_probe) {
            if (bodies_ != MPI_COMM_NULL && detail::may_receive_whole(source, rank_)) {
                detail::incoming msg = detail::receive_whole(
                    native(), rank_, source, t.number, Wire::longest_whole_message, [] { return type_name<T>(); });
                return finish(msg, out);
            }
        }
        // Otherwise a matched probe first, even when T's size is known: receiving straight into a
        // buffer of that size would rely on MPI truncating a larger message safely, and Open MPI
        // 4.1.4 writes past the buffer instead.
        detail::incoming msg = detail::match_blocking(native(), rank_, source, t.number);
        return finish(msg, out);
    }
    /// @brief As recv_into(source, t, out), but throws baton::timeout_error if no matching
    /// message arrives within `timeout`.
    template <class T, class Rep, class Period>
    envelope recv_into(int source, tag<T> t, T& out, std::chrono::duration<Rep, Period> timeout) const {
        static_assert(detail::require_sendable<T>());
        check_receive(source, t.number, true);
        const auto deadline =
            std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(timeout);
        auto msg = detail::match_until(native(), rank_, source, t.number, deadline);
        if (!msg) {
            throw timeout_error("rank " + std::to_string(rank_) + ": no message " + describe_route(source, t.number) +
                                " (expected " + type_name<T>() + ") within " +
                                std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(timeout).count()) +
                                " ms");
        }
        return finish(*msg, out);
    }
    /// @brief recv_into with a plain int tag; the type is `out`'s.
    template <class T>
    envelope recv_into(int source, int t, T& out) const {
        return recv_into(source, tag<T>{t}, out);
    }

    /// @brief Receives a value together with its envelope: who sent it, with which tag, how
    /// many elements. Useful with baton::any_source and baton::any_tag.
    template <class T>
    message<T> recv_message(int source, tag<T> t) const {
        message<T> m{};
        m.envelope = recv_into(source, t, m.value);
        return m;
    }
    /// @brief recv_message with a plain int tag: `world.recv_message<int>(baton::any_source, 3)`.
    template <class T>
    message<T> recv_message(int source, int t) const {
        return recv_message(source, tag<T>{t});
    }

    /// @brief Sends `value` to `dest` and receives from `source` at the same time, so that
    /// pairs of ranks can exchange without ordering their calls (no deadlock).
    /// @code auto theirs = world.sendrecv(right, halo, mine, left, halo); @endcode
    template <class S, class R>
    R sendrecv(int dest, tag<S> send_tag, const S& value, int source, tag<R> recv_tag) const {
        static_assert(detail::require_sendable<S>());
        static_assert(detail::require_sendable<R>());
        check_rank(dest, "send to");
        check_tag(send_tag.number, false);
        check_rank_or_any(source, "receive from");
        check_tag(recv_tag.number, true);
        detail::byte_buffer staging;
        detail::posted_send sent = post_send<S>(dest, send_tag.number, value, staging);
        R out{};
        try {
            recv_into(source, recv_tag, out);
        } catch (...) {
            // The peer may still receive what we sent: keep its bytes until it does.
            state_->detached.adopt(std::move(staging), sent);
            throw;
        }
        sent.wait();
        return out;
    }

    // ---- non-blocking ---------------------------------------------------------------------

    /// @brief Starts sending `value` and returns at once. The request owns a copy of the
    /// encoded message, so `value` may be a temporary. Call wait() on the request.
    /// @code auto r = world.isend(1, params, std::vector<double>(100, 1.0)); r.wait(); @endcode
    template <class T, class V>
    [[nodiscard]] send_request isend(int dest, tag<T> t, const V& value) const {
        static_assert(detail::require_sendable<T>());
        static_assert(sendable_as<T, V>(),
                      "isend: the value must be the tag's type, or a contiguous range of "
                      "its elements when the tag's type is a std::vector or std::string");
        check_rank(dest, "send to");
        check_tag(t.number, false);
        detail::byte_buffer bytes;
        detail::posted_send sent = post_send<T>(dest, t.number, value, bytes);
        return send_request(std::move(bytes), sent,
                            me() + " sending " + type_name<T>() + " to rank " + std::to_string(dest) + " tag " +
                                std::to_string(t.number),
                            state_);
    }
    /// @brief isend with a plain int tag; the value's own type is what the receiver must ask for.
    template <class T>
    [[nodiscard]] send_request isend(int dest, int t, const T& value) const {
        return isend(dest, tag<T>{t}, value);
    }

    /// @brief Starts a receive and returns at once; the request's wait() returns the value.
    /// Receives posted earlier match earlier messages, as in MPI. Type checks apply as in recv.
    template <class T>
    [[nodiscard]] recv_request<T> irecv(int source, tag<T> t) const {
        static_assert(detail::require_sendable<T>());
        check_rank_or_any(source, "receive from");
        check_tag(t.number, true);
        auto result = std::make_shared<detail::recv_state<T>>();
        MPI_Comm c = native(), bodies = bodies_;
        const int receiver = rank_;
        // The entry lives in this communicator's state: a plain pointer back to it is enough.
        detail::comm_state* comm = state_.get();
        auto complete = [result, c, bodies, receiver, comm](detail::incoming& msg) {
            note_received(*comm, receiver, msg);
            try {
                result->result.envelope.count = Wire::template recv<T>(c, bodies, msg, result->result.value);
                result->result.envelope.source = msg.source();
                result->result.envelope.tag = msg.tag();
            } catch (...) {
                result->error = std::current_exception();
            }
        };
        auto handle = state_->receives.post({c, rank_, source, t.number, std::move(complete)});
        return recv_request<T>(handle_, state_, handle, result,
                               me() + " receiving " + type_name<T>() + " " + describe_route(source, t.number));
    }
    /// @brief irecv with a plain int tag: `world.irecv<std::vector<double>>(0, 11)`.
    template <class T>
    [[nodiscard]] recv_request<T> irecv(int source, int t) const {
        return irecv(source, tag<T>{t});
    }

    // ---- probing --------------------------------------------------------------------------

    /// @brief Waits for a message from `source` with tag `t` without receiving it.
    /// The envelope's count is in payload bytes.
    envelope probe(int source, int t) const {
        check_receive(source, t);
        MPI_Status status;
        detail::check_mpi(MPI_Probe(source, t, native(), &status), "MPI_Probe");
        return to_envelope(status, Wire::probed_payload_bytes(bodies_, status));
    }
    /// @brief As probe(), with the count in elements of the tag's type.
    template <class T>
    envelope probe(int source, tag<T> t) const {
        envelope e = probe(source, t.number);
        e.count = detail::payload_count<T>(e.count);
        return e;
    }
    /// @brief Checks for a message without waiting; empty if none is pending.
    std::optional<envelope> iprobe(int source, int t) const {
        check_rank_or_any(source, "probe for a message from");
        check_tag(t, true);
        MPI_Status status;
        int found = 0;
        detail::check_mpi(MPI_Iprobe(source, t, native(), &found, &status), "MPI_Iprobe");
        if (!found) return std::nullopt;
        return to_envelope(status, Wire::probed_payload_bytes(bodies_, status));
    }
    /// @brief As iprobe(source, t.number), with the count in elements of the tag's type.
    template <class T>
    std::optional<envelope> iprobe(int source, tag<T> t) const {
        auto e = iprobe(source, t.number);
        if (e) e->count = detail::payload_count<T>(e->count);
        return e;
    }

    // ---- rank-gated blocks ----------------------------------------------------------------

    /// @brief Runs `block` on rank `r` only. A block returning R yields std::optional<R>
    /// (engaged on rank r); a void block yields nothing.
    ///
    /// An exception escaping the block prints `rank N: <what()>` on stderr and aborts the
    /// whole job (MPI_Abort), so ranks waiting for this one do not hang.
    /// @code world.on_rank(1, [&] { auto p = world.recv(0, params); }); @endcode
    template <class F>
    auto on_rank(int r, F&& block) const {
        check_rank(r, "on_rank for");
        return gate(rank_ == r, block);
    }
    /// @brief on_rank(0, block).
    template <class F>
    auto on_root(F&& block) const {
        return gate(rank() == 0, block);
    }
    /// @brief Runs `block` on each listed rank.
    template <class F>
    auto on_ranks(std::initializer_list<int> ranks, F&& block) const {
        require_live("on_ranks");
        bool mine = false;
        for (int r : ranks) {
            check_rank(r, "on_ranks for");
            mine = mine || r == rank_;
        }
        return gate(mine, block);
    }
    /// @brief Runs `block` on every rank except `r` (the workers, when r is the root).
    template <class F>
    auto on_ranks_except(int r, F&& block) const {
        check_rank(r, "on_ranks_except for");
        return gate(rank_ != r, block);
    }

    // ---- collectives (every rank of the communicator must call them, in the same order) --

    /// @brief Blocks until every rank has called it. Collective.
    void barrier() const {
        require_live("barrier");
        detail::check_mpi(MPI_Barrier(native()), "MPI_Barrier");
    }

    /// @brief Root's `value` replaces everyone's (vectors and strings are resized). Collective.
    /// @code world.broadcast(params, 0); @endcode
    template <class T>
    void broadcast(T& value, int root = 0) const {
        static_assert(detail::require_sendable<T>());
        check_rank(root, "broadcast from");
        collectives().broadcast(value, root);
    }

    /// @brief Every rank's value, in rank order, on root; empty elsewhere. Values may differ in
    /// length (vectors, strings): no counts to compute. Collective.
    template <class T>
    std::optional<std::vector<T>> gather(const T& value, int root = 0) const {
        static_assert(detail::require_sendable<T>());
        check_rank(root, "gather to");
        auto all = collectives().gather(value, detail::destination::root(root));
        if (rank_ != root) return std::nullopt;
        return all;
    }

    /// @brief Every rank's value, in rank order, on every rank. Collective.
    template <class T>
    std::vector<T> all_gather(const T& value) const {
        static_assert(detail::require_sendable<T>());
        require_live("all_gather");
        return collectives().gather(value, detail::destination::every_rank());
    }

    /// @brief Rank r receives values[r]; `values` (one per rank) is read on root only.
    /// Throws usage_error on every rank if root's values do not number size(). Collective.
    template <class T>
    T scatter(const std::vector<T>& values, int root = 0) const {
        static_assert(detail::require_sendable<T>());
        check_rank(root, "scatter from");
        return collectives().scatter(values, root);
    }

    /// @brief op over every rank's value, on root (empty elsewhere). std::plus<>,
    /// std::multiplies<>, baton::minimum, baton::maximum on numbers (element-wise on vectors)
    /// use MPI's own operations; other callables are applied on root in rank order. Element-wise
    /// on vectors, every rank must pass the same length, else usage_error on every rank.
    /// Collective.
    /// @code auto total = world.reduce(local_sum, std::plus<>{}); @endcode
    template <class T, class Op>
    std::optional<T> reduce(const T& value, Op op, int root = 0) const {
        static_assert(detail::require_sendable<T>());
        check_rank(root, "reduce to");
        return collectives().reduce(value, op, root);
    }

    /// @brief As reduce, with the result on every rank. Element-wise on vectors, every rank
    /// must pass the same length, else usage_error on every rank; the check travels in the
    /// reduction itself (one MPI_Allreduce a call when the length repeats). Collective.
    /// @code auto best = world.all_reduce(baton::ranked<double>{score, world.rank()}, baton::max_loc{}); @endcode
    template <class T, class Op>
    T all_reduce(const T& value, Op op) const {
        static_assert(detail::require_sendable<T>());
        require_live("all_reduce");
        return collectives().all_reduce(value, op);
    }

    /// @brief Sends to_each[r] to rank r and returns what every rank sent this one: got[r] came
    /// from rank r. Values may differ in length (vectors, strings). `to_each` must hold size()
    /// values, else usage_error on this rank before any communication. Collective.
    template <class T>
    std::vector<T> all_to_all(const std::vector<T>& to_each) const {
        static_assert(detail::require_sendable<T>());
        require_live("all_to_all");
        if (to_each.size() != static_cast<std::size_t>(size_)) {
            throw usage_error(me() + ": all_to_all needs one value per rank (" + std::to_string(size_) + "), got " +
                              std::to_string(to_each.size()));
        }
        return collectives().all_to_all(to_each);
    }

    /// @brief Inclusive prefix: op over the values of ranks 0..rank(), in rank order (MPI_Scan
    /// for MPI's own operations). Collective.
    /// @code int upto = world.scan(count, std::plus<>{}); @endcode
    template <class T, class Op>
    T scan(const T& value, Op op) const {
        static_assert(detail::require_sendable<T>());
        require_live("scan");
        return collectives().scan(value, op);
    }

    /// @brief Exclusive prefix: op over the values of ranks 0..rank()-1; empty on rank 0
    /// (MPI_Exscan for MPI's own operations). Collective.
    template <class T, class Op>
    std::optional<T> exscan(const T& value, Op op) const {
        static_assert(detail::require_sendable<T>());
        require_live("exscan");
        return collectives().exscan(value, op);
    }

    // ---- non-blocking collectives (started by every rank in the same order; each rank may
    // ---- wait on them in any order) ------------------------------------------------------

    /// @brief Starts a barrier; wait() returns once every rank has started it. Collective.
    [[nodiscard]] collective_request<void> ibarrier() const {
        require_live("ibarrier");
        return {handle_, state_, nonblocking().ibarrier(), me() + " ibarrier"};
    }

    /// @brief Starts a broadcast of root's `value`; wait() returns it on every rank (vectors,
    /// strings and serialized payloads of a length only root knows too). Collective.
    /// @code auto r = world.ibroadcast(params, 0); /* ... */ params = r.wait(); @endcode
    template <class T>
    [[nodiscard]] collective_request<T> ibroadcast(const T& value, int root = 0) const {
        static_assert(detail::require_sendable<T>());
        check_rank(root, "ibroadcast from");
        return {handle_, state_, nonblocking().ibroadcast(value, root),
                me() + " ibroadcast of " + type_name<T>() + " from rank " + std::to_string(root)};
    }

    /// @brief Starts an all_reduce; wait() returns the result on every rank. Collective.
    template <class T, class Op>
    [[nodiscard]] collective_request<T> iall_reduce(const T& value, Op op) const {
        static_assert(detail::require_sendable<T>());
        require_live("iall_reduce");
        return {handle_, state_, nonblocking().iall_reduce(value, op), me() + " iall_reduce of " + type_name<T>()};
    }

    /// @brief Starts an all_gather; wait() returns every rank's value in rank order. Collective.
    template <class T>
    [[nodiscard]] collective_request<std::vector<T>> iall_gather(const T& value) const {
        static_assert(detail::require_sendable<T>());
        require_live("iall_gather");
        return {handle_, state_, nonblocking().iall_gather(value), me() + " iall_gather of " + type_name<T>()};
    }

private:
    template <class T, class V>
    static constexpr bool sendable_as() {
        if constexpr (std::is_same_v<std::remove_cv_t<V>, T>) {
            return true;
        } else if constexpr (detail::kind_v<T> == detail::payload_kind::contiguous) {
            return detail::is_range_of<V, typename detail::contiguous_container<T>::element_type>::value;
        } else {
            return false;
        }
    }

    detail::collectives<typename Wire::encoding_type> collectives() const { return {native(), *state_, rank_, size_}; }
    detail::nonblocking_collectives<typename Wire::encoding_type> nonblocking() const {
        return {native(), *state_, rank_, size_};
    }

    explicit basic_comm(std::shared_ptr<detail::communicator_handle> made)
        : handle_(std::move(made)), comm_(handle_->get(), boost::mpi::comm_attach) {
        init();
        // Every rank of a communicator baton made builds it here, at the same point.
        if (state_) {
            state_->open_body_channel(handle_->get());
            bodies_ = state_->bodies();
        }
    }

    void init() {
        if (!detail::mpi_running()) {
            int finalized = 0;
            MPI_Finalized(&finalized);
            throw usage_error(finalized ? "baton::comm made after MPI was finalized (the baton::environment has ended)"
                                        : "baton::comm made before MPI was started: create the environment first "
                                          "(baton::environment env(argc, argv); first thing in main; a global "
                                          "baton::comm is built before main runs)");
        }
        MPI_Comm c = handle_->get();
        native_ = c;
        tag_upper_ = tag_upper_bound();
        if (c == MPI_COMM_NULL) return;  // a rank that joined no group
        detail::check_mpi(MPI_Comm_rank(c, &rank_), "MPI_Comm_rank");
        detail::check_mpi(MPI_Comm_size(c, &size_), "MPI_Comm_size");
        detail::check_mpi(MPI_Comm_set_errhandler(c, MPI_ERRORS_RETURN), "MPI_Comm_set_errhandler");
        state_ = detail::comm_state::of(c);
        bodies_ = state_->bodies();
    }

    static int tag_upper_bound() {
        static const int upper = [] {
            void* value = nullptr;
            int found = 0;
            MPI_Comm_get_attr(MPI_COMM_WORLD, MPI_TAG_UB, &value, &found);
            return found ? *static_cast<int*>(value) : 32767;  // 32767 is the least MPI guarantees
        }();
        return upper;
    }

    std::string me() const { return "rank " + std::to_string(rank_); }

    // The checks every send and receive makes: the test inline, the message (strings built for
    // an exception) in cold functions of their own, so the common path stays a few compares.

    void require_live(const char* call) const {
        if (is_null()) throw_null(call);
    }
    [[noreturn, gnu::cold, gnu::noinline]] void throw_null(const char* call) const {
        throw usage_error("rank " + std::to_string(detail::world_rank_or_minus_one()) + ": " + call +
                          " on a null communicator: this rank joined no group (split with baton::undefined)");
    }

    void check_rank(int r, const char* action) const {
        require_live(action);
        if (r < 0 || r >= size_) throw_bad_rank(r, action);
    }
    [[noreturn, gnu::cold, gnu::noinline]] void throw_bad_rank(int r, const char* action) const {
        throw usage_error(me() + ": " + action + " rank " + std::to_string(r) + ", but the communicator has " +
                          std::to_string(size_) +
                          (size_ == 1 ? " rank (0)" : " ranks (0.." + std::to_string(size_ - 1) + ")"));
    }
    void check_rank_or_any(int r, const char* action) const {
        require_live(action);
        if (r != any_source) check_rank(r, action);
    }
    void check_tag(int t, bool wildcard_ok) const {
        if (wildcard_ok && t == any_tag) return;
        if (t < 0 || t > tag_upper_) throw_bad_tag(t);
    }
    [[noreturn, gnu::cold, gnu::noinline]] void throw_bad_tag(int t) const {
        throw usage_error(me() + ": tag " + std::to_string(t) + " is outside [0, " + std::to_string(tag_upper_) +
                          "] (MPI_TAG_UB)");
    }

    /// Rejects a blocking receive that can never match: from oneself (or from any source when
    /// alone) with nothing already sent.
    void check_receive(int source, int t, bool has_deadline = false) const {
        check_rank_or_any(source, "receive from");
        check_tag(t, true);
        if (has_deadline) return;
        const bool only_self = source == rank_ || (source == any_source && size_ == 1);
        if (only_self) check_receive_from_self(source, t);
    }
    [[gnu::noinline]] void check_receive_from_self(int source, int t) const {
        if (state_->sent_to_self.outstanding(t)) return;
        // A message sent with plain MPI is unknown to baton; MPI_Iprobe finds it, though maybe
        // not at the first call (MPI only promises that repeated calls will), so ask for a while
        // before calling the receive a certain hang.
        const auto give_up = std::chrono::steady_clock::now() + std::chrono::milliseconds(200);
        int found = 0;
        MPI_Status status;
        do {
            detail::check_mpi(MPI_Iprobe(source, t, native(), &found, &status), "MPI_Iprobe");
        } while (!found && std::chrono::steady_clock::now() < give_up);
        if (!found) {
            throw usage_error(me() + ": blocking receive " + describe_route(source, t) +
                              " can only be matched by this rank itself, which has sent no such message; "
                              "it would wait forever");
        }
    }

    static std::string describe_route(int source, int t) {
        std::string s = source == any_source ? "from any rank" : "from rank " + std::to_string(source);
        return s + (t == any_tag ? " with any tag" : " tag " + std::to_string(t));
    }

    template <class T>
    envelope finish(detail::incoming& msg, T& out) const {
        note_received(*state_, rank_, msg);  // before decoding: the message is consumed even if that throws
        const std::size_t count = Wire::template recv<T>(native(), bodies_, msg, out);
        reap_detached_sends();
        return envelope{msg.source(), msg.tag(), count};
    }

    /// Starts a send from `bytes` (the wire's MPI_Isend), noting a message to oneself so that
    /// check_receive knows it is on its way.
    template <class T, class V>
    detail::posted_send post_send(int dest, int t, const V& value, detail::byte_buffer& bytes) const {
        if (dest == rank_) state_->sent_to_self.sent(t);
        return Wire::template post_send<T>(native(), bodies_, dest, t, value, bytes);
    }

    static void note_received(detail::comm_state& comm, int me, const detail::incoming& msg) {
        if (msg.source() == me) comm.sent_to_self.received(msg.tag());
    }

    void reap_detached_sends() const {
        auto& self = state_->detached;
        if (!self.empty()) self.reap();
    }

    static envelope to_envelope(const MPI_Status& status, std::size_t count) {
        return envelope{status.MPI_SOURCE, status.MPI_TAG, count};
    }

    template <class F>
    static auto gate(bool run, F& block) {
        using R = std::invoke_result_t<F&>;
        if constexpr (std::is_void_v<R>) {
            if (!run) return;
            try {
                block();
            } catch (...) {
                detail::abort_job(detail::describe_current_exception());
            }
        } else {
            std::optional<R> result;
            if (!run) return result;
            try {
                result.emplace(block());
            } catch (...) {
                detail::abort_job(detail::describe_current_exception());
            }
            return result;
        }
    }

    std::shared_ptr<detail::communicator_handle> handle_;
    std::shared_ptr<detail::comm_state> state_;  // null for the null communicator
    MPI_Comm native_ = MPI_COMM_NULL;            // handle_->get(), read once
    MPI_Comm bodies_ = MPI_COMM_NULL;            // state_->bodies(), read once
    int tag_upper_ = 0;                          // tag_upper_bound(), read once
    boost::mpi::communicator comm_;
    int rank_ = -1;
    int size_ = 0;
};

/// @brief The default communicator: every message carries its type and is checked on receipt;
/// serialized payloads use baton's native encoding (wire::native_encoding: all ranks share
/// one architecture).
using comm = basic_comm<wire::checked<wire::native_encoding>>;
/// @brief Type-checked, with serialized payloads in Boost.MPI's packed archive
/// (wire::portable_encoding), for jobs whose ranks run on machines of different architectures.
using portable_comm = basic_comm<wire::checked<wire::portable_encoding>>;
/// @brief Plain MPI messages without baton's header, to talk to programs that are not built
/// with baton (C, Fortran, mpi4py's Send/Recv). Sizes are checked; types cannot be.
using raw_comm = basic_comm<wire::unchecked<wire::native_encoding>>;

}  // namespace baton
