// The distributed random search the tutorial points to: a task farm scores candidate values of
// C by cross-validated logistic regression. Candidate i draws its C from the task's own seed
// (ctx.seed(), from --seed and i), so the candidates are the same at any rank count. Every rank
// that scores loads the data from its own disk, or with --ship rank 0 reads the file and
// broadcasts it (for clusters where the data is not on every node). With --group-size G the ranks split into groups of
// G: each group scores one candidate at a time, its folds spread over the group's ranks, and the groups' leaders form
// the task farm.
//
//   mpiexec -n 4 random_search --data FILE --candidates N --seed S [--folds 5] [--group-size 1]
//                              [--report report.csv] [--checkpoint FILE] [--ship]
//
// With --checkpoint FILE the scores are recorded as they arrive; run the same command again
// after the job was killed (a time limit, say) and only the candidates not yet scored run.
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <baton/baton.hpp>

#include "command_line.hpp"
#include "logistic_regression.hpp"

namespace {

struct arguments {
    std::string data;
    long long candidates = -1;
    std::uint64_t seed = 0;
    bool seeded = false;
    std::size_t folds = 5;
    int group_size = 1;
    std::string report;
    std::string checkpoint;
    bool ship = false;
};

const char* const usage =
    "usage: random_search --data FILE --candidates N --seed S [--folds 5] [--group-size 1] [--report report.csv] "
    "[--checkpoint FILE] [--ship]";

arguments parse(int argc, char** argv) {
    arguments a;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) throw baton::usage_error("random_search: " + arg + " needs a value");
            return argv[++i];
        };
        if (arg == "--data")
            a.data = value();
        else if (arg == "--candidates")
            a.candidates = std::atoll(value().c_str());
        else if (arg == "--seed") {
            a.seed = std::strtoull(value().c_str(), nullptr, 10);
            a.seeded = true;
        } else if (arg == "--folds")
            a.folds = static_cast<std::size_t>(std::atoll(value().c_str()));
        else if (arg == "--group-size")
            a.group_size = std::atoi(value().c_str());
        else if (arg == "--report")
            a.report = value();
        else if (arg == "--checkpoint")
            a.checkpoint = value();
        else if (arg == "--ship")
            a.ship = true;
        else
            throw baton::usage_error("random_search: unknown argument " + arg);
    }
    if (a.data.empty()) throw baton::usage_error("random_search: --data is required");
    if (a.candidates < 1) throw baton::usage_error("random_search: --candidates must be a positive number");
    if (!a.seeded) throw baton::usage_error("random_search: --seed is required");
    if (a.group_size < 1) throw baton::usage_error("random_search: --group-size must be at least 1");
    return a;
}

// Target G3 >= 10; features: every integer column but G3, and the yes/no columns as 1/0.
struct problem {
    example::matrix x;
    std::vector<double> y;
};

problem features(const baton::local_dataset& ds) {
    std::vector<std::string> numeric;
    std::vector<std::string> yes_no;
    for (const auto& name : ds.column_names()) {
        if (name == "G3") continue;
        if (ds.type_of(name) == baton::column_type::integer) numeric.push_back(name);
        if (ds.type_of(name) == baton::column_type::text) {
            bool binary = true;
            for (auto v : ds.column<std::string_view>(name)) binary = binary && (v == "yes" || v == "no");
            if (binary) yes_no.push_back(name);
        }
    }
    problem p;
    p.x.rows = ds.rows();
    p.x.cols = numeric.size() + yes_no.size();
    p.x.data = std::vector<double>(p.x.rows * p.x.cols);
    const auto numbers = ds.to_matrix<double>(numeric);
    for (std::size_t r = 0; r < p.x.rows; ++r) {
        for (std::size_t k = 0; k < numeric.size(); ++k) p.x.row(r)[k] = numbers[r * numeric.size() + k];
    }
    for (std::size_t k = 0; k < yes_no.size(); ++k) {
        const auto col = ds.column<std::string_view>(yes_no[k]);
        for (std::size_t r = 0; r < p.x.rows; ++r) p.x.row(r)[numeric.size() + k] = col[r] == "yes" ? 1.0 : 0.0;
    }
    for (auto g : ds.column<std::int64_t>("G3")) p.y.push_back(g >= 10 ? 1.0 : 0.0);
    return p;
}

}  // namespace

