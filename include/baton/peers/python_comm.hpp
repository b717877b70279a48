#pragma once
/// @file
/// baton::python_comm: a communicator whose messages are mpi4py's lowercase ones, so that C++
/// ranks and unchanged mpi4py scripts run in one job (docs/python-peers.md).
///
/// @code
/// // mpiexec -n 1 python3 tutorial.py : -n 1 ./rank1
/// int main(int argc, char** argv) {
///     baton::environment env(argc, argv, baton::python_peers);
///     baton::python_comm world;
///     auto params = world.recv<std::vector<double>>(0, 11);  // comm.send(params[:100], dest=1, tag=11)
/// }
/// @endcode

#include <mpi.h>

#include <chrono>
#include <climits>
#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <baton/config.hpp>
#include <baton/detail/mpi/check.hpp>
#include <baton/detail/runtime/back_off.hpp>
#include <baton/detail/runtime/gates.hpp>
#include <baton/detail/runtime/watchdog.hpp>
#include <baton/detail/state/comm_core.hpp>
#include <baton/detail/state/comm_state.hpp>
#include <baton/envelope.hpp>
#include <baton/error.hpp>
#include <baton/peers/detail/mpi4py_collectives.hpp>
#include <baton/peers/detail/pickled.hpp>
#include <baton/peers/python_recv_request.hpp>
#include <baton/py/pickle.hpp>
#include <baton/request.hpp>
#include <baton/tag.hpp>
#include <baton/type_name.hpp>

namespace baton {

namespace detail::peers {
template <class T>
inline constexpr bool no_python_reduction = false;
}  // namespace detail::peers

/// @brief A communicator whose messages are exactly mpi4py's lowercase ones (`comm.send`,
/// `comm.recv`, `comm.bcast`, ...): every payload is a pickle, converted by baton::py's codec
/// (py::object, py::ndarray<T> and every C++ type in docs/python.md). It has baton::comm's member
/// names and signatures for what mpi4py can answer.
///
/// Receives take the message whole (a matched probe, then the receive), so a type mismatch or a
/// refused pickle throws on this rank (type_mismatch, message_error) after the message was taken:
/// the job can go on. Collectives follow mpi4py 3.x's framing unless told otherwise
/// (BATON_MPI4PY_FRAMING in baton/config.hpp, or the constructor). mpi4py's lowercase
/// reductions run a tree of their own on a hidden duplicate communicator that a C++ rank cannot
/// join, so reduce, all_reduce, scan and exscan do not compile here: gather, then reduce on the
/// root.
class python_comm {
public:
    /// MPI_COMM_WORLD.
    python_comm() : python_comm(MPI_COMM_WORLD) {}
    /// Wraps `comm`, which the program keeps and frees; mpi4py_major is 3 or 4 (the collectives'
    /// framing of that mpi4py version). Throws usage_error for MPI_COMM_NULL or another version.
    explicit python_comm(MPI_Comm comm, int mpi4py_major = config::mpi4py_framing())
        : comm_(comm), major_(mpi4py_major) {
        if (comm == MPI_COMM_NULL) throw usage_error("python_comm: MPI_COMM_NULL is not a communicator");
        if (major_ != 3 && major_ != 4) {
            throw usage_error("python_comm: mpi4py " + std::to_string(major_) + " has no known framing (3 or 4)");
        }
        detail::check_mpi(MPI_Comm_rank(comm_, &rank_), "MPI_Comm_rank");
        detail::check_mpi(MPI_Comm_size(comm_, &size_), "MPI_Comm_size");
        int found = 0;
        int* upper = nullptr;
        detail::check_mpi(MPI_Comm_get_attr(MPI_COMM_WORLD, MPI_TAG_UB, &upper, &found), "MPI_Comm_get_attr");
        tag_upper_ = found != 0 && upper != nullptr ? *upper : 32767;
    }

    /// This rank's number.
    int rank() const noexcept { return rank_; }
    /// The number of ranks, Python's among them.
    int size() const noexcept { return size_; }
    /// The MPI communicator.
    MPI_Comm native() const noexcept { return comm_; }
    /// The mpi4py version whose collective framing this comm speaks (3 or 4).
    int mpi4py_framing() const noexcept { return major_; }

    // ---- point to point (mpi4py's send, recv, isend, irecv, probe, iprobe, sendrecv) ----

