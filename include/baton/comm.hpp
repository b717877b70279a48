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
#include <baton/detail/p2p/engine.hpp>
#include <baton/detail/runtime/communicator_handle.hpp>
#include <baton/detail/runtime/gates.hpp>
#include <baton/detail/state/comm_core.hpp>
#include <baton/detail/state/communicator_factory.hpp>
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
        : core_(detail::communicator_handle::borrow(static_cast<MPI_Comm>(comm))), comm_(comm) {}
    /// Wraps an MPI communicator; the caller keeps ownership and frees it after the last use.
    explicit basic_comm(MPI_Comm comm)
        : core_(detail::communicator_handle::borrow(comm)), comm_(comm, boost::mpi::comm_attach) {}

    /// This process's rank, in [0, size()).
    int rank() const {
        core_.require_live("rank");
        return core_.rank;
    }
    /// Number of ranks.
    int size() const {
        core_.require_live("size");
        return core_.size;
    }
    /// True on rank 0, the root.
    bool is_root() const { return rank() == 0; }
    /// True for the communicator of a rank that joined no group (split with baton::undefined);
    /// every other call on it throws baton::usage_error.
    bool is_null() const noexcept { return core_.is_null(); }
    /// The MPI communicator, for calling MPI directly.
    MPI_Comm native() const {
        core_.require_live("native");
        return core_.native;
    }
    /// The Boost.MPI communicator, for calling Boost.MPI directly.
    const boost::mpi::communicator& boost_comm() const {
        core_.require_live("boost_comm");
        return comm_;
    }

    // ---- communicators ----------------------------------------------------------------------

    /// @brief Splits the ranks into groups, one per `color` (>= 0); ranks are numbered in the
    /// new communicator by `key`, then by their rank here. A rank passing baton::undefined
    /// joins no group and gets a null communicator (is_null()). Collective (MPI_Comm_split).
    /// @code baton::comm group = world.split(world.rank() / 2); @endcode
    basic_comm split(int color, int key) const {
        return basic_comm(detail::communicator_factory::split(core_, color, key));
    }
    /// @brief split(color, key) with this rank's rank here as the key (the order is kept).
    basic_comm split(int color) const { return split(color, rank()); }

    /// @brief The same ranks in a communicator of their own: its messages and collectives never
    /// meet this one's. Collective (MPI_Comm_dup).
    basic_comm dup() const { return basic_comm(detail::communicator_factory::dup(core_)); }

    /// @brief The ranks that share this node's memory, numbered in their order here.
    /// Collective (MPI_Comm_split_type with MPI_COMM_TYPE_SHARED).
    basic_comm split_shared() const { return basic_comm(detail::communicator_factory::split_shared(core_)); }

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
        const detail::waiting w([&] {
            return "send to rank " + std::to_string(dest) + " tag " + std::to_string(t.number) + " (" + type_name<T>() +
                   ")" + core_.on();
        });
        p2p::template send<T>(core_, dest, t.number, value);
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
        const detail::waiting w([&] { return receiving<T>("recv", source, t.number); });
        return p2p::recv_into(core_, source, t, out);
    }
    /// @brief As recv_into(source, t, out), but throws baton::timeout_error if no matching
    /// message arrives within `timeout`.
    template <class T, class Rep, class Period>
    envelope recv_into(int source, tag<T> t, T& out, std::chrono::duration<Rep, Period> timeout) const {
        static_assert(detail::require_sendable<T>());
        const detail::waiting w([&] { return receiving<T>("recv", source, t.number); });
        return p2p::recv_into(core_, source, t, out, timeout);
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
        const detail::waiting w([&] {
            return "sendrecv to rank " + std::to_string(dest) + " tag " + std::to_string(send_tag.number) + ", " +
                   receiving<R>("", source, recv_tag.number).substr(1);
        });
        return p2p::sendrecv(core_, dest, send_tag, value, source, recv_tag);
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
        return p2p::template isend<T>(core_, dest, t.number, value);
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
        return p2p::irecv(core_, source, t);
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
        const detail::waiting w([&] { return "probe " + detail::comm_core::describe_route(source, t) + core_.on(); });
        return p2p::probe(core_, source, t);
    }
    /// @brief As probe(), with the count in elements of the tag's type.
    template <class T>
    envelope probe(int source, tag<T> t) const {
        return p2p::template in_elements<T>(probe(source, t.number));
    }
    /// @brief Checks for a message without waiting; empty if none is pending.
    std::optional<envelope> iprobe(int source, int t) const { return p2p::iprobe(core_, source, t); }
    /// @brief As iprobe(source, t.number), with the count in elements of the tag's type.
    template <class T>
    std::optional<envelope> iprobe(int source, tag<T> t) const {
        auto e = iprobe(source, t.number);
        if (e) *e = p2p::template in_elements<T>(*e);
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
        core_.check_rank(r, "on_rank for");
        return detail::run_gated(core_.rank == r, block);
    }
    /// @brief on_rank(0, block).
    template <class F>
    auto on_root(F&& block) const {
        return detail::run_gated(rank() == 0, block);
    }
    /// @brief Runs `block` on each listed rank.
    template <class F>
    auto on_ranks(std::initializer_list<int> ranks, F&& block) const {
        core_.require_live("on_ranks");
        bool mine = false;
        for (int r : ranks) {
            core_.check_rank(r, "on_ranks for");
            mine = mine || r == core_.rank;
        }
        return detail::run_gated(mine, block);
    }
    /// @brief Runs `block` on every rank except `r` (the workers, when r is the root).
    template <class F>
    auto on_ranks_except(int r, F&& block) const {
        core_.check_rank(r, "on_ranks_except for");
        return detail::run_gated(core_.rank != r, block);
    }

    // ---- collectives (every rank of the communicator must call them, in the same order) --

    /// @brief Blocks until every rank has called it. Collective.
    void barrier() const {
        core_.require_live("barrier");
        core_.check_collective([] { return std::string("barrier()"); });
        const detail::waiting w([&] { return collective_wait([] { return std::string("barrier()"); }); });
        detail::check_mpi(MPI_Barrier(core_.native), "MPI_Barrier");
    }

    /// @brief Root's `value` replaces everyone's (vectors and strings are resized). Collective.
    /// @code world.broadcast(params, 0); @endcode
    template <class T>
    void broadcast(T& value, int root = 0) const {
        static_assert(detail::require_sendable<T>());
        core_.check_rank(root, "broadcast from");
        core_.check_collective([&] { return called<T>("broadcast", root); });
        const detail::waiting w([&] { return collective_wait([&] { return called<T>("broadcast", root); }); });
        collectives().broadcast(value, root);
    }

    /// @brief Every rank's value, in rank order, on root; empty elsewhere. Values may differ in
    /// length (vectors, strings): no counts to compute. Collective.
    template <class T>
    std::optional<std::vector<T>> gather(const T& value, int root = 0) const {
        static_assert(detail::require_sendable<T>());
        core_.check_rank(root, "gather to");
        core_.check_collective([&] { return called<T>("gather", root); });
        const detail::waiting w([&] { return collective_wait([&] { return called<T>("gather", root); }); });
        auto all = collectives().gather(value, detail::destination::root(root));
        if (core_.rank != root) return std::nullopt;
        return all;
    }

    /// @brief Every rank's value, in rank order, on every rank. Collective.
    template <class T>
    std::vector<T> all_gather(const T& value) const {
        static_assert(detail::require_sendable<T>());
        core_.require_live("all_gather");
        core_.check_collective([&] { return called<T>("all_gather"); });
        const detail::waiting w([&] { return collective_wait([&] { return called<T>("all_gather"); }); });
        return collectives().gather(value, detail::destination::every_rank());
    }

    /// @brief Rank r receives values[r]; `values` (one per rank) is read on root only.
    /// Throws usage_error on every rank if root's values do not number size(). Collective.
    template <class T>
    T scatter(const std::vector<T>& values, int root = 0) const {
        static_assert(detail::require_sendable<T>());
        core_.check_rank(root, "scatter from");
        core_.check_collective([&] { return called<T>("scatter", root); });
        const detail::waiting w([&] { return collective_wait([&] { return called<T>("scatter", root); }); });
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
        core_.check_rank(root, "reduce to");
        core_.check_collective([&] { return called<T, Op>("reduce", root); });
        const detail::waiting w([&] { return collective_wait([&] { return called<T, Op>("reduce", root); }); });
        return collectives().reduce(value, op, root);
    }

    /// @brief As reduce, with the result on every rank. Element-wise on vectors, every rank
    /// must pass the same length, else usage_error on every rank; the check travels in the
    /// reduction itself (one MPI_Allreduce a call when the length repeats). Collective.
    /// @code auto best = world.all_reduce(baton::ranked<double>{score, world.rank()}, baton::max_loc{}); @endcode
    template <class T, class Op>
    T all_reduce(const T& value, Op op) const {
        static_assert(detail::require_sendable<T>());
        core_.require_live("all_reduce");
        core_.check_collective([&] { return called<T, Op>("all_reduce"); });
        const detail::waiting w([&] { return collective_wait([&] { return called<T, Op>("all_reduce"); }); });
        return collectives().all_reduce(value, op);
    }

    /// @brief Sends to_each[r] to rank r and returns what every rank sent this one: got[r] came
    /// from rank r. Values may differ in length (vectors, strings). `to_each` must hold size()
    /// values, else usage_error on this rank before any communication. Collective.
    template <class T>
    std::vector<T> all_to_all(const std::vector<T>& to_each) const {
        static_assert(detail::require_sendable<T>());
        core_.check_one_per_rank(to_each.size(), "all_to_all");
        core_.check_collective([&] { return called<T>("all_to_all"); });
        const detail::waiting w([&] { return collective_wait([&] { return called<T>("all_to_all"); }); });
        return collectives().all_to_all(to_each);
    }

    /// @brief Inclusive prefix: op over the values of ranks 0..rank(), in rank order (MPI_Scan
    /// for MPI's own operations). Collective.
    /// @code int upto = world.scan(count, std::plus<>{}); @endcode
    template <class T, class Op>
    T scan(const T& value, Op op) const {
        static_assert(detail::require_sendable<T>());
        core_.require_live("scan");
        core_.check_collective([&] { return called<T, Op>("scan"); });
        const detail::waiting w([&] { return collective_wait([&] { return called<T, Op>("scan"); }); });
        return collectives().scan(value, op);
    }

    /// @brief Exclusive prefix: op over the values of ranks 0..rank()-1; empty on rank 0
    /// (MPI_Exscan for MPI's own operations). Collective.
    template <class T, class Op>
    std::optional<T> exscan(const T& value, Op op) const {
        static_assert(detail::require_sendable<T>());
        core_.require_live("exscan");
        core_.check_collective([&] { return called<T, Op>("exscan"); });
        const detail::waiting w([&] { return collective_wait([&] { return called<T, Op>("exscan"); }); });
        return collectives().exscan(value, op);
    }

    // ---- non-blocking collectives (started by every rank in the same order; each rank may
    // ---- wait on them in any order) ------------------------------------------------------

    /// @brief Starts a barrier; wait() returns once every rank has started it. Collective.
    [[nodiscard]] collective_request<void> ibarrier() const {
        core_.require_live("ibarrier");
        core_.check_collective([] { return std::string("ibarrier()"); });
        const detail::waiting w([&] { return collective_wait([] { return std::string("ibarrier()"); }); });
        return {core_.handle, core_.state, nonblocking().ibarrier(), core_.me() + " ibarrier"};
    }

    /// @brief Starts a broadcast of root's `value`; wait() returns it on every rank (vectors,
    /// strings and serialized payloads of a length only root knows too). Collective.
    /// @code auto r = world.ibroadcast(params, 0); /* ... */ params = r.wait(); @endcode
    template <class T>
    [[nodiscard]] collective_request<T> ibroadcast(const T& value, int root = 0) const {
        static_assert(detail::require_sendable<T>());
        core_.check_rank(root, "ibroadcast from");
        core_.check_collective([&] { return called<T>("ibroadcast", root); });
        const detail::waiting w([&] { return collective_wait([&] { return called<T>("ibroadcast", root); }); });
        return {core_.handle, core_.state, nonblocking().ibroadcast(value, root),
                core_.me() + " ibroadcast of " + type_name<T>() + " from rank " + std::to_string(root)};
    }

    /// @brief Starts an all_reduce; wait() returns the result on every rank. Collective.
    template <class T, class Op>
    [[nodiscard]] collective_request<T> iall_reduce(const T& value, Op op) const {
        static_assert(detail::require_sendable<T>());
        core_.require_live("iall_reduce");
        core_.check_collective([&] { return called<T, Op>("iall_reduce"); });
        const detail::waiting w([&] { return collective_wait([&] { return called<T, Op>("iall_reduce"); }); });
        return {core_.handle, core_.state, nonblocking().iall_reduce(value, op),
                core_.me() + " iall_reduce of " + type_name<T>()};
    }

    /// @brief Starts an all_gather; wait() returns every rank's value in rank order. Collective.
    template <class T>
    [[nodiscard]] collective_request<std::vector<T>> iall_gather(const T& value) const {
        static_assert(detail::require_sendable<T>());
        core_.require_live("iall_gather");
        core_.check_collective([&] { return called<T>("iall_gather"); });
        const detail::waiting w([&] { return collective_wait([&] { return called<T>("iall_gather"); }); });
        return {core_.handle, core_.state, nonblocking().iall_gather(value),
                core_.me() + " iall_gather of " + type_name<T>()};
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

    using p2p = detail::p2p_engine<Wire>;

    // A receive as the watchdog names it: recv from rank 0 tag 11 (expecting
    // std::vector<double>) on MPI_COMM_WORLD.
    template <class T>
    std::string receiving(const char* call, int source, int t) const {
        return std::string(call) + " " + detail::comm_core::describe_route(source, t) + " (expecting " +
               type_name<T>() + ")" + core_.on();
    }
    // A collective as the watchdog names it: its check's name and the communicator.
    template <class Describe>
    std::string collective_wait(Describe describe) const {
        return describe() + core_.on();
    }

    // A collective as BATON_CHECK_COLLECTIVES names it: broadcast<std::vector<double>>(root 0),
    // all_reduce<double>(std::plus<void>).
    template <class T, class Op = void>
    static std::string called(const char* name, int root = -1) {
        std::string s = std::string(name) + "<" + type_name<T>() + ">(";
        if constexpr (!std::is_void_v<Op>) s += detail::compiler_type_name<Op>();
        if (root >= 0) s += std::string(std::is_void_v<Op> ? "" : ", ") + "root " + std::to_string(root);
        return s + ")";
    }

    detail::collectives<typename Wire::encoding_type> collectives() const {
        return {core_.native, *core_.state, core_.rank, core_.size};
    }
    detail::nonblocking_collectives<typename Wire::encoding_type> nonblocking() const {
        return {core_.native, *core_.state, core_.rank, core_.size};
    }

    // A communicator baton made: every rank of it builds it here, at the same point.
    explicit basic_comm(std::shared_ptr<detail::communicator_handle> made)
        : core_(std::move(made)), comm_(core_.native, boost::mpi::comm_attach) {
        core_.open_body_channel();
    }

    detail::comm_core core_;
    boost::mpi::communicator comm_;
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
