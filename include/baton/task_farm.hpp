#pragma once
/// @file
/// baton::task_farm: a dynamic master/worker map, in the spirit of mpi4py's
/// MPIPoolExecutor.map. The root hands out tasks (a chunk at a time) to whichever worker is
/// free and, by default, runs tasks itself between hand-outs; results come back in input
/// order on the root.

#include <cstdint>
#include <cstring>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <baton/comm.hpp>
#include <baton/detail/farm/journal.hpp>
#include <baton/detail/runtime/watchdog.hpp>
#include <baton/error.hpp>
#include <baton/wire/encodings.hpp>

namespace baton {

/// @brief A task threw on a worker (or on the root).
class task_error : public error {
public:
    /// Task `index` failed on `rank` with `message`.
    task_error(std::size_t index, int rank, const std::string& message)
        : error("task " + std::to_string(index) + " failed on rank " + std::to_string(rank) + ": " + message),
          index_(index),
          rank_(rank) {}
    /// Position of the failed task in the input.
    std::size_t index() const noexcept { return index_; }
    /// The rank that ran it.
    int rank() const noexcept { return rank_; }

private:
    std::size_t index_;
    int rank_;
};

/// @brief How a task_farm runs a map.
struct farm_options {
    /// A file the root appends each task's outcome to as it arrives (empty: none). A rerun with
    /// the same tasks and seed reads the finished ones back and runs only the rest; a file
    /// written for another task list or seed, or by another build of the program (see
    /// revision), is refused (baton::error); a record cut short by a kill is dropped.
    std::string checkpoint;
    /// The program's revision, for the checkpoint. Empty (the default): the checkpoint records a
    /// hash of the program's executable, and a checkpoint written by another build is refused
    /// (its scoring may have changed); the same binary resubmitted resumes. A program whose
    /// results stay valid across rebuilds names its revision here ("scoring-v3"), which then
    /// replaces the executable's identity: builds with the same revision resume each other's
    /// checkpoints.
    std::string revision;
    /// Tasks handed to a worker at a time (at least 1). Results still come back one by one.
    std::size_t chunk_size = 1;
    /// Base of the per-task seeds (task_context::seed).
    std::uint64_t seed = 0;
    /// The root runs tasks too, between hand-outs. false: it only hands out work (with one
    /// rank it runs them all either way).
    bool root_works = true;
};

/// @brief The seed of task `index` under base seed `seed`: the same whichever rank runs it, at
/// any rank count and chunk size (a SplitMix64 mix of both).
constexpr std::uint64_t task_seed(std::uint64_t seed, std::size_t index) noexcept {
    std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (static_cast<std::uint64_t>(index) + 1);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/// @brief What a task knows about itself: its place in the input and its seed. A work
/// function may take it as a second argument: `[](const double& c, baton::task_context& ctx)`.
class task_context {
public:
    /// (Made by the farm.)
    task_context(std::size_t index, std::uint64_t base_seed) noexcept : index_(index), seed_(base_seed) {}
    /// The task's position in the input.
    std::size_t index() const noexcept { return index_; }
    /// A 64-bit seed from (farm_options::seed, index()): task_seed(seed, index).
    std::uint64_t seed() const noexcept { return task_seed(seed_, index_); }

private:
    std::size_t index_;
    std::uint64_t seed_;
};

/// @brief One task's outcome in try_map: its result, or the task_error it ended with.
template <class R>
class outcome {
public:
    /// A result.
    explicit outcome(R value) : value_(std::move(value)) {}
    /// A failure.
    explicit outcome(task_error failure) : error_(std::move(failure)) {}
    /// True if the task returned a result.
    bool ok() const noexcept { return value_.has_value(); }
    /// The result; throws the task's task_error if it failed.
    const R& value() const {
        if (!value_) throw *error_;
        return *value_;
    }
    /// The failure; throws baton::usage_error if the task succeeded.
    const task_error& error() const {
        if (!error_) throw usage_error("outcome::error(): task succeeded; check ok() first");
        return *error_;
    }

private:
    std::optional<R> value_;
    std::optional<task_error> error_;
};

/// @brief Farms tasks out from a root rank to the others.
/// @code
/// baton::task_farm farm(world);
/// auto scores = farm.map(candidates, [&](double c) { return evaluate(c); });   // on root: all results
/// @endcode
template <class Comm = comm>
class task_farm {
public:
    /// Collective: every rank of `comm` constructs the farm (it duplicates the communicator,
    /// so the farm's messages never meet the program's own).
    explicit task_farm(const Comm& comm, int root = 0) : root_(root) {
        if (root < 0 || root >= comm.size()) {
            throw usage_error("rank " + std::to_string(comm.rank()) + ": task_farm root " + std::to_string(root) +
                              " is not a rank of the communicator (size " + std::to_string(comm.size()) + ")");
        }
        comm_ = std::make_unique<Comm>(comm.dup());
    }

    /// Called on the root after each result: (results so far, total).
    void on_progress(std::function<void(std::size_t, std::size_t)> callback) { progress_ = std::move(callback); }

    /// @brief Applies `work` to every task; collective. `tasks` is read on the root only.
    /// Returns the results in input order on the root, empty elsewhere. If a task throws, no
    /// new tasks are handed out, the running ones finish, and the root throws
    /// baton::task_error naming the task's index, its rank and the message; the workers
    /// return normally. `work` takes a task, or a task and its task_context.
    template <class Task, class Work>
    auto map(const std::vector<Task>& tasks, Work&& work, const farm_options& options = {}) {
        using Result = result_of<Task, Work>;
        auto outcomes = run<Task, Result>(tasks, work, options, true);
        std::optional<std::vector<Result>> results;
        if (!outcomes) return results;
        results.emplace();
        results->reserve(outcomes->size());
        for (auto& o : *outcomes) results->push_back(o.value());
        return results;
    }

    /// @brief As map, but a failing task does not stop the others: on the root, one
    /// baton::outcome per task, in input order.
    template <class Task, class Work>
    auto try_map(const std::vector<Task>& tasks, Work&& work, const farm_options& options = {}) {
        return run<Task, result_of<Task, Work>>(tasks, work, options, false);
    }

private:
    template <class Task, class Work>
    static constexpr bool takes_context = std::is_invocable_v<Work&, const Task&, task_context&>;
    template <class Task, class Work>
    using result_of = std::decay_t<
        typename std::conditional_t<takes_context<Task, Work>, std::invoke_result<Work&, const Task&, task_context&>,
                                    std::invoke_result<Work&, const Task&>>::type>;

    // The farm's messages, on its private communicator, one type per tag.
    static constexpr tag<std::vector<std::uint64_t>> assignment{1};  // indices of a chunk; empty: stop
    static constexpr int task_tag = 2;                               // the tasks of a chunk, one by one
    static constexpr tag<std::uint64_t> succeeded{3};                // a task's index, then its result
    static constexpr int result_tag = 4;
    static constexpr tag<std::uint64_t> failed{5};  // a task's index, then its error message
    static constexpr tag<std::string> message_tag{6};

    template <class Result, class Task, class Work>
    static std::optional<Result> attempt(Work& work, const Task& task, std::size_t index, std::uint64_t seed,
                                         std::string& failure) {
        try {
            if constexpr (takes_context<Task, Work>) {
                task_context ctx(index, seed);
                return work(task, ctx);
            } else {
                return work(task);
            }
        } catch (const std::exception& e) {
            failure = e.what();
        } catch (...) {
            failure = "unknown exception (not derived from std::exception)";
        }
        return std::nullopt;
    }

    template <class Task, class Result, class Work>
    std::optional<std::vector<outcome<Result>>> run(const std::vector<Task>& tasks, Work& work,
                                                    const farm_options& options, bool stop_at_failure) {
        if (options.chunk_size == 0) throw usage_error("task_farm: chunk_size must be at least 1");
        if (comm_->rank() != root_) {
            serve<Task, Result>(work, options);
            return std::nullopt;
        }
        return lead<Task, Result>(tasks, work, options, stop_at_failure);
    }

    template <class Task, class Result, class Work>
    std::vector<outcome<Result>> lead(const std::vector<Task>& tasks, Work& work, const farm_options& options,
                                      bool stop_at_failure) {
        const Comm& c = *comm_;
        const std::size_t total = tasks.size();
        std::vector<std::optional<outcome<Result>>> slots(total);
        std::size_t done = 0;
        bool stopping = false;
        // Each worker holds up to two chunks, the one it runs and the next, so it never waits for
        // a root that is busy running a task of its own: `owed` lists the sizes of the chunks a
        // worker has not finished, oldest first.
        std::vector<std::deque<std::size_t>> owed(static_cast<std::size_t>(c.size()));
        std::vector<bool> stopped(static_cast<std::size_t>(c.size()), false);  // sent an empty assignment
        std::unique_ptr<detail::farm_journal> journal;
        if (!options.checkpoint.empty()) {
            try {
                journal = open_journal<Result>(tasks, options, slots, done);
            } catch (...) {
                for (int r = 0; r < c.size(); ++r) {  // release the workers before saying why
                    if (r != root_) c.send(r, assignment, std::vector<std::uint64_t>{});
                }
                throw;
            }
        }
        std::vector<std::size_t> pending;  // the tasks to run, in input order
        for (std::size_t i = 0; i < total; ++i) {
            if (!slots[i]) pending.push_back(i);
        }
        std::size_t next_pending = 0;
        auto more = [&] { return !stopping && next_pending < pending.size(); };
        auto take = [&] { return pending[next_pending++]; };

        auto record = [&](std::size_t index, outcome<Result> o) {
            if (!o.ok() && stop_at_failure) stopping = true;
            if (journal) write_record(*journal, index, o);
            slots[index].emplace(std::move(o));
            ++done;
            if (progress_) progress_(done, total);
        };
        auto hand_out = [&](int worker) {
            if (stopped[static_cast<std::size_t>(worker)]) return;
            std::vector<std::uint64_t> chunk;
            while (more() && chunk.size() < options.chunk_size) chunk.push_back(take());
            c.send(worker, assignment, chunk);
            for (auto index : chunk) c.send(worker, tag<Task>{task_tag}, tasks[static_cast<std::size_t>(index)]);
            if (chunk.empty())
                stopped[static_cast<std::size_t>(worker)] = true;
            else
                owed[static_cast<std::size_t>(worker)].push_back(chunk.size());
        };
        auto collect = [&](const envelope& e) {  // one report, already probed
            const int worker = e.source;
            if (e.tag == succeeded.number) {
                const auto index = static_cast<std::size_t>(c.recv(worker, succeeded));
                record(index, outcome<Result>(c.recv(worker, tag<Result>{result_tag})));
            } else {
                const auto index = static_cast<std::size_t>(c.recv(worker, failed));
                record(index, outcome<Result>(task_error(index, worker, c.recv(worker, message_tag))));
            }
            auto& chunks = owed[static_cast<std::size_t>(worker)];
            if (--chunks.front() == 0) {
                chunks.pop_front();
                hand_out(worker);
            }
        };
        auto report_waiting = [&]() -> std::optional<envelope> {
            if (auto e = c.iprobe(any_source, succeeded.number)) return e;
            return c.iprobe(any_source, failed.number);
        };
        auto run_here = [&](std::size_t index) {
            std::string failure;
            auto r = attempt<Result>(work, tasks[index], index, options.seed, failure);
            if (r)
                record(index, outcome<Result>(std::move(*r)));
            else
                record(index, outcome<Result>(task_error(index, c.rank(), failure)));
        };

        if (c.size() == 1) {
            while (more()) run_here(take());
        } else {
            for (int ahead = 0; ahead < 2; ++ahead) {
                for (int r = 0; r < c.size(); ++r) {
                    if (r != root_) hand_out(r);
                }
            }
            // Until every worker has had its stop (an empty assignment) and reported all it was
            // given: serve reports first, and run a task here only when none is waiting.
            auto workers_busy = [&] {
                for (int r = 0; r < c.size(); ++r) {
                    const auto w = static_cast<std::size_t>(r);
                    if (r != root_ && (!stopped[w] || !owed[w].empty())) return true;
                }
                return false;
            };
            while (workers_busy() || (options.root_works && more())) {
                if (auto e = report_waiting()) {
                    collect(*e);
                } else if (options.root_works && more()) {
                    run_here(take());
                } else {
                    std::optional<envelope> e;
                    const detail::waiting w([&] {
                        return "task_farm on the root, waiting for a worker's result (" + std::to_string(total - done) +
                               " of " + std::to_string(total) + " tasks outstanding)";
                    });
                    detail::poll_until([&] { return (e = report_waiting()).has_value(); });
                    collect(*e);
                }
            }
        }
        // With stop_at_failure, tasks never handed out have no outcome: the first failure in
        // input order is thrown instead.
        if (stop_at_failure) {
            for (auto& s : slots) {
                if (s && !s->ok()) throw s->error();
            }
        }
        std::vector<outcome<Result>> out;
        out.reserve(total);
        for (auto& s : slots) out.push_back(std::move(*s));
        return out;
    }

    /// Opens the checkpoint and fills `slots` with the outcomes it holds.
    template <class Result, class Task>
    std::unique_ptr<detail::farm_journal> open_journal(const std::vector<Task>& tasks, const farm_options& options,
                                                       std::vector<std::optional<outcome<Result>>>& slots,
                                                       std::size_t& done) const {
        detail::byte_buffer encoded;
        wire::native_encoding::save(comm_->native(), encoded, tasks);
        const std::uint64_t fingerprint =
            wire::fnv1a(encoded.data(), encoded.size(),
                        wire::fnv1a(reinterpret_cast<const char*>(&options.seed), sizeof options.seed));
        auto journal =
            std::make_unique<detail::farm_journal>(options.checkpoint, fingerprint, tasks.size(), options.revision);
        for (const auto& r : journal->finished()) {
            const auto index = static_cast<std::size_t>(r.index);
            if (slots[index]) continue;
            if (r.ok) {
                Result value{};
                wire::native_encoding::load(comm_->native(), r.payload.data(), r.payload.size(), value);
                slots[index].emplace(std::move(value));
            } else {
                std::int32_t rank = -1;
                std::memcpy(&rank, r.payload.data(), sizeof rank);
                slots[index].emplace(task_error(index, rank, r.payload.substr(sizeof rank)));
            }
            ++done;
        }
        return journal;
    }

    template <class Result>
    void write_record(detail::farm_journal& journal, std::size_t index, const outcome<Result>& o) const {
        detail::byte_buffer payload;
        if (o.ok()) {
            wire::native_encoding::save(comm_->native(), payload, o.value());
        } else {
            // the rank, then the message without the "task N failed on rank R: " that what() adds
            const std::int32_t rank = o.error().rank();
            const std::string what = o.error().what();
            const std::string prefix =
                "task " + std::to_string(index) + " failed on rank " + std::to_string(rank) + ": ";
            const std::string message = what.compare(0, prefix.size(), prefix) == 0 ? what.substr(prefix.size()) : what;
            payload.resize(sizeof rank + message.size());
            std::memcpy(payload.data(), &rank, sizeof rank);
            std::memcpy(payload.data() + sizeof rank, message.data(), message.size());
        }
        journal.append(index, o.ok(), payload.data(), payload.size());
    }

    template <class Task, class Result, class Work>
    void serve(Work& work, const farm_options& options) {
        const Comm& c = *comm_;
        for (;;) {
            const std::vector<std::uint64_t> chunk = c.recv(root_, assignment);
            if (chunk.empty()) return;
            std::vector<Task> mine;
            mine.reserve(chunk.size());
            for (std::size_t k = 0; k < chunk.size(); ++k) mine.push_back(c.recv(root_, tag<Task>{task_tag}));
            for (std::size_t k = 0; k < chunk.size(); ++k) {
                const auto index = static_cast<std::size_t>(chunk[k]);
                std::string failure;
                auto r = attempt<Result>(work, mine[k], index, options.seed, failure);
                if (r) {
                    c.send(root_, succeeded, chunk[k]);
                    c.send(root_, tag<Result>{result_tag}, *r);
                } else {
                    c.send(root_, failed, chunk[k]);
                    c.send(root_, message_tag, failure);
                }
            }
        }
    }

    int root_;
    std::unique_ptr<Comm> comm_;
    std::function<void(std::size_t, std::size_t)> progress_;
};

}  // namespace baton
