#pragma once
// What a basic_comm holds, and the checks every call makes before MPI sees its arguments. The
// test of each check is inline; the message (strings built for an exception) is in a cold
// function of its own, so the common path stays a few compares.

#include <mpi.h>

#include <chrono>
#include <memory>
#include <string>
#include <utility>

#include <baton/config.hpp>
#include <baton/detail/collectives/agreement.hpp>
#include <baton/detail/mpi/check.hpp>
#include <baton/detail/runtime/abort.hpp>
#include <baton/detail/runtime/communicator_handle.hpp>
#include <baton/detail/runtime/watchdog.hpp>
#include <baton/detail/state/comm_state.hpp>
#include <baton/error.hpp>
#include <baton/tag.hpp>

namespace baton::detail {

class comm_core {
public:
    /// The communicator `handle` holds, with MPI_ERRORS_RETURN set and its state attached.
    explicit comm_core(std::shared_ptr<communicator_handle> made) : handle(std::move(made)) {
        if (!mpi_running()) {
            int finalized = 0;
            MPI_Finalized(&finalized);
            throw usage_error(finalized ? "baton::comm made after MPI was finalized (the baton::environment has ended)"
                                        : "baton::comm made before MPI was started: create the environment first "
                                          "(baton::environment env(argc, argv); first thing in main; a global "
                                          "baton::comm is built before main runs)");
        }
        native = handle->get();
        tag_upper = tag_upper_bound();
        if (native == MPI_COMM_NULL) return;  // a rank that joined no group
        check_mpi(MPI_Comm_rank(native, &rank), "MPI_Comm_rank");
        check_mpi(MPI_Comm_size(native, &size), "MPI_Comm_size");
        check_mpi(MPI_Comm_set_errhandler(native, MPI_ERRORS_RETURN), "MPI_Comm_set_errhandler");
        state = comm_state::of(native);
        bodies = state->bodies();
    }

    /// Opens the body channel of a communicator baton made: every rank of it builds it at the
    /// same point, so the collective duplicate is safe here.
    void open_body_channel() {
        if (!state) return;
        state->open_body_channel(native);
        bodies = state->bodies();
    }

    std::shared_ptr<communicator_handle> handle;
    std::shared_ptr<comm_state> state;  // null for the null communicator
    MPI_Comm native = MPI_COMM_NULL;    // handle->get(), read once
    MPI_Comm bodies = MPI_COMM_NULL;    // state->bodies(), read once
    int tag_upper = 0;                  // tag_upper_bound(), read once
    int rank = -1;
    int size = 0;

    bool is_null() const noexcept { return native == MPI_COMM_NULL; }
    std::string me() const { return "rank " + std::to_string(rank); }

    /// " on MPI_COMM_WORLD": the communicator, for the watchdog's lines.
    std::string on() const { return " on " + communicator_name(native, size); }

    /// With BATON_CHECK_COLLECTIVES=1: every rank says what it calls (`describe()`, built only
    /// then) and all throw usage_error if any rank calls something else. Collective.
    template <class Describe>
    void check_collective(Describe describe) const {
        if (!config::check_collectives() || !state) return;
        check_same_collective(state->internal(native), native, size, describe());
    }

    void require_live(const char* call) const {
        if (is_null()) throw_null(call);
    }
    void check_rank(int r, const char* action) const {
        require_live(action);
        if (r < 0 || r >= size) throw_bad_rank(r, action);
    }
    void check_rank_or_any(int r, const char* action) const {
        require_live(action);
        if (r != any_source) check_rank(r, action);
    }
    void check_tag(int t, bool wildcard_ok) const {
        if (wildcard_ok && t == any_tag) return;
        if (t < 0 || t > tag_upper) throw_bad_tag(t);
    }
    /// A send's destination and tag.
    void check_send(int dest, int t) const {
        check_rank(dest, "send to");
        check_tag(t, false);
    }
    /// A non-blocking receive's source and tag (wildcards allowed).
    void check_posted_receive(int source, int t) const {
        check_rank_or_any(source, "receive from");
        check_tag(t, true);
    }
    /// Rejects a blocking receive that can never match: from oneself (or from any source when
    /// alone) with nothing already sent.
    void check_receive(int source, int t, bool has_deadline = false) const {
        check_posted_receive(source, t);
        if (has_deadline) return;
        const bool only_self = source == rank || (source == any_source && size == 1);
        if (only_self) check_receive_from_self(source, t);
    }
    /// A collective's argument of one value per rank.
    void check_one_per_rank(std::size_t values, const char* call) const {
        require_live(call);
        if (values != static_cast<std::size_t>(size)) throw_not_one_per_rank(values, call);
    }

    /// "from rank S tag T", with the wildcards in words.
    static std::string describe_route(int source, int t) {
        std::string s = source == any_source ? "from any rank" : "from rank " + std::to_string(source);
        return s + (t == any_tag ? " with any tag" : " tag " + std::to_string(t));
    }

private:
    static int tag_upper_bound() {
        static const int upper = [] {
            void* value = nullptr;
            int found = 0;
            MPI_Comm_get_attr(MPI_COMM_WORLD, MPI_TAG_UB, &value, &found);
            return found ? *static_cast<int*>(value) : 32767;  // 32767 is the least MPI guarantees
        }();
        return upper;
    }

    [[noreturn, gnu::cold, gnu::noinline]] void throw_null(const char* call) const {
        throw usage_error("rank " + std::to_string(world_rank_or_minus_one()) + ": " + call +
                          " on a null communicator: this rank joined no group (split with baton::undefined)");
    }
    [[noreturn, gnu::cold, gnu::noinline]] void throw_bad_rank(int r, const char* action) const {
        throw usage_error(me() + ": " + action + " rank " + std::to_string(r) + ", but the communicator has " +
                          std::to_string(size) +
                          (size == 1 ? " rank (0)" : " ranks (0.." + std::to_string(size - 1) + ")"));
    }
    [[noreturn, gnu::cold, gnu::noinline]] void throw_bad_tag(int t) const {
        throw usage_error(me() + ": tag " + std::to_string(t) + " is outside [0, " + std::to_string(tag_upper) +
                          "] (MPI_TAG_UB)");
    }
    [[noreturn, gnu::cold, gnu::noinline]] void throw_not_one_per_rank(std::size_t values, const char* call) const {
        throw usage_error(me() + ": " + call + " needs one value per rank (" + std::to_string(size) + "), got " +
                          std::to_string(values));
    }

    [[gnu::noinline]] void check_receive_from_self(int source, int t) const {
        if (state->sent_to_self.outstanding(t)) return;
        // A message sent with plain MPI is unknown to baton; MPI_Iprobe finds it, though maybe
        // not at the first call (MPI only promises that repeated calls will), so ask for a while
        // before calling the receive a certain hang.
        const auto give_up = std::chrono::steady_clock::now() + std::chrono::milliseconds(200);
        int found = 0;
        MPI_Status status;
        do {
            check_mpi(MPI_Iprobe(source, t, native, &found, &status), "MPI_Iprobe");
        } while (!found && std::chrono::steady_clock::now() < give_up);
        if (!found) {
            throw usage_error(me() + ": blocking receive " + describe_route(source, t) +
                              " can only be matched by this rank itself, which has sent no such message; "
                              "it would wait forever");
        }
    }
};

}  // namespace baton::detail