    /// @brief Sends value as its pickle, one message (a Python rank's `comm.recv` reads it).
    template <class T, class V>
    void send(int dest, tag<T> t, const V& value) const {
        const T& typed = value;
        send(dest, t.number, typed);
    }
    /// @brief As above, with a plain tag number.
    template <class T>
    void send(int dest, int t, const T& value) const {
        check_send(dest, t);
        const std::string bytes = py::pickle(value);
        const detail::waiting w([&] { return call("send", dest, t).substr(me().size() + 2); });
        detail::check_mpi(MPI_Send(bytes.data(), detail::peers::pickle_length(bytes.size(), call("send", dest, t)),
                                   MPI_BYTE, dest, t, comm_),
                          "MPI_Send");
    }

    /// @brief Receives what a rank sent with `comm.send` (or this comm's send), as T.
    template <class T>
    T recv(int source, tag<T> t) const {
        return recv<T>(source, t.number);
    }
    /// @brief As above, giving up after `timeout` with baton::timeout_error.
    template <class T, class Rep, class Period>
    T recv(int source, tag<T> t, std::chrono::duration<Rep, Period> timeout) const {
        return recv<T>(source, t.number, timeout);
    }
    /// @brief As above, with a plain tag number: `recv<std::vector<double>>(0, 11)`.
    template <class T>
    T recv(int source, int t) const {
        T out{};
        recv_into(source, t, out);
        return out;
    }
    /// @brief As above, giving up after `timeout` with baton::timeout_error.
    template <class T, class Rep, class Period>
    T recv(int source, int t, std::chrono::duration<Rep, Period> timeout) const {
        check_receive(source, t);
        const auto deadline =
            std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(timeout);
        detail::back_off wait;
        for (;;) {
            int found = 0;
            MPI_Message msg = MPI_MESSAGE_NULL;
            MPI_Status status;
            detail::check_mpi(MPI_Improbe(source, t, comm_, &found, &msg, &status), "MPI_Improbe");
            if (found != 0) {
                T out{};
                take<T>(msg, status, out);
                return out;
            }
            if (std::chrono::steady_clock::now() >= deadline) {
                throw timeout_error(
                    me() + ": no message " + route(source, t) + " (expected " + type_name<T>() + ") within " +
                    std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(timeout).count()) + " ms");
            }
            wait.pause(deadline);
        }
    }
    /// @brief Receives into `out`; the envelope's count is the pickle's length in bytes.
    template <class T>
    envelope recv_into(int source, tag<T> t, T& out) const {
        return recv_into(source, t.number, out);
    }
    /// @brief As above, with a plain tag number.
    template <class T>
    envelope recv_into(int source, int t, T& out) const {
        check_receive(source, t);
        MPI_Message msg = MPI_MESSAGE_NULL;
        MPI_Status status;
        {
            const detail::waiting w(
                [&] { return "recv " + route(source, t) + " (expecting " + type_name<T>() + ") on python_comm"; });
            detail::check_mpi(MPI_Mprobe(source, t, comm_, &msg, &status), "MPI_Mprobe");
        }
        return take<T>(msg, status, out);
    }
    /// @brief Sends value to dest and receives an R from source (Python's `comm.sendrecv`).
    template <class S, class R>
    R sendrecv(int dest, tag<S> send_tag, const S& value, int source, tag<R> recv_tag) const {
        send_request sent = isend(dest, send_tag, value);
        R got = recv(source, recv_tag);
        sent.wait();
        return got;
    }

    /// @brief Starts sending value's pickle; the request owns the bytes.
    template <class T, class V>
    [[nodiscard]] send_request isend(int dest, tag<T> t, const V& value) const {
        const T& typed = value;
        return isend(dest, t.number, typed);
    }
    /// @brief As above, with a plain tag number.
    template <class T>
    [[nodiscard]] send_request isend(int dest, int t, const T& value) const {
        check_send(dest, t);
        const std::string pickled = py::pickle(value);
        detail::byte_buffer bytes(pickled.begin(), pickled.end());
        detail::posted_send sent;
        const std::string what = call("isend", dest, t);
        detail::check_mpi(MPI_Isend(bytes.data(), detail::peers::pickle_length(bytes.size(), what), MPI_BYTE, dest, t,
                                    comm_, &sent.requests[0]),
                          "MPI_Isend");
        return send_request(std::move(bytes), sent, what, detail::comm_state::of(comm_));
    }
    /// @brief Starts a receive of a T; wait() returns it. A Python rank's `comm.isend` is one
    /// message like its send, so any send from Python matches it.
    template <class T>
    [[nodiscard]] python_recv_request<T> irecv(int source, tag<T> t) const {
        return irecv<T>(source, t.number);
    }
    /// @brief As above, with a plain tag number.
    template <class T>
    [[nodiscard]] python_recv_request<T> irecv(int source, int t) const {
        check_source(source, t);
        return python_recv_request<T>(comm_, source, t, me() + ": irecv of " + type_name<T>());
    }

