// task_farm: results in input order whatever the finishing order, at any rank count, with
// more or fewer tasks than workers; a throwing task is reported on root with its index.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <numeric>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <baton/baton.hpp>

#include "support/temp_file.hpp"

TEST_CASE("results come back in input order, though tasks finish out of order") {
    baton::comm world;
    baton::task_farm farm(world);
    std::vector<int> tasks;
    if (world.is_root()) {
        for (int i = 0; i < 40; ++i) tasks.push_back(i);
    }
    std::size_t progress_calls = 0;
    farm.on_progress([&](std::size_t done, std::size_t total) {
        ++progress_calls;
        CHECK(done <= total);
    });
    auto results = farm.map(tasks, [](int t) {
        std::this_thread::sleep_for(std::chrono::microseconds((40 - t) % 7 * 300));
        return t * t;
    });
    CHECK(results.has_value() == world.is_root());
    if (results) {
        REQUIRE(results->size() == 40);
        for (int i = 0; i < 40; ++i) CHECK((*results)[static_cast<std::size_t>(i)] == i * i);
        CHECK(progress_calls == 40);
    }
}

TEST_CASE("fewer tasks than workers, and no tasks at all") {
    baton::comm world;
    baton::task_farm farm(world);
    std::vector<std::string> one;
    if (world.is_root()) one = {"only"};
    auto r = farm.map(one, [](const std::string& s) { return s + "!"; });
    if (r) CHECK(*r == std::vector<std::string>{"only!"});
    auto none = farm.map(std::vector<double>{}, [](double x) { return x; });
    if (none) CHECK(none->empty());
}

TEST_CASE("a throwing task is reported on root with its index and message; workers return") {
    baton::comm world;
    baton::task_farm farm(world);
    std::vector<int> tasks;
    if (world.is_root()) tasks = {0, 1, 2, 3, 4, 5, 6, 7};
    auto run = [&] {
        return farm.map(tasks, [](int t) {
            if (t == 5) throw std::runtime_error("bad parameter 5");
            return t;
        });
    };
    if (world.is_root()) {
        try {
            (void)run();
            FAIL("no task_error");
        } catch (const baton::task_error& e) {
            CHECK(e.index() == 5);
            CHECK(std::string(e.what()).find("task 5 failed on rank ") == 0);
            CHECK(std::string(e.what()).find("bad parameter 5") != std::string::npos);
        }
    } else {
        CHECK_FALSE(run().has_value());
    }
    // the farm is usable again afterwards
    auto again = farm.map(tasks, [](int t) { return t + 1; });
    if (again) CHECK(again->back() == 8);
}

TEST_CASE("try_map returns every task's outcome; a failing task does not stop the others") {
    baton::comm world;
    baton::task_farm farm(world);
    std::vector<int> tasks;
    if (world.is_root()) {
        for (int i = 0; i < 20; ++i) tasks.push_back(i);
    }
    auto outcomes = farm.try_map(tasks, [](int t) {
        if (t % 7 == 3) throw std::runtime_error("no convergence for " + std::to_string(t));
        return 10 * t;
    });
    CHECK(outcomes.has_value() == world.is_root());
    if (outcomes) {
        REQUIRE(outcomes->size() == 20);
        for (std::size_t i = 0; i < 20; ++i) {
            const auto& o = outcomes->at(i);
            if (i % 7 == 3) {
                REQUIRE_FALSE(o.ok());
                CHECK(o.error().index() == i);
                CHECK(std::string(o.error().what()).find("no convergence for " + std::to_string(i)) !=
                      std::string::npos);
                CHECK(o.error().rank() >= 0);
                CHECK_THROWS_AS((void)o.value(), baton::task_error);
            } else {
                REQUIRE(o.ok());
                CHECK(o.value() == static_cast<int>(10 * i));
                CHECK_THROWS_AS((void)o.error(), baton::usage_error);
            }
        }
    }
}

TEST_CASE("task seeds and indices are the same at any rank count, chunk size and root_works") {
    baton::comm world;
    baton::task_farm farm(world);
    std::vector<double> tasks;
    if (world.is_root()) tasks = std::vector<double>(23, 0.5);
    for (std::size_t chunk : {std::size_t{1}, std::size_t{3}, std::size_t{50}}) {
        for (bool root_works : {true, false}) {
            baton::farm_options opts;
            opts.seed = 42;
            opts.chunk_size = chunk;
            opts.root_works = root_works;
            auto got = farm.map(
                tasks,
                [](const double& x, baton::task_context& ctx) {
                    return std::vector<std::uint64_t>{ctx.index(), ctx.seed(), static_cast<std::uint64_t>(x * 2)};
                },
                opts);
            if (got) {
                REQUIRE(got->size() == 23);
                for (std::size_t i = 0; i < 23; ++i)
                    CHECK((*got)[i] == std::vector<std::uint64_t>{i, baton::task_seed(42, i), 1});
            }
        }
    }
    CHECK(baton::task_seed(42, 0) != baton::task_seed(42, 1));
    CHECK(baton::task_seed(42, 0) != baton::task_seed(43, 0));
}

TEST_CASE("with root_works the root runs tasks too; without, only the workers do (unless alone)") {
    baton::comm world;
    baton::task_farm farm(world);
    std::vector<int> tasks;
    if (world.is_root()) tasks = std::vector<int>(30, 1);
    auto who = [&](int) {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        return world.rank();
    };
    baton::farm_options working;
    auto ranks = farm.map(tasks, who, working);
    baton::farm_options handing_out;
    handing_out.root_works = false;
    auto ranks_without = farm.map(tasks, who, handing_out);
    if (ranks) {
        const bool root_ran = std::count(ranks->begin(), ranks->end(), 0) > 0;
        CHECK(root_ran);
        const bool root_ran_without = std::count(ranks_without->begin(), ranks_without->end(), 0) > 0;
        CHECK(root_ran_without == (world.size() == 1));
    }
}