int main(int argc, char** argv) {
    baton::environment env(argc, argv);
    baton::comm world;
    const auto command_line = example::parse_command_line(world, argc, argv, usage, [&] { return parse(argc, argv); });
    if (!command_line.arguments) return command_line.status;
    const arguments& args = *command_line.arguments;

    world.on_root([&] {
        std::cout << "random search: " << args.candidates << " candidates of C, " << args.folds
                  << "-fold cross-validation, " << world.size() << (world.size() == 1 ? " rank" : " ranks");
        if (args.group_size > 1) std::cout << " in groups of " << args.group_size;
        if (args.ship) std::cout << ", data shipped from rank 0";
        std::cout << std::endl;
    });

    // Each rank that scores loads the data once: from its own disk, or shipped from rank 0.
    std::optional<problem> data;
    if (args.ship) {
        baton::local_dataset ds;
        if (world.is_root()) ds = baton::local_dataset::read_csv(args.data);
        world.broadcast(ds, 0);
        data = features(ds);
    }
    auto fold_accuracy = [&](double c, std::size_t k) {
        if (!data) data = features(baton::local_dataset::read_csv(args.data));
        return example::fold_accuracy(data->x, data->y, c, args.folds, k);
    };

    // Groups of G ranks; their leaders (rank 0 of each group) run the task farm. A leader
    // hands each candidate to its group, every rank of the group scores folds
    // k = its rank, its rank + G, ..., and the leader adds the folds' accuracies in fold order.
    const baton::comm group = world.split(world.rank() / args.group_size);
    const baton::comm leaders = world.split(group.is_root() ? 0 : baton::undefined);
    struct order {
        double c;
        int go;  // 0: the search is over
    };
    auto score_folds = [&](double c) {
        std::vector<double> mine(args.folds, 0.0);
        for (std::size_t k = static_cast<std::size_t>(group.rank()); k < args.folds;
             k += static_cast<std::size_t>(group.size()))
            mine[k] = fold_accuracy(c, k);
        return group.gather(mine);
    };
    struct scored {
        double c;
        double accuracy;
    };
    auto evaluate = [&](const std::uint64_t&, baton::task_context& ctx) {
        std::mt19937_64 draw(ctx.seed());
        double c = 0;
        while (c == 0) c = std::generate_canonical<double, 53>(draw) * 10;  // C in (0, 10)
        order o{c, 1};
        group.broadcast(o);
        const auto from_each = score_folds(c);
        std::vector<double> accuracies(args.folds);
        for (std::size_t k = 0; k < args.folds; ++k)
            accuracies[k] = (*from_each)[k % static_cast<std::size_t>(group.size())][k];
        return scored{c, example::mean_in_fold_order(accuracies)};
    };

    std::optional<std::vector<scored>> scores;
    // Progress on stderr: in place on a terminal, a line every few seconds otherwise (a log).
    const bool on_terminal = ::isatty(STDERR_FILENO) != 0;
    const auto started = std::chrono::steady_clock::now();
    auto last_line = started;
    auto report_progress = [&](std::size_t done, std::size_t total) {
        const auto now = std::chrono::steady_clock::now();
        const double seconds = std::chrono::duration<double>(now - started).count();
        if (!on_terminal && done != total && now - last_line < std::chrono::seconds(5)) return;
        last_line = now;
        const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
        const double left = rate > 0 ? static_cast<double>(total - done) / rate : 0;
        std::ostringstream line;
        line << std::fixed << std::setprecision(1) << (on_terminal ? "\r" : "") << "scored " << done << "/" << total
             << " candidates, " << rate << "/s, about " << left << " s left" << (on_terminal ? "   " : "\n");
        std::cerr << line.str() << std::flush;
    };
    if (leaders.is_null()) {
        for (order o{0, 1};;) {  // a group member: score what the leader hands out
            group.broadcast(o);
            if (!o.go) break;
            score_folds(o.c);
        }
    } else {
        baton::task_farm farm(leaders);
        farm.on_progress(report_progress);
        baton::farm_options opts;
        opts.checkpoint = args.checkpoint;
        opts.seed = args.seed;
        std::vector<std::uint64_t> candidates(static_cast<std::size_t>(args.candidates));
        for (std::size_t i = 0; i < candidates.size(); ++i) candidates[i] = i;
        scores = farm.map(candidates, evaluate, opts);
        order stop{0, 0};
        group.broadcast(stop);
    }

    world.on_root([&] {
        if (on_terminal) std::cerr << "\n";
        std::size_t best = 0;
        for (std::size_t i = 1; i < scores->size(); ++i) {
            if ((*scores)[i].accuracy > (*scores)[best].accuracy) best = i;
        }
        // One write for the whole line: the progress lines on stderr may reach the same log.
        baton::println(std::setprecision(17), "best C = ", (*scores)[best].c,
                       "  cv_accuracy = ", (*scores)[best].accuracy);
        if (!args.report.empty()) {
            std::ofstream out(args.report);
            out << std::setprecision(17) << "C,cv_accuracy\n";
            for (const auto& s : *scores) out << s.c << "," << s.accuracy << "\n";
            if (!out) throw baton::error("random_search: cannot write " + args.report);
            baton::println("report: ", args.report);
        }
    });
    return 0;
}