    /// @brief Waits for a matching message without receiving it; count is its length in bytes.
    template <class T>
    envelope probe(int source, tag<T> t) const {
        return probe(source, t.number);
    }
    /// @brief As above, with a plain tag number (or baton::any_tag).
    envelope probe(int source, int t) const {
        check_receive(source, t);
        MPI_Status status;
        const detail::waiting w([&] { return "probe " + route(source, t) + " on python_comm"; });
        detail::check_mpi(MPI_Probe(source, t, comm_, &status), "MPI_Probe");
        return envelope_of(status);
    }
    /// @brief The envelope of a matching message if one has arrived, else empty.
    template <class T>
    std::optional<envelope> iprobe(int source, tag<T> t) const {
        return iprobe(source, t.number);
    }
    /// @brief As above, with a plain tag number (or baton::any_tag).
    std::optional<envelope> iprobe(int source, int t) const {
        check_source(source, t);
        int found = 0;
        MPI_Status status;
        detail::check_mpi(MPI_Iprobe(source, t, comm_, &found, &status), "MPI_Iprobe");
        if (found == 0) return std::nullopt;
        return envelope_of(status);
    }

    // ---- rank-gated blocks (as baton::comm's: an escaping exception ends the whole job) ----

    /// @brief Runs `block` on rank r only; an exception escaping it ends the whole job.
    template <class F>
    auto on_rank(int r, F&& block) const {
        check_rank(r, "on_rank for");
        return detail::run_gated(rank_ == r, block);
    }
    /// @brief on_rank(0, block).
    template <class F>
    auto on_root(F&& block) const {
        return detail::run_gated(rank_ == 0, block);
    }
    /// @brief Runs `block` on each listed rank.
    template <class F>
    auto on_ranks(std::initializer_list<int> ranks, F&& block) const {
        bool mine = false;
        for (int r : ranks) {
            check_rank(r, "on_ranks for");
            mine = mine || r == rank_;
        }
        return detail::run_gated(mine, block);
    }
    /// @brief Runs `block` on every rank except r.
    template <class F>
    auto on_ranks_except(int r, F&& block) const {
        check_rank(r, "on_ranks_except for");
        return detail::run_gated(rank_ != r, block);
    }

    // ---- collectives (every rank, Python's too, calls the same one in the same order) ----

    /// @brief Python's `comm.barrier()`.
    void barrier() const {
        const detail::waiting w([] { return std::string("barrier() on python_comm"); });
        detail::check_mpi(MPI_Barrier(comm_), "MPI_Barrier");
    }
    /// @brief Python's `comm.bcast(obj, root)`: the root's value on every rank.
    template <class T>
    void broadcast(T& value, int root = 0) const {
        check_rank(root, "broadcast from");
        const std::string what = collective("broadcast", root);
        const detail::waiting w([&] { return what.substr(me().size() + 2); });
        std::string bytes = rank_ == root ? py::pickle(value) : std::string();
        detail::peers::bcast_pickle(comm_, bytes, root, rank_ == root, major_, what);
        if (rank_ != root) value = decode<T>(bytes, what);
    }
    /// @brief Python's `comm.gather(obj, root)`: every rank's value, in rank order, on the root.
    template <class T>
    std::optional<std::vector<T>> gather(const T& value, int root = 0) const {
        check_rank(root, "gather to");
        const std::string what = collective("gather", root);
        const detail::waiting w([&] { return what.substr(me().size() + 2); });
        const auto all =
            detail::peers::gather_pickles(comm_, py::pickle(value), root, rank_ == root, size_, major_, what);
        if (rank_ != root) return std::nullopt;
        return decode_all<T>(all, what);
    }
    /// @brief Python's `comm.allgather(obj)`: every rank's value, in rank order, on every rank.
    template <class T>
    std::vector<T> all_gather(const T& value) const {
        const std::string what = collective("all_gather", -1);
        const detail::waiting w([&] { return what.substr(me().size() + 2); });
        return decode_all<T>(detail::peers::all_gather_pickles(comm_, py::pickle(value), size_, major_, what), what);
    }
    /// @brief Python's `comm.scatter(objs, root)`: values[r] to rank r. `values` is read on the
    /// root only, where it must hold one value per rank (else usage_error, before any message).
    template <class T>
    T scatter(const std::vector<T>& values, int root = 0) const {
        check_rank(root, "scatter from");
        const std::string what = collective("scatter", root);
        const detail::waiting w([&] { return what.substr(me().size() + 2); });
        std::vector<std::string> pieces;
        if (rank_ == root) {
            check_one_per_rank(values.size(), what);
            for (const auto& v : values) pieces.push_back(py::pickle(v));
        }
        return decode<T>(detail::peers::scatter_pickles(comm_, pieces, root, rank_ == root, major_, what), what);
    }
    /// @brief Python's `comm.alltoall(objs)`: to_each[r] to rank r; returns one value from each.
    template <class T>
    std::vector<T> all_to_all(const std::vector<T>& to_each) const {
        const std::string what = collective("all_to_all", -1);
        const detail::waiting w([&] { return what.substr(me().size() + 2); });
        check_one_per_rank(to_each.size(), what);
        std::vector<std::string> pieces;
        for (const auto& v : to_each) pieces.push_back(py::pickle(v));
        return decode_all<T>(detail::peers::all_to_all_pickles(comm_, pieces, major_, what), what);
    }

