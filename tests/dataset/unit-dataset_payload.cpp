// A local_dataset is a payload like any other: sent, received, broadcast and gathered with its
// columns' names, types and values (reals bit for bit, missing values kept), on baton::comm and
// baton::portable_comm.
#include <doctest/doctest.h>

#include <cstring>
#include <string>
#include <vector>

#include <baton/baton.hpp>

#include "support/same_dataset.hpp"

using baton_test::check_same;

namespace {
baton::local_dataset sample(int salt) {
    return baton::local_dataset::parse_csv("id,name,score,note\n" + std::to_string(salt) +
                                           ",\"Lee, A\",2.5,plain\n-7,bo,,\"two\nlines\"\n3,,-0.0,\n9,x,1e-300,NA\n");
}

}  // namespace

TEST_CASE("send and receive a dataset, to another rank or to oneself") {
    baton::comm world;
    const baton::tag<baton::local_dataset> data{7};
    const int last = world.size() - 1;
    world.on_rank(0, [&] { world.send(last, data, sample(1)); });
    world.on_rank(last, [&] { check_same(world.recv(0, data), sample(1)); });
    auto pending = world.irecv(world.rank(), data);
    world.send(world.rank(), data, sample(world.rank()));
    check_same(pending.wait(), sample(world.rank()));
}

TEST_CASE("broadcast and gather datasets; an empty dataset until one arrives") {
    baton::comm world;
    baton::local_dataset ds;
    CHECK(ds.rows() == 0);
    if (world.is_root()) ds = sample(5);
    world.broadcast(ds, 0);
    check_same(ds, sample(5));
    auto all = world.all_gather(sample(world.rank()).take({0, 3}));
    REQUIRE(all.size() == static_cast<std::size_t>(world.size()));
    for (int r = 0; r < world.size(); ++r) check_same(all[static_cast<std::size_t>(r)], sample(r).take({0, 3}));
}

TEST_CASE("portable_comm carries datasets too") {
    baton::portable_comm world;
    baton::local_dataset ds;
    if (world.is_root()) ds = sample(8).select({"note", "score"});
    world.broadcast(ds, 0);
    check_same(ds, sample(8).select({"note", "score"}));
}

namespace {
// Columns in every storage the reader uses: integers 1, 2, 4 and 8 bytes wide, text as a
// dictionary (with missing values) and as plain bytes (mostly distinct values).
baton::local_dataset every_storage() {
    std::string csv = "i8,i16,i32,i64,category,distinct,real\n";
    for (int r = 0; r < 70000; ++r) {
        csv += std::to_string(r % 100 - 50) + "," + std::to_string(r % 30000) + "," + std::to_string(r * 1000) + "," +
               std::to_string(static_cast<long long>(r) << 40) + "," +
               (r % 7 == 0 ? ""
                : r % 2    ? "odd"
                           : "even") +
               ",v" + std::to_string(r * 7919) + (r % 11 == 0 ? "" : "," + std::to_string(r) + ".25") + "\n";
    }
    return baton::local_dataset::parse_csv(csv);
}

// Writes what a dataset's encoding would hold, with one text column whose second code points
// past its one-entry dictionary.
struct forged_dataset {
    template <class Archive>
    void serialize(Archive& ar, unsigned) {
        std::uint64_t count = 1, rows = 2, code_count = 2, bytes = 1, offsets_count = 2, flags = 1;
        std::string path = "<forged>", name = "t";
        std::int32_t type = static_cast<std::int32_t>(baton::column_type::text);
        bool forced = false, plain = false;
        std::uint8_t width = 1;
        std::int8_t codes[2] = {0, 5};
        char entry[1] = {'a'};
        std::uint64_t offsets[2] = {0, 1};
        std::uint8_t missing[1] = {0};
        ar& count& rows& path& name& type& forced& plain& width& code_count;
        ar& boost::serialization::make_array(codes, 2);
        ar& bytes;
        ar& boost::serialization::make_array(entry, 1);
        ar& offsets_count;
        ar& boost::serialization::make_array(offsets, 2);
        ar& flags;
        ar& boost::serialization::make_array(missing, 1);
    }
};
}  // namespace

TEST_CASE("a dataset travels in its columns' own storage, and a received one is a dataset like any other") {
    baton::comm world;
    const auto original = every_storage();
    baton::local_dataset ds;
    if (world.is_root()) ds = original;
    world.broadcast(ds, 0);
    check_same(ds, original);
    // The received dictionary takes new rows like a read one (its lookup table is rebuilt).
    check_same(ds.take({5, 0, 69999, 7}), original.take({5, 0, 69999, 7}));
    check_same(ds.select({"distinct", "i8"}), original.select({"distinct", "i8"}));
    // No rows: columns without arrays.
    baton::local_dataset none = world.is_root() ? original.take({}) : ds;
    world.broadcast(none, 0);
    check_same(none, original.take({}));
}

TEST_CASE("a malformed dataset payload is refused, naming the column and the problem") {
    baton::detail::byte_buffer bytes;
    baton::wire::native_encoding::save(MPI_COMM_WORLD, bytes, forged_dataset{});
    baton::local_dataset ds;
    CHECK_THROWS_WITH_AS(baton::wire::native_encoding::load(MPI_COMM_WORLD, bytes.data(), bytes.size(), ds),
                         "a received dataset has text column 't' with a code outside its dictionary", baton::error);
}

TEST_CASE("datasets through gather, scatter, all_to_all, isend and the non-blocking collectives") {
    baton::comm world;
    const auto n = static_cast<std::size_t>(world.size());
    auto gathered = world.gather(sample(world.rank()), 0);
    if (world.is_root()) {
        REQUIRE(gathered->size() == n);
        for (std::size_t r = 0; r < n; ++r) check_same((*gathered)[r], sample(static_cast<int>(r)));
    }
    std::vector<baton::local_dataset> parts;
    if (world.is_root()) {
        for (std::size_t r = 0; r < n; ++r) parts.push_back(sample(100 + static_cast<int>(r)));
    }
    check_same(world.scatter(parts, 0), sample(100 + world.rank()));
    std::vector<baton::local_dataset> outgoing;
    for (std::size_t r = 0; r < n; ++r) outgoing.push_back(sample(world.rank() * 10 + static_cast<int>(r)));
    const auto incoming = world.all_to_all(outgoing);
    for (std::size_t r = 0; r < n; ++r) check_same(incoming[r], sample(static_cast<int>(r) * 10 + world.rank()));

    const baton::tag<baton::local_dataset> data{9};
    auto in = world.irecv((world.rank() + world.size() - 1) % world.size(), data);
    auto out = world.isend((world.rank() + 1) % world.size(), data, sample(world.rank()));
    check_same(in.wait(), sample((world.rank() + world.size() - 1) % world.size()));
    out.wait();

    auto everyone = world.iall_gather(sample(world.rank()));
    const auto all = everyone.wait();
    for (std::size_t r = 0; r < n; ++r) check_same(all[r], sample(static_cast<int>(r)));
    baton::local_dataset shared = world.is_root() ? every_storage() : baton::local_dataset();
    auto spreading = world.ibroadcast(shared, 0);
    check_same(spreading.wait(), every_storage());
}
