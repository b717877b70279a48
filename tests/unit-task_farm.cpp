// task_farm: results in input order whatever the finishing order, at any rank count, with
// more or fewer tasks than workers; a throwing task is reported on root with its index.
#include <doctest/doctest.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <baton/baton.hpp>

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