TEST_CASE("a chunk's results come back one by one, and map still reports a failure in a chunk") {
    baton::comm world;
    baton::task_farm farm(world);
    std::vector<int> tasks;
    if (world.is_root()) {
        for (int i = 0; i < 12; ++i) tasks.push_back(i);
    }
    std::vector<std::size_t> seen;
    farm.on_progress([&](std::size_t done, std::size_t) { seen.push_back(done); });
    baton::farm_options opts;
    opts.chunk_size = 4;
    auto squares = farm.map(
        tasks, [](int t) { return t * t; }, opts);
    if (squares) {
        CHECK(squares->at(11) == 121);
        CHECK(seen.size() == 12);
    }
    auto failing = [&] {
        return farm.map(
            tasks,
            [](int t) {
                if (t == 6) throw std::runtime_error("six");
                return t;
            },
            opts);
    };
    if (world.is_root()) {
        CHECK_THROWS_WITH_AS(failing(), doctest::Contains("task 6 failed on rank"), baton::task_error);
    } else {
        CHECK_FALSE(failing().has_value());
    }
}

namespace {
// How many times each task ran on this rank, and the farm's result for task i.
std::vector<int> runs;
std::uint64_t score(std::size_t i, std::uint64_t seed) {
    return seed ^ (i * 977);
}
}  // namespace

TEST_CASE("a checkpoint: a rerun reads finished tasks back and runs only the rest") {
    baton::comm world;
    baton::task_farm farm(world);
    baton_test::temp_file journal("", ".journal");  // root's path is the one used
    std::vector<int> tasks;
    if (world.is_root()) tasks = std::vector<int>(25, 3);
    baton::farm_options opts;
    opts.checkpoint = journal.path();
    opts.seed = 9;
    runs.assign(25, 0);
    auto work = [](const int& t, baton::task_context& ctx) {
        ++runs[ctx.index()];
        return std::vector<std::uint64_t>{score(ctx.index(), ctx.seed()), static_cast<std::uint64_t>(t)};
    };
    // an empty file is a new journal
    auto first = farm.map(tasks, work, opts);
    const int first_runs = world.all_reduce(std::accumulate(runs.begin(), runs.end(), 0), std::plus<>{});
    CHECK(first_runs == 25);
    // every task is recorded: the rerun runs none, and returns the same results
    auto second = farm.map(tasks, work, opts);
    const int all_runs = world.all_reduce(std::accumulate(runs.begin(), runs.end(), 0), std::plus<>{});
    CHECK(all_runs == 25);
    if (first) CHECK(*first == *second);

    // a kill cut the last record short: it is dropped, and only that task runs again
    if (world.is_root()) {
        std::ifstream in(journal.path(), std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        in.close();
        std::ofstream out(journal.path(), std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size() - 5));
    }
    runs.assign(25, 0);
    auto third = farm.map(tasks, work, opts);
    CHECK(world.all_reduce(std::accumulate(runs.begin(), runs.end(), 0), std::plus<>{}) == 1);
    if (first) CHECK(*first == *third);

    // another seed (or task list): refused, not mixed in
    baton::farm_options other = opts;
    other.seed = 10;
    if (world.is_root()) {
        CHECK_THROWS_WITH_AS(farm.map(tasks, work, other), doctest::Contains("written for another task list or seed"),
                             baton::error);
    } else {
        CHECK_FALSE(farm.map(tasks, work, other).has_value());  // released, not left waiting
    }
}

TEST_CASE("a checkpoint keeps failures too: try_map reads them back with their rank and message") {
    baton::comm world;
    baton::task_farm farm(world);
    baton_test::temp_file journal("", ".journal");
    std::vector<int> tasks;
    if (world.is_root()) tasks = {0, 1, 2, 3, 4, 5};
    baton::farm_options opts;
    opts.checkpoint = journal.path();
    auto work = [](int t) {
        if (t == 4) throw std::runtime_error("diverged");
        return t * 2;
    };
    auto first = farm.try_map(tasks, work, opts);
    auto again = farm.try_map(
        tasks, [](int) -> int { throw std::runtime_error("must not run"); }, opts);
    if (again) {
        REQUIRE(again->size() == 6);
        CHECK(again->at(2).value() == 4);
        REQUIRE_FALSE(again->at(4).ok());
        CHECK(std::string(again->at(4).error().what()) == std::string(first->at(4).error().what()));
        CHECK(again->at(4).error().rank() == first->at(4).error().rank());
    }
}

TEST_CASE("a checkpoint knows its program: another revision is refused, the same one resumes") {
    baton::comm world;
    baton::task_farm farm(world);
    baton_test::temp_file journal("", ".journal");
    std::vector<int> tasks;
    if (world.is_root()) tasks = {1, 2, 3};
    baton::farm_options opts;
    opts.checkpoint = journal.path();
    opts.revision = "scoring-v1";
    auto first = farm.map(
        tasks, [](int t) { return t * 3; }, opts);
    baton::farm_options changed = opts;
    changed.revision = "scoring-v2";
    if (world.is_root()) {
        CHECK_THROWS_WITH_AS(farm.map(
                                 tasks, [](int t) { return t * 4; }, changed),
                             doctest::Contains("written by another build of the program"), baton::error);
    } else {
        CHECK_FALSE(farm.map(
                            tasks, [](int t) { return t * 4; }, changed)
                        .has_value());
    }
    auto again = farm.map(
        tasks, [](int) -> int { throw std::runtime_error("must not run"); }, opts);
    if (first) CHECK(*first == *again);
}
