// Every collective for a plain value, a contiguous container and a serialized payload.
#include <doctest/doctest.h>

#include <functional>
#include <map>
#include <numeric>
#include <string>
#include <vector>

#include <baton/baton.hpp>

namespace {
struct point {
    double x;
    int id;
};
using text_map = std::map<std::string, int>;
}  // namespace

TEST_CASE("broadcast") {
    baton::comm world;
    int n = world.is_root() ? 42 : 0;
    world.broadcast(n);
    CHECK(n == 42);
    std::vector<double> v = world.is_root() ? std::vector<double>(100000, 1.5) : std::vector<double>{};
    world.broadcast(v);
    CHECK(v.size() == 100000);
    CHECK(v.back() == 1.5);
    text_map m;
    if (world.rank() == world.size() - 1) m = {{"root", world.size() - 1}};
    world.broadcast(m, world.size() - 1);
    CHECK(m.at("root") == world.size() - 1);
}

TEST_CASE("gather and all_gather, including values of different lengths") {
    baton::comm world;
    auto g = world.gather(point{0.5 * world.rank(), world.rank()});
    CHECK(g.has_value() == world.is_root());
    if (g) {
        REQUIRE(g->size() == static_cast<std::size_t>(world.size()));
        for (int r = 0; r < world.size(); ++r) CHECK((*g)[static_cast<std::size_t>(r)].id == r);
    }
    // rank r contributes r copies of r: gatherv without the caller computing counts
    auto all = world.all_gather(std::vector<int>(static_cast<std::size_t>(world.rank()), world.rank()));
    REQUIRE(all.size() == static_cast<std::size_t>(world.size()));
    for (int r = 0; r < world.size(); ++r)
        CHECK(all[static_cast<std::size_t>(r)] == std::vector<int>(static_cast<std::size_t>(r), r));
    auto names = world.all_gather(std::string("rank ") + std::to_string(world.rank()));
    CHECK(names.back() == "rank " + std::to_string(world.size() - 1));
    auto maps = world.gather(text_map{{"r", world.rank()}}, 0);
    if (maps) CHECK(maps->back().at("r") == world.size() - 1);
}

TEST_CASE("scatter") {
    baton::comm world;
    std::vector<int> ints;
    std::vector<std::vector<double>> rows;
    std::vector<text_map> maps;
    if (world.is_root()) {
        for (int r = 0; r < world.size(); ++r) {
            ints.push_back(10 * r);
            rows.push_back(std::vector<double>(static_cast<std::size_t>(r + 1), r));
            maps.push_back({{"for", r}});
        }
    }
    CHECK(world.scatter(ints) == 10 * world.rank());
    CHECK(world.scatter(rows) == std::vector<double>(static_cast<std::size_t>(world.rank() + 1), world.rank()));
    CHECK(world.scatter(maps).at("for") == world.rank());
    // root passing the wrong number of values: every rank gets usage_error, none hangs
    std::vector<int> wrong(world.is_root() ? static_cast<std::size_t>(world.size() + 1) : 0);
    CHECK_THROWS_AS(world.scatter(wrong), baton::usage_error);
}

TEST_CASE("reduce and all_reduce with MPI operations and with lambdas") {
    baton::comm world;
    const int n = world.size();
    auto sum = world.reduce(world.rank() + 1, std::plus<>{});
    CHECK(sum.has_value() == world.is_root());
    if (sum) CHECK(*sum == n * (n + 1) / 2);
    CHECK(world.all_reduce(world.rank(), baton::maximum{}) == n - 1);
    CHECK(world.all_reduce(1.0 * world.rank(), baton::minimum{}) == 0.0);
    auto v = world.all_reduce(std::vector<double>{1.0, 1.0 * world.rank()}, std::plus<>{});
    CHECK(v == std::vector<double>{1.0 * n, n * (n - 1) / 2.0});
    // a lambda over strings: applied in rank order, so the result is deterministic
    auto joined = world.all_reduce(std::to_string(world.rank()),
                                   [](const std::string& a, const std::string& b) { return a + "," + b; });
    std::string expected = "0";
    for (int r = 1; r < n; ++r) expected += "," + std::to_string(r);
    CHECK(joined == expected);
    auto farthest =
        world.reduce(point{1.0 * world.rank(), world.rank()}, [](point a, point b) { return a.x >= b.x ? a : b; });
    if (farthest) CHECK(farthest->id == n - 1);
}

TEST_CASE("element-wise reduce refuses vectors of different lengths on every rank") {
    baton::comm world;
    if (world.size() < 2) return;
    std::vector<int> v(static_cast<std::size_t>(world.rank() == 0 ? 2 : 3), 1);
    CHECK_THROWS_AS(world.all_reduce(v, std::plus<>{}), baton::usage_error);
}