    /// mpi4py's lowercase reduce runs on a hidden communicator a C++ rank cannot join.
    template <class T, class Op>
    std::optional<T> reduce(const T&, Op, int = 0) const {
        static_assert(detail::peers::no_python_reduction<T>,
                      "python_comm has no reduce: mpi4py's lowercase reductions run on a hidden duplicate "
                      "communicator that a C++ rank cannot join; gather to the root, then reduce there");
        return std::nullopt;
    }
    /// mpi4py's lowercase allreduce runs on a hidden communicator a C++ rank cannot join.
    template <class T, class Op>
    T all_reduce(const T& value, Op) const {
        static_assert(detail::peers::no_python_reduction<T>,
                      "python_comm has no all_reduce: mpi4py's lowercase reductions run on a hidden duplicate "
                      "communicator that a C++ rank cannot join; all_gather, then reduce on each rank");
        return value;
    }
    /// mpi4py's lowercase scan runs on a hidden communicator a C++ rank cannot join.
    template <class T, class Op>
    T scan(const T& value, Op) const {
        static_assert(detail::peers::no_python_reduction<T>,
                      "python_comm has no scan: mpi4py's lowercase scan runs on a hidden duplicate communicator "
                      "that a C++ rank cannot join; all_gather, then fold the ranks before this one");
        return value;
    }
    /// mpi4py's lowercase exscan runs on a hidden communicator a C++ rank cannot join.
    template <class T, class Op>
    std::optional<T> exscan(const T&, Op) const {
        static_assert(detail::peers::no_python_reduction<T>,
                      "python_comm has no exscan: mpi4py's lowercase exscan runs on a hidden duplicate "
                      "communicator that a C++ rank cannot join; all_gather, then fold the ranks before this one");
        return std::nullopt;
    }
    /// mpi4py has no lowercase non-blocking collectives.
    template <class T = void>
    void ibarrier() const {
        static_assert(detail::peers::no_python_reduction<T>,
                      "python_comm has no ibarrier: mpi4py has no lowercase non-blocking collectives; use barrier");
    }
    /// mpi4py has no lowercase non-blocking collectives.
    template <class T>
    void ibroadcast(const T&, int = 0) const {
        static_assert(detail::peers::no_python_reduction<T>,
                      "python_comm has no ibroadcast: mpi4py has no lowercase non-blocking collectives; use "
                      "broadcast");
    }
    /// mpi4py has no lowercase non-blocking collectives.
    template <class T, class Op>
    void iall_reduce(const T&, Op) const {
        static_assert(detail::peers::no_python_reduction<T>,
                      "python_comm has no iall_reduce: mpi4py's lowercase reductions run on a hidden duplicate "
                      "communicator that a C++ rank cannot join; all_gather, then reduce on each rank");
    }
    /// mpi4py has no lowercase non-blocking collectives.
    template <class T>
    void iall_gather(const T&) const {
        static_assert(detail::peers::no_python_reduction<T>,
                      "python_comm has no iall_gather: mpi4py has no lowercase non-blocking collectives; use "
                      "all_gather");
    }

private:
    std::string me() const { return "rank " + std::to_string(rank_); }
    static std::string route(int source, int t) { return detail::comm_core::describe_route(source, t); }
    std::string call(const char* name, int dest, int t) const {
        return me() + ": " + name + " to rank " + std::to_string(dest) + " tag " + std::to_string(t) +
               " on python_comm";
    }
    std::string collective(const char* name, int root) const {
        return me() + ": " + name + (root >= 0 ? " (root " + std::to_string(root) + ")" : std::string()) +
               " on python_comm";
    }

