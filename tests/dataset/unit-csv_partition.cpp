// Partitioned reads: the parts hold every row exactly once, quoted newlines included, for
// 1 to 7 parts; and across the ranks of a job, with each rank scanning only its own bytes.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <baton/baton.hpp>

#include "support/temp_file.hpp"

using baton::local_dataset;
using baton_test::temp_file;

namespace {

// Rows with ids 0..n-1; some text fields hold quoted newlines, delimiters and quotes.
std::string tricky_csv(int n) {
    std::string s = "id,note,value\n";
    for (int i = 0; i < n; ++i) {
        s += std::to_string(i) + ",";
        if (i % 3 == 0)
            s += "\"line one\nline two, with \"\"quotes\"\"\n" + std::to_string(i) + ",x,y\"";
        else if (i % 5 == 0)
            s += "\"\"";
        else
            s += "plain";
        s += "," + std::to_string(i * 2) + (i % 4 == 0 ? "\r\n" : "\n");
        if (i % 11 == 0) s += "\n";  // blank lines too
    }
    return s;
}

std::vector<std::int64_t> ids_of(const local_dataset& ds) {
    return ds.column<std::int64_t>("id").to_vector();
}

}  // namespace

TEST_CASE("1 to 7 parts together hold every row exactly once, in order") {
    const int n = 500;
    temp_file f(tricky_csv(n));
    for (int parts = 1; parts <= 7; ++parts) {
        CAPTURE(parts);
        std::vector<std::int64_t> all;
        for (int k = 0; k < parts; ++k) {
            baton::csv_options o;
            o.partition = {k, parts};
            auto ds = local_dataset::read_csv(f.path(), o);
            if (ds.rows() > 0) {  // each part starts at a real row, not inside a quoted note
                const std::int64_t first = ds.column<std::int64_t>("id")[0];
                CHECK(ds.column<std::int64_t>("value")[0] == 2 * first);
            }
            for (auto id : ids_of(ds)) all.push_back(id);
        }
        REQUIRE(all.size() == static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) CHECK(all[static_cast<std::size_t>(i)] == i);
    }
}

TEST_CASE("more parts than rows: some parts are empty, none duplicates") {
    temp_file f("a\n1\n2\n");
    std::size_t total = 0;
    for (int k = 0; k < 7; ++k) {
        baton::csv_options o;
        o.partition = {k, 7};
        total += local_dataset::read_csv(f.path(), o).rows();
    }
    CHECK(total == 2);
}

TEST_CASE("a bad partition is refused") {
    temp_file f("a\n1\n");
    baton::csv_options o;
    o.partition = {3, 2};
    CHECK_THROWS_AS((void)local_dataset::read_csv(f.path(), o), baton::csv_error);
}

TEST_CASE("each rank reads its share; gathered on root they are the whole file") {
    baton::comm world;
    const int n = 997;
    // every rank writes the same file under its own name (its "local disk")
    temp_file f(tricky_csv(n));
    auto ds = local_dataset::read_csv(f.path(), baton::partitioned(world));
    const baton::tag<std::vector<std::int64_t>> ids{7};
    world.send(0, ids, ids_of(ds));
    world.on_root([&] {
        std::vector<std::int64_t> all;
        for (int r = 0; r < world.size(); ++r) {
            auto part = world.recv(r, ids);
            all.insert(all.end(), part.begin(), part.end());
        }
        REQUIRE(all.size() == static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) CHECK(all[static_cast<std::size_t>(i)] == i);
    });
    world.barrier();
}
