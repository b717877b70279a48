// A search with a checkpoint, killed and resumed (driven by tests/farm/check_resume.cmake).
//   resume_search JOURNAL kill   the root dies of SIGKILL once 12 results are recorded, which
//                                ends the whole job
//   resume_search JOURNAL finish runs to the end with the same journal, then checks on the root
//                                that no task recorded before ran again and that every result
//                                equals a clean run's
//   resume_search JOURNAL run [REVISION]   runs to the end (farm_options::revision = REVISION)
//                                and reports how many tasks ran now
// Every rank appends the index of each task it starts to JOURNAL.runs. Built twice (BUILD 1 and
// 2, which differ in their bytes), for the test that one build's checkpoint is refused by the
// other unless both name the same revision (tests/farm/check_revision.cmake).
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <baton/baton.hpp>
#include <baton/detail/farm/journal.hpp>

#ifndef RESUME_SEARCH_BUILD
#define RESUME_SEARCH_BUILD 1
#endif

namespace {
constexpr std::size_t task_count = 40;
std::uint64_t expected(std::size_t index) {
    return baton::task_seed(7, index) % 1000003;
}
}  // namespace

int main(int argc, char** argv) {
    baton::environment env(argc, argv);
    baton::comm world;
    const std::string journal = argv[1];
    const std::string mode = argv[2];
    const std::string runs = journal + ".runs";
    std::set<std::uint64_t> recorded_before;
    if (world.is_root() && mode != "kill") {
        for (const auto& r : baton::detail::farm_journal::read(journal)) recorded_before.insert(r.index);
        std::remove(runs.c_str());
    }
    world.barrier();

    baton::task_farm farm(world);
    baton::farm_options opts;
    opts.checkpoint = journal;
    opts.seed = 7;
    opts.chunk_size = 2;
    if (argc > 3) opts.revision = argv[3];
    if (mode == "kill") {
        farm.on_progress([](std::size_t done, std::size_t) {
            if (done >= 12) std::raise(SIGKILL);
        });
    }
    std::vector<int> tasks;
    if (world.is_root()) tasks.assign(task_count, 0);
    const int log = ::open(runs.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    auto results = farm.map(
        tasks,
        [&](const int&, baton::task_context& ctx) {
            const std::string line = std::to_string(ctx.index()) + "\n";
            (void)!::write(log, line.data(), line.size());
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
            return ctx.seed() % 1000003;
        },
        opts);
    ::close(log);
    world.barrier();
    if (!results) return 0;

    int wrong = 0;
    for (std::size_t i = 0; i < task_count; ++i) wrong += (*results)[i] != expected(i);
    std::ifstream ran(runs);
    std::size_t ran_now = 0, ran_again = 0;
    for (std::uint64_t index; ran >> index;) {
        ++ran_now;
        ran_again += recorded_before.count(index);
    }
    baton::println("resume (build ", RESUME_SEARCH_BUILD, "): ", recorded_before.size(), " recorded before, ", ran_now,
                   " run now, ", ran_again, " run again, ", wrong, " results differ from a clean run's");
    return (mode == "run" || recorded_before.size() >= 12) && ran_again == 0 && wrong == 0 &&
                   ran_now + recorded_before.size() >= task_count
               ? 0
               : 1;
}
