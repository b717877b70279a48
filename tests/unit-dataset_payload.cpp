// A local_dataset is a payload like any other: sent, received, broadcast and gathered with its
// columns' names, types and values (reals bit for bit, missing values kept), on baton::comm and
// baton::portable_comm.
#include <doctest/doctest.h>

#include <cstring>
#include <string>
#include <vector>

#include <baton/baton.hpp>

namespace {
baton::local_dataset sample(int salt) {
    return baton::local_dataset::parse_csv("id,name,score,note\n" + std::to_string(salt) +
                                           ",\"Lee, A\",2.5,plain\n-7,bo,,\"two\nlines\"\n3,,-0.0,\n9,x,1e-300,NA\n");
}

void check_same(const baton::local_dataset& a, const baton::local_dataset& b) {
    REQUIRE(a.column_names() == b.column_names());
    REQUIRE(a.rows() == b.rows());
    for (const auto& name : a.column_names()) {
        REQUIRE(a.type_of(name) == b.type_of(name));
        for (std::size_t r = 0; r < a.rows(); ++r) CHECK(a.is_missing(name, r) == b.is_missing(name, r));
        if (a.type_of(name) == baton::column_type::integer) {
            CHECK(a.column<std::int64_t>(name).to_vector() == b.column<std::int64_t>(name).to_vector());
        } else if (a.type_of(name) == baton::column_type::real) {
            auto x = a.column<double>(name), y = b.column<double>(name);
            for (std::size_t r = 0; r < x.size(); ++r) CHECK(std::memcmp(&x[r], &y[r], sizeof(double)) == 0);
        } else {
            CHECK(a.column<std::string>(name).to_vector() == b.column<std::string>(name).to_vector());
        }
    }
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
