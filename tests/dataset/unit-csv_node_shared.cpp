// node_shared reads: every rank of a node gets the dataset a private read gives, its columns in
// one block of shared memory that every rank of the node maps (the same file, already
// unlinked); errors reach every rank with the reader's text; the block outlives any one rank's
// dataset and goes with the last; what makes a new dataset makes a private one; the ranks that
// wait for the reader do not keep a core busy.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <baton/baton.hpp>

#include "support/same_dataset.hpp"
#include "support/tricky_csv.hpp"

using baton::local_dataset;
using baton_test::check_same;

namespace {

// A file that every rank names with the same path: written by rank 0, removed at the end.
class job_file {
public:
    job_file(const baton::comm& world, const std::string& contents) : world_(world) {
        if (world.is_root()) {
            path_ = "/tmp/baton-node-shared-" + std::to_string(::getpid()) + "-" + std::to_string(count_++) + ".csv";
            std::ofstream(path_, std::ios::binary) << contents;
        }
        world.broadcast(path_, 0);
    }
    ~job_file() {
        world_.barrier();
        if (world_.is_root()) std::remove(path_.c_str());
    }
    const std::string& path() const { return path_; }

private:
    const baton::comm& world_;
    std::string path_;
    static inline int count_ = 0;
};

// The line of /proc/self/maps whose range holds p ("" if none).
std::string mapping_of(const void* p) {
    std::ifstream maps("/proc/self/maps");
    const auto at = reinterpret_cast<std::uintptr_t>(p);
    for (std::string line; std::getline(maps, line);) {
        unsigned long long from = 0, to = 0;
        if (std::sscanf(line.c_str(), "%llx-%llx", &from, &to) == 2 && from <= at && at < to) return line;
    }
    return "";
}

// The inode of a mapping's line (the fifth field).
std::string inode_of(const std::string& line) {
    std::istringstream fields(line);
    std::string field;
    for (int i = 0; i < 5; ++i) fields >> field;
    return field;
}

int shared_mappings() {
    std::ifstream maps("/proc/self/maps");
    int n = 0;
    for (std::string line; std::getline(maps, line);) n += line.find("/dev/shm/baton-") != std::string::npos;
    return n;
}

// The CPU time this process has used, all its threads.
double cpu_seconds() {
    timespec t{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// Whether the column's values live in the node's shared block.
bool in_shared_block(const local_dataset& ds, const std::string& name) {
    const std::string line = mapping_of(ds.column<double>(name).data());
    return line.find("/dev/shm/baton-") != std::string::npos;
}

const std::string numbers_and_text =
    "small,wide,real,code,label\n"
    "1,9000000000,0.5,a,first\n"
    "-2,-9000000000,,b,\"two, quoted\"\n"
    "3,1,NaN,a,\n"
    "4,2,1e-300,NA,\"line\nbreak\"\n";

}  // namespace

TEST_CASE("every rank of the node gets what a private read gives, from one shared block") {
    baton::comm world;
    for (const std::string& contents : {baton_test::tricky(3000), numbers_and_text}) {
        job_file f(world, contents);
        const auto shared = local_dataset::read_csv(f.path(), baton::node_shared(world));
        const auto private_read = local_dataset::read_csv(f.path());
        check_same(shared, private_read);
        CHECK(shared.cell(shared.column_names()[0], 0) == private_read.cell(private_read.column_names()[0], 0));
    }
    job_file f(world, baton_test::tricky(3000));
    const auto ds = local_dataset::read_csv(f.path(), baton::node_shared(world));
    world.barrier();  // the reader unlinks the name on its way out of read_csv
    const std::string line = mapping_of(ds.column<double>("x").data());
    INFO("the mapping of column x: " << line);
    CHECK(line.find("/dev/shm/baton-") != std::string::npos);
    CHECK(line.find("(deleted)") != std::string::npos);  // unlinked once every rank had mapped it
    CHECK(line.find("r--") != std::string::npos);        // read only on every rank
    // One block for the node: every rank of it maps the same file.
    const auto inodes = world.split_shared().all_gather(inode_of(line));
    for (const auto& inode : inodes) CHECK(inode == inodes[0]);
}

TEST_CASE("threads and options apply as in a private read") {
    baton::comm world;
    job_file f(world, baton_test::tricky(20000));
    baton::csv_options o;
    o.threads = 2;
    o.columns = {"id", "gap", "mostly_distinct"};
    o.types["id"] = baton::column_type::real;
    check_same(local_dataset::read_csv(f.path(), baton::node_shared(world, o)), local_dataset::read_csv(f.path(), o));
}

TEST_CASE("with threads, a large dataset is written in pieces side by side, one file each") {
    baton::comm world;
    // About 14 MB of columns: wide integers, reals, distinct text (plain), a few codes.
    std::string csv = "wide,real,name,code\n";
    for (long r = 0; r < 400000; ++r) {
        csv += std::to_string(5000000000L + r) + "," + std::to_string(r) + ".25,name" + std::to_string(r * 7) + "," +
               (r % 3 == 0 ? "" : "c" + std::to_string(r % 5)) + "\n";
    }
    job_file f(world, csv);
    baton::csv_options o;
    o.threads = 3;
    world.barrier();
    const double cpu_before = cpu_seconds();
    const auto start = std::chrono::steady_clock::now();
    const auto ds = local_dataset::read_csv(f.path(), baton::node_shared(world, o));
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double cpu = cpu_seconds() - cpu_before;
    // The ranks that wait for their node's reader sleep: a rank that polled would use a core
    // all along.
    if (world.split_shared().rank() != 0)
        CHECK_MESSAGE(cpu < 0.5 * wall, "a waiting rank used " << cpu << " s of CPU in " << wall << " s");
    check_same(ds, local_dataset::read_csv(f.path()));
    CHECK(ds.type_of("name") == baton::column_type::text);
    CHECK(ds.is_missing("code", 0));
    CHECK(shared_mappings() == 3);  // this dataset's pieces: three files, all mapped here
}

TEST_CASE("combined with partitioned, each node reads its share once") {
    baton::comm world;
    const int n = 5000;
    job_file f(world, baton_test::tricky(static_cast<std::size_t>(n)));
    // On one node its share is the whole file; where each rank is a node of its own (MPICH with
    // MPIR_CVAR_NOLOCAL=1, as in the mpich-tcp leg) each reads a part.
    const baton::comm node = world.split_shared();
    const auto either_order = {baton::node_shared(world, baton::partitioned(world)),
                               baton::partitioned(world, baton::node_shared(world))};
    for (const auto& options : either_order) {
        const auto ds = local_dataset::read_csv(f.path(), options);
        CHECK(in_shared_block(ds, "x"));
        // Every rank of a node holds its node's share ...
        const auto ids = ds.column<std::int64_t>("id").to_vector();
        auto node_ids = ids;
        node.broadcast(node_ids, 0);
        CHECK(ids == node_ids);
        // ... and the nodes' shares, in rank order, are the file's rows, each once.
        const auto shares = world.gather(node.rank() == 0 ? ids : std::vector<std::int64_t>{});
        world.on_root([&] {
            std::vector<std::int64_t> all;
            for (const auto& share : *shares) all.insert(all.end(), share.begin(), share.end());
            REQUIRE(all.size() == static_cast<std::size_t>(n));
            for (int i = 0; i < n; ++i) CHECK(all[static_cast<std::size_t>(i)] == i);
        });
        if (node.size() == world.size()) check_same(ds, local_dataset::read_csv(f.path()));
    }
}

TEST_CASE("a CSV error reaches every rank of the node with the reader's text") {
    baton::comm world;
    job_file bad(world, "a,b\n1,2\n3,\"open\n4,5\n");
    std::string expected;
    world.on_root([&] {
        try {
            (void)local_dataset::read_csv(bad.path());
        } catch (const baton::csv_error& e) {
            expected = e.what();
        }
    });
    world.broadcast(expected, 0);
    REQUIRE(!expected.empty());
    try {
        (void)local_dataset::read_csv(bad.path(), baton::node_shared(world));
        FAIL("no error");
    } catch (const baton::csv_error& e) {
        CHECK(std::string(e.what()) == expected);
        CHECK(e.file() == bad.path());
        CHECK(e.line() == 3);
    }
    // A missing file, and an unknown column: the same on every rank.
    CHECK_THROWS_WITH_AS((void)local_dataset::read_csv("/nonexistent/students.csv", baton::node_shared(world)),
                         doctest::Contains("/nonexistent/students.csv"), baton::csv_error);
    baton::csv_options unknown;
    unknown.columns = {"a", "zzz"};
    CHECK_THROWS_WITH_AS((void)local_dataset::read_csv(bad.path(), baton::node_shared(world, unknown)),
                         doctest::Contains("zzz"), baton::csv_error);
    // After errors the next read works.
    job_file good(world, numbers_and_text);
    CHECK(local_dataset::read_csv(good.path(), baton::node_shared(world)).rows() == 4);
}

TEST_CASE("the block outlives any one rank's dataset; new datasets are private") {
    baton::comm world;
    job_file f(world, baton_test::tricky(4000));
    const auto expected = local_dataset::read_csv(f.path());
    const int before = shared_mappings();
    {
        auto ds = local_dataset::read_csv(f.path(), baton::node_shared(world));
        CHECK(shared_mappings() == before + 1);
        // Copies, takes and selections own their values.
        const local_dataset copy = ds;
        CHECK_FALSE(in_shared_block(copy, "x"));
        CHECK_FALSE(in_shared_block(ds.take({3, 1, 2}), "x"));
        CHECK_FALSE(in_shared_block(ds.select({"x", "id"}), "x"));
        check_same(copy, expected);
        // Rank 0 lets go first; the others keep reading theirs.
        if (world.is_root()) ds = local_dataset();
        world.barrier();
        if (!world.is_root()) {
            check_same(ds, expected);
            CHECK(in_shared_block(ds, "x"));
        }
        // Moving keeps the block; it goes with the last dataset that uses it.
        const local_dataset moved = std::move(ds);
        if (!world.is_root()) check_same(moved, expected);
    }
    CHECK(shared_mappings() == before);
}

TEST_CASE("a node-shared dataset travels like any other") {
    baton::comm world;
    job_file f(world, baton_test::tricky(3000));
    auto ds = local_dataset::read_csv(f.path(), baton::node_shared(world));
    const auto expected = local_dataset::read_csv(f.path());
    const baton::tag<local_dataset> data{3};
    const int last = world.size() - 1;
    world.on_rank(last, [&] { world.send(0, data, ds); });
    world.on_root([&] { check_same(world.recv(last, data), expected); });
    local_dataset received;
    if (world.is_root()) received = ds;
    world.broadcast(received, 0);
    check_same(received, expected);
    // And it writes the same file a private read writes.
    const std::string out = f.path() + "." + std::to_string(world.rank()) + ".out.csv";
    ds.write_csv(out);
    check_same(local_dataset::read_csv(out), expected);
    std::remove(out.c_str());
}

TEST_CASE("an empty file and a header without rows") {
    baton::comm world;
    job_file empty(world, "");
    CHECK_THROWS_WITH_AS((void)local_dataset::read_csv(empty.path(), baton::node_shared(world)),
                         doctest::Contains("empty"), baton::csv_error);
    job_file header_only(world, "a,b\n");
    const auto ds = local_dataset::read_csv(header_only.path(), baton::node_shared(world));
    CHECK(ds.rows() == 0);
    CHECK(ds.column_names() == std::vector<std::string>{"a", "b"});
}