    void check_rank(int r, const char* action) const {
        if (r < 0 || r >= size_) {
            throw usage_error(me() + ": " + action + " rank " + std::to_string(r) + ", but the communicator has " +
                              std::to_string(size_) + " ranks (0 to " + std::to_string(size_ - 1) + ")");
        }
    }
    void check_tag(int t, bool wildcard_ok) const {
        if (wildcard_ok && t == MPI_ANY_TAG) return;
        if (t < 0 || t > tag_upper_) {
            throw usage_error(me() + ": tag " + std::to_string(t) + " is outside [0, " + std::to_string(tag_upper_) +
                              "] (MPI_TAG_UB)");
        }
    }
    void check_send(int dest, int t) const {
        check_rank(dest, "send to");
        check_tag(t, false);
    }
    void check_source(int source, int t) const {
        if (source != MPI_ANY_SOURCE) check_rank(source, "receive from");
        check_tag(t, true);
    }
    void check_receive(int source, int t) const {
        check_source(source, t);
        if (source == rank_ || (source == MPI_ANY_SOURCE && size_ == 1)) {
            // A message to oneself must have been sent already, or the receive waits forever.
            // Over a network a rank's own message may take a moment to show: look for it
            // for a while before refusing.
            const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(200);
            detail::back_off wait;
            int found = 0;
            for (;;) {
                detail::check_mpi(MPI_Iprobe(source, t, comm_, &found, MPI_STATUS_IGNORE), "MPI_Iprobe");
                if (found != 0 || std::chrono::steady_clock::now() >= until) break;
                wait.pause(until);
            }
            if (found == 0) {
                throw usage_error(me() + ": receive " + route(source, t) +
                                  " can never be matched: only this rank could send it, and it has not");
            }
        }
    }
    void check_one_per_rank(std::size_t n, const std::string& what) const {
        if (n != static_cast<std::size_t>(size_)) {
            throw usage_error(what + ": " + std::to_string(n) + " values for " + std::to_string(size_) +
                              " ranks (one per rank)");
        }
    }

    static envelope envelope_of(const MPI_Status& status) {
        return envelope{status.MPI_SOURCE, status.MPI_TAG, detail::peers::received_bytes(status)};
    }

    // mpi4py's recv: the matched message's length, then the message (PyMPI_recv_match).
    template <class T>
    envelope take(MPI_Message& msg, const MPI_Status& status, T& out) const {
        const envelope env = envelope_of(status);
        std::string bytes(env.count, '\0');
        detail::check_mpi(MPI_Mrecv(bytes.data(), static_cast<int>(env.count), MPI_BYTE, &msg, MPI_STATUS_IGNORE),
                          "MPI_Mrecv");
        out = detail::peers::from_pickle<T>(bytes, me() + ": recv of " + type_name<T>() + " from rank " +
                                                       std::to_string(env.source) + " tag " + std::to_string(env.tag) +
                                                       " on python_comm");
        return env;
    }

    // A collective's piece. Ranks that disagree on the framing misread each other's lengths, so
    // a piece that is no pickle says which setting to check.
    template <class T>
    T decode(std::string_view bytes, const std::string& what) const {
        try {
            return detail::peers::from_pickle<T>(bytes, what);
        } catch (const message_error& e) {
            throw message_error(std::string(e.what()) + " (this rank speaks mpi4py " + std::to_string(major_) +
                                "'s collective framing: do the Python ranks run that mpi4py? BATON_MPI4PY_FRAMING "
                                "selects 3 or 4)");
        }
    }

    template <class T>
    std::vector<T> decode_all(const detail::peers::packed_pieces& all, const std::string& what) const {
        std::vector<T> out;
        out.reserve(all.counts.size());
        for (std::size_t r = 0; r < all.counts.size(); ++r)
            out.push_back(
                detail::peers::from_pickle<T>(all.piece(r), what + ", the value from rank " + std::to_string(r)));
        return out;
    }

    MPI_Comm comm_;
    int major_;
    int rank_ = 0;
    int size_ = 0;
    int tag_upper_ = 32767;
};

}  // namespace baton
