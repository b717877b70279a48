#pragma once
/// @file
/// baton::task_farm: a dynamic master/worker map, in the spirit of mpi4py's
/// MPIPoolExecutor.map. The root hands out one task at a time to whichever worker is free;
/// results come back in input order on the root.

#include <mpi.h>

#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include <baton/comm.hpp>
#include <baton/error.hpp>

namespace baton {

/// @brief A task threw on a worker (or on the root in a one-rank run).
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
    /// Returns the results in input order on the root, empty elsewhere. With one rank the root
    /// runs every task itself. If a task throws, no new tasks are handed out, the running ones
    /// finish, and the root throws baton::task_error naming the task's index, its rank and the
    /// message; the workers return normally.
    template <class Task, class Work>
    auto map(const std::vector<Task>& tasks, Work&& work) {
        using Result = std::decay_t<std::invoke_result_t<Work&, const Task&>>;
        std::optional<std::vector<Result>> results;
        if (comm_->rank() == root_) {
            results = comm_->size() == 1 ? run_alone<Result>(tasks, work) : run_root<Result>(tasks);
        } else {
            run_worker<Task, Result>(work);
        }
        return results;
    }

private:
    static constexpr std::uint64_t stop = ~std::uint64_t{0};
    struct report {
        std::uint64_t index;
        std::int32_t ok;
    };
    // tags on the farm's private communicator
    static constexpr tag<std::uint64_t> task_index{1};
    static constexpr tag<report> result_index{3};
    static constexpr int task_body = 2;
    static constexpr int result_body = 4;

    template <class Result, class Task, class Work>
    std::vector<Result> run_alone(const std::vector<Task>& tasks, Work& work) {
        std::vector<Result> results;
        results.reserve(tasks.size());
        for (std::size_t i = 0; i < tasks.size(); ++i) {
            try {
                results.push_back(work(tasks[i]));
            } catch (const std::exception& e) {
                throw task_error(i, comm_->rank(), e.what());
            }
            if (progress_) progress_(i + 1, tasks.size());
        }
        return results;
    }

    template <class Result, class Task>
    std::vector<Result> run_root(const std::vector<Task>& tasks) {
        const Comm& c = *comm_;
        std::vector<std::optional<Result>> slots(tasks.size());
        std::size_t next = 0, done = 0, busy = 0;
        std::optional<task_error> failure;
        auto hand_out = [&](int worker) {
            if (next < tasks.size() && !failure) {
                c.send(worker, task_index, static_cast<std::uint64_t>(next));
                c.send(worker, tag<Task>{task_body}, tasks[next]);
                ++next;
                ++busy;
            } else {
                c.send(worker, task_index, stop);
            }
        };
        for (int r = 0; r < c.size(); ++r) {
            if (r != root_) hand_out(r);
        }
        while (busy > 0) {
            auto m = c.recv_message(any_source, result_index);
            const int worker = m.envelope.source;
            const std::size_t index = static_cast<std::size_t>(m.value.index);
            --busy;
            if (m.value.ok) {
                slots[index] = c.recv(worker, tag<Result>{result_body});
                ++done;
                if (progress_) progress_(done, tasks.size());
            } else {
                const std::string message = c.recv(worker, tag<std::string>{result_body});
                if (!failure) failure.emplace(index, worker, message);
            }
            hand_out(worker);
        }
        if (failure) throw *failure;
        std::vector<Result> results;
        results.reserve(slots.size());
        for (auto& s : slots) results.push_back(std::move(*s));
        return results;
    }

    template <class Task, class Result, class Work>
    void run_worker(Work& work) {
        const Comm& c = *comm_;
        for (;;) {
            const std::uint64_t index = c.recv(root_, task_index);
            if (index == stop) return;
            const Task task = c.recv(root_, tag<Task>{task_body});
            std::optional<Result> result;
            std::string failure;
            try {
                result.emplace(work(task));
            } catch (const std::exception& e) {
                failure = e.what();
            } catch (...) {
                failure = "unknown exception (not derived from std::exception)";
            }
            c.send(root_, result_index, report{index, result.has_value() ? 1 : 0});
            if (result)
                c.send(root_, tag<Result>{result_body}, *result);
            else
                c.send(root_, tag<std::string>{result_body}, failure);
        }
    }

    int root_;
    std::unique_ptr<Comm> comm_;
    std::function<void(std::size_t, std::size_t)> progress_;
};

}  // namespace baton
