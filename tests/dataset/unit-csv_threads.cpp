// read_csv with csv_options::threads: any thread count gives exactly the one-thread dataset,
// or the one-thread error. The files put quoted newlines, doubled quotes, CRLF and blank lines
// near every place a share can be cut, and make the shares disagree on types.
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include <baton/baton.hpp>

#include "support/same_dataset.hpp"
#include "support/temp_file.hpp"
#include "support/tricky_csv.hpp"

using baton::local_dataset;
using baton_test::check_same;
using baton_test::temp_file;
using baton_test::tricky;

namespace {
local_dataset read(const std::string& path, unsigned threads, baton::csv_options options = {}) {
    options.threads = threads;
    return local_dataset::read_csv(path, options);
}

}  // namespace

// The reader's threads need no thread level from MPI (they never run beside an MPI call), so
// they run here under the environment's default. That default is MPI_THREAD_SINGLE: on Open
// MPI 4 any higher level puts locks in every MPI call (benchmarks/floors/run_thread_level.sh).
TEST_CASE("the environment asks MPI for MPI_THREAD_SINGLE by default") {
    int level = -1;
    MPI_Query_thread(&level);
    CHECK(level == MPI_THREAD_SINGLE);
}

TEST_CASE("any thread count reads exactly what one thread reads") {
    const temp_file f(tricky(30000));
    const auto one = read(f.path(), 1);
    CHECK(one.type_of("late") == baton::column_type::text);
    CHECK(one.type_of("gap") == baton::column_type::real);
    CHECK(one.column<std::string>("note").to_vector()[7] == "line 7\nnext \"quoted\", part");
    for (unsigned threads : {2u, 3u, 7u, 0u}) {
        INFO("threads " << threads);
        check_same(read(f.path(), threads), one);
    }
}

TEST_CASE("a quote inside an unquoted field misleads quote parity; the result is still exact") {
    // Every 500th row has a stray quote in an unquoted field, which flips the parity a cut
    // would be placed by; the quoted newlines then put cuts inside fields.
    std::string csv = "a,b\n";
    for (int r = 0; r < 40000; ++r) {
        csv += (r % 500 == 0 ? "5\"inch" : std::to_string(r)) + ",\"x\ny" + std::to_string(r % 3) + "\"\n";
    }
    const temp_file f(csv);
    const auto one = read(f.path(), 1);
    CHECK(one.column<std::string>("a").to_vector()[500] == "5\"inch");
    for (unsigned threads : {2u, 3u, 7u}) {
        INFO("threads " << threads);
        check_same(read(f.path(), threads), one);
    }
}

TEST_CASE("quotes first met after the rows that type the columns still give the one-thread read") {
    // The sampled rows have no quote, so the cuts are placed without counting quotes; the
    // quoted newlines further on put them inside fields, which the cut check catches.
    std::string csv = "a,b,c\n";
    for (int r = 0; r < 40000; ++r) {
        csv += std::to_string(r) + ",";
        csv += r < 5000 ? "plain" : "\"x\n" + std::to_string(r % 7) + "\ny\"";
        csv += "," + std::to_string(r % 3) + (r % 9 == 0 ? "\r\n" : "\n");
    }
    const temp_file f(csv);
    const auto one = read(f.path(), 1);
    CHECK(one.rows() == 40000);
    CHECK(one.column<std::string>("b").to_vector()[5003] == "x\n5\ny");
    for (unsigned threads : {2u, 3u, 7u}) {
        INFO("threads " << threads);
        check_same(read(f.path(), threads), one);
    }
}

TEST_CASE("errors are the one-thread errors, with the same line") {
    std::string body;
    for (int r = 0; r < 30000; ++r) body += std::to_string(r) + ",\"q\nq\"\n";
    const std::string header = "a,b\n";
    auto message = [](const std::string& path, unsigned threads) {
        try {
            read(path, threads);
        } catch (const baton::csv_error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    const temp_file extra(header + body + "1,2,3\n" + body);
    const temp_file unterminated(header + body + body + "7,\"never closed\n");
    baton::csv_options forced;
    forced.types["a"] = baton::column_type::integer;
    const temp_file not_integer(header + body + body + "seven,x\n");
    for (unsigned threads : {2u, 3u, 7u}) {
        INFO("threads " << threads);
        CHECK(message(extra.path(), threads) == message(extra.path(), 1));
        CHECK(message(extra.path(), threads).find(":60002: expected 2 fields, saw 3") != std::string::npos);
        CHECK(message(unterminated.path(), threads) == message(unterminated.path(), 1));
        forced.threads = threads;
        std::string with_threads, alone;
        try {
            local_dataset::read_csv(not_integer.path(), forced);
        } catch (const baton::csv_error& e) {
            with_threads = e.what();
        }
        forced.threads = 1;
        try {
            local_dataset::read_csv(not_integer.path(), forced);
        } catch (const baton::csv_error& e) {
            alone = e.what();
        }
        CHECK(with_threads == alone);
        CHECK(with_threads.find("cannot read 'seven' as an integer") != std::string::npos);
    }
}

TEST_CASE("threads and partitions combine: each rank reads its share with its threads") {
    baton::comm world;
    std::optional<temp_file> f;
    if (world.is_root()) f.emplace(tricky(20000));
    std::string name = f ? f->path() : std::string();
    world.broadcast(name, 0);  // one machine: every rank sees root's file
    for (unsigned threads : {2u, 3u}) {
        auto options = baton::partitioned(world);
        const auto one = local_dataset::read_csv(name, options);
        options.threads = threads;
        check_same(local_dataset::read_csv(name, options), one);
    }
    world.barrier();  // root removes the file after every rank has read it
}

TEST_CASE("nrows reads in one thread, in order") {
    const temp_file f(tricky(20000));
    baton::csv_options options;
    options.max_rows = 12345;
    const auto one = read(f.path(), 1, options);
    CHECK(one.rows() == 12345);
    check_same(read(f.path(), 4, options), one);
}
