// Every collective for a plain value, a contiguous container and a serialized payload.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <numeric>
#include <optional>
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

TEST_CASE("gathers of large vectors land in the result's vectors; empty and odd-sized ones too") {
    // At least one rank sends 32 KiB or more, so the vectors are received where they lie
    // (MPI_Gatherv_c on MPI-4, MPI_Gatherv on MPI-3, from the lowest of them; MPI_Alltoallw by
    // address when the ctest variant collectives.by_address sets BATON_GATHER_BY_ADDRESS).
    baton::comm world;
    auto values_of = [](int r) {
        std::vector<double> v(r == 1 ? 0 : static_cast<std::size_t>(5000 + 1237 * r));
        for (std::size_t i = 0; i < v.size(); ++i) v[i] = r * 1e6 + static_cast<double>(i);
        return v;
    };
    const auto mine = values_of(world.rank());
    for (int root = 0; root < world.size(); root += std::max(1, world.size() - 1)) {
        auto at_root = world.gather(mine, root);
        CHECK(at_root.has_value() == (world.rank() == root));
        if (at_root) {
            REQUIRE(at_root->size() == static_cast<std::size_t>(world.size()));
            for (int r = 0; r < world.size(); ++r) CHECK((*at_root)[static_cast<std::size_t>(r)] == values_of(r));
        }
    }
    const auto everywhere = world.all_gather(mine);
    REQUIRE(everywhere.size() == static_cast<std::size_t>(world.size()));
    for (int r = 0; r < world.size(); ++r) CHECK(everywhere[static_cast<std::size_t>(r)] == values_of(r));
    // Characters: odd sizes, in place too.
    const auto texts = world.all_gather(
        std::string(static_cast<std::size_t>(40001 + world.rank()), static_cast<char>('a' + world.rank() % 26)));
    for (int r = 0; r < world.size(); ++r)
        CHECK(texts[static_cast<std::size_t>(r)] ==
              std::string(static_cast<std::size_t>(40001 + r), static_cast<char>('a' + r % 26)));
}

TEST_CASE("gathers of small vectors land in the result's vectors; a rank may take the buffered path alone") {
    // Below 32 KiB each receiver decides alone whether its vectors lie close enough for
    // MPI_Gatherv's int displacements (MPI-3); with BATON_GATHER_BY_ADDRESS (ctest variant
    // collectives.by_address) odd ranks take the buffered path while even ranks receive in place.
    baton::comm world;
    auto values_of = [](int r, std::size_t scale) {
        std::vector<long long> v(r % 3 == 1 ? 0 : scale + static_cast<std::size_t>(r));
        for (std::size_t i = 0; i < v.size(); ++i) v[i] = r * 1000003LL + static_cast<long long>(i);
        return v;
    };
    for (const std::size_t scale : {std::size_t{1}, std::size_t{100}, std::size_t{4000}}) {
        CAPTURE(scale);
        const auto mine = values_of(world.rank(), scale);
        for (int root = 0; root < world.size(); root += std::max(1, world.size() - 1)) {
            auto at_root = world.gather(mine, root);
            CHECK(at_root.has_value() == (world.rank() == root));
            if (at_root) {
                REQUIRE(at_root->size() == static_cast<std::size_t>(world.size()));
                for (int r = 0; r < world.size(); ++r)
                    CHECK((*at_root)[static_cast<std::size_t>(r)] == values_of(r, scale));
            }
        }
        const auto everywhere = world.all_gather(mine);
        REQUIRE(everywhere.size() == static_cast<std::size_t>(world.size()));
        for (int r = 0; r < world.size(); ++r) CHECK(everywhere[static_cast<std::size_t>(r)] == values_of(r, scale));
    }
}

TEST_CASE("gathers to one root never meet the program's messages; a bad piece leaves none behind") {
    // On MPI-3 (the collectives.by_address variant, and Open MPI) a gather to one root sends
    // the pieces as messages of their own; on MPI-4 they go by MPI_Gatherv_c. Either way the
    // root's receive, posted before the gathers with any source and any tag, gets only what
    // the program sent, after gathers to each root in turn, of sizes from empty to 64 KiB.
    baton::comm world;
    const int last = world.size() - 1;
    // The program's message is large enough to travel as a header and a body with its tag (0).
    const std::vector<double> large(4096, 7.5);
    std::optional<baton::recv_request<std::vector<double>>> pending;
    if (world.is_root()) pending = world.irecv<std::vector<double>>(baton::any_source, baton::any_tag);
    std::optional<baton::send_request> sent;
    if (world.rank() == last) sent = world.isend(0, baton::tag<std::vector<double>>{0}, large);
    for (int round = 0; round < 3; ++round) {
        for (int root = 0; root < world.size(); ++root) {
            const std::vector<double> mine(static_cast<std::size_t>((world.rank() + round) * 4096 % 9000),
                                           world.rank() + 0.25 * round);
            auto at_root = world.gather(mine, root);
            const auto words = world.gather(std::vector<std::string>(static_cast<std::size_t>(round + 1), "w"), root);
            CHECK(at_root.has_value() == (world.rank() == root));
            if (!at_root) continue;
            REQUIRE(words.has_value());
            for (int r = 0; r < world.size(); ++r) {
                const auto& got = (*at_root)[static_cast<std::size_t>(r)];
                CHECK(got.size() == static_cast<std::size_t>((r + round) * 4096 % 9000));
                CHECK(std::all_of(got.begin(), got.end(), [&](double x) { return x == r + 0.25 * round; }));
                CHECK((*words)[static_cast<std::size_t>(r)].size() == static_cast<std::size_t>(round + 1));
            }
        }
    }
    if (pending) {
        const auto from_program = pending->wait_message();
        CHECK(from_program.envelope.source == last);
        CHECK(from_program.envelope.tag == 0);
        CHECK(from_program.value == large);
    }
    if (sent) sent->wait();

    // Rank 1 passes three ints where the root gathers doubles: the root names the rank and the
    // size, and has taken every piece, so the next gather finds only its own.
    if (world.size() > 1) {
        if (world.rank() == 1) {
            (void)world.gather(std::vector<int>{1, 2, 3}, 0);
        } else {
            const std::vector<double> mine(2, 1.0);
            if (world.is_root()) {
                CHECK_THROWS_WITH_AS((void)world.gather(mine, 0),
                                     doctest::Contains("received 12 bytes from rank 1 in gather"),
                                     baton::message_error);
            } else {
                (void)world.gather(mine, 0);
            }
        }
    }
    const auto again = world.gather(std::vector<double>(3, world.rank()), 0);
    if (again) {
        for (int r = 0; r < world.size(); ++r)
            CHECK((*again)[static_cast<std::size_t>(r)] == std::vector<double>(3, r));
    }
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

// all_reduce of vectors carries the length check in its block, sized by the length the ranks
// agreed on last (detail/collectives/length_checked_reduction.hpp): lengths that grow, shrink, cross the
// block limit and come back must all reduce right, whatever the previous call left behind.
TEST_CASE("element-wise all_reduce of vectors whose length changes from call to call") {
    baton::comm world;
    const int n = world.size();
    const double ranks_sum = n * (n - 1) / 2.0;
    for (const std::size_t length : {std::size_t{1}, std::size_t{1}, std::size_t{64}, std::size_t{3}, std::size_t{0},
                                     std::size_t{512}, std::size_t{511}, std::size_t{513}, std::size_t{100000},
                                     std::size_t{100000}, std::size_t{7}, std::size_t{4096}, std::size_t{4096},
                                     std::size_t{2048}, std::size_t{2048}, std::size_t{2049}, std::size_t{2049}}) {
        CAPTURE(length);
        std::vector<double> mine(length);
        for (std::size_t k = 0; k < length; ++k) mine[k] = static_cast<double>(k) + world.rank();
        const auto sum = world.all_reduce(mine, std::plus<>{});
        REQUIRE(sum.size() == length);
        bool all_right = true;
        for (std::size_t k = 0; k < length; ++k)
            all_right = all_right && sum[k] == n * static_cast<double>(k) + ranks_sum;
        CHECK(all_right);
    }
    // other operations and element types, each after a call of another length and type
    std::vector<int> bits(300, 1 << (world.rank() % 31));
    const auto ored = world.all_reduce(bits, std::bit_or<>{});
    int expected_bits = 0;
    for (int r = 0; r < n; ++r) expected_bits |= 1 << (r % 31);
    CHECK(ored == std::vector<int>(300, expected_bits));
    const auto me = static_cast<float>(world.rank());
    const auto lowest = world.all_reduce(std::vector<float>{1.5f * me, -me}, baton::minimum{});
    CHECK(lowest == std::vector<float>{0.0f, -static_cast<float>(n - 1)});
    const auto highest = world.all_reduce(std::vector<long long>(9, world.rank()), baton::maximum{});
    CHECK(highest == std::vector<long long>(9, n - 1));
    const auto product = world.all_reduce(std::vector<std::uint64_t>(1000, 2), std::multiplies<>{});
    CHECK(product == std::vector<std::uint64_t>(1000, std::uint64_t{1} << n));
    using flag = unsigned char;
    const auto flags = world.all_reduce(std::vector<flag>{7, flag{world.rank() == 0}}, std::logical_and<>{});
    // one rank's values come back as they were: MPI applies no operation to them
    CHECK(flags == (n == 1 ? std::vector<flag>{7, 1} : std::vector<flag>{1, 0}));
}

TEST_CASE("element-wise reduce to a root, between all_reduces, with lengths that change and that differ") {
    // reduce shares the block size the ranks agreed on last with all_reduce; its elements
    // beyond the block go to the root alone.
    baton::comm world;
    const int n = world.size();
    const int last = n - 1;
    for (const std::size_t length :
         {std::size_t{5}, std::size_t{5}, std::size_t{600}, std::size_t{70000}, std::size_t{2}, std::size_t{600}}) {
        CAPTURE(length);
        for (const int root : {0, last}) {
            std::vector<long long> mine(length, world.rank() + 1);
            const auto total = world.reduce(mine, std::plus<>{}, root);
            CHECK(total.has_value() == (world.rank() == root));
            if (total) CHECK(*total == std::vector<long long>(length, n * (n + 1) / 2));
            const auto everywhere = world.all_reduce(mine, baton::maximum{});
            CHECK(everywhere == std::vector<long long>(length, n));
        }
    }
    if (n < 2) return;
    std::vector<long long> uneven(world.rank() == last ? 601 : 600, 1);
    CHECK_THROWS_AS(world.reduce(uneven, std::plus<>{}, 0), baton::usage_error);
    const auto after = world.reduce(std::vector<long long>(600, 1), std::plus<>{}, last);
    if (after) CHECK(*after == std::vector<long long>(600, n));
}

TEST_CASE("element-wise all_reduce refuses different lengths after agreeing ones, and goes on afterwards") {
    baton::comm world;
    if (world.size() < 2) return;
    for (int i = 0; i < 3; ++i) world.all_reduce(std::vector<double>(16, 1.0), std::plus<>{});
    // one rank one element short of what the block expects, then one rank one longer
    for (const std::size_t odd : {std::size_t{15}, std::size_t{17}, std::size_t{0}, std::size_t{50000}}) {
        CAPTURE(odd);
        std::vector<double> v(world.rank() == 1 ? odd : 16, 1.0);
        try {
            world.all_reduce(v, std::plus<>{});
            FAIL("all_reduce took vectors of different lengths");
        } catch (const baton::usage_error& e) {
            const std::string what = e.what();
            CHECK(what.find("rank " + std::to_string(world.rank())) != std::string::npos);
            CHECK(what.find("from " + std::to_string(std::min<std::size_t>(odd, 16)) + " to " +
                            std::to_string(std::max<std::size_t>(odd, 16))) != std::string::npos);
            CHECK(what.find("this rank has " + std::to_string(v.size())) != std::string::npos);
        }
    }
    const auto after = world.all_reduce(std::vector<double>(16, 1.0), std::plus<>{});
    CHECK(after == std::vector<double>(16, 1.0 * world.size()));
}

namespace {
// Lets the ranks agree on a length for `op` over E, then the last rank alone passes one element
// fewer and one more: every rank must throw, whichever way the length check is carried for this
// operation and length (a mark in the first element, an appended one, baton's block, the bounds
// first). Then one new length on every rank must reduce to `expected` in each element.
template <class E, class Op>
void refuses_a_lone_change(const baton::comm& world, std::size_t agreed, Op op, E mine, E expected) {
    CAPTURE(baton::type_name<E>());
    CAPTURE(agreed);
    for (int i = 0; i < 2; ++i) CHECK(world.all_reduce(std::vector<E>(agreed, mine), op).size() == agreed);
    if (world.size() > 1) {
        for (const std::size_t odd : {agreed - 1, agreed + 1}) {
            CAPTURE(odd);
            const std::vector<E> v(world.rank() == world.size() - 1 ? odd : agreed, mine);
            CHECK_THROWS_AS(world.all_reduce(v, op), baton::usage_error);
        }
    }
    CHECK(world.all_reduce(std::vector<E>(agreed + 2, mine), op) == std::vector<E>(agreed + 2, expected));
}
}  // namespace

TEST_CASE("element-wise all_reduce refuses one rank's changed length with every MPI operation and element type") {
    const baton::comm world;
    const int n = world.size();
    const bool one = n == 1;
    long power = 1;
    for (int r = 0; r < n; ++r) power *= 3;
    for (const std::size_t agreed : {std::size_t{1}, std::size_t{5}}) {
        refuses_a_lone_change<double>(world, agreed, std::plus<>{}, 1.5, 1.5 * n);
        refuses_a_lone_change<float>(world, agreed, std::plus<>{}, 2.0f, 2.0f * static_cast<float>(n));
        refuses_a_lone_change<double>(world, agreed, std::multiplies<>{}, 1.0, 1.0);
        refuses_a_lone_change<int>(world, agreed, std::plus<>{}, 3, 3 * n);
        refuses_a_lone_change<short>(world, agreed, std::plus<>{}, 1, static_cast<short>(n));  // could wrap
        refuses_a_lone_change<long double>(world, agreed, std::plus<>{}, 0.5L, 0.5L * n);
        refuses_a_lone_change<long>(world, agreed, std::multiplies<>{}, 3, power);
        refuses_a_lone_change<unsigned>(world, agreed, baton::minimum{}, 7u, 7u);
        refuses_a_lone_change<int>(world, agreed, baton::minimum{}, -7, -7);
        refuses_a_lone_change<signed char>(world, agreed, baton::maximum{}, -3, -3);
        refuses_a_lone_change<double>(world, agreed, baton::maximum{}, -0.5, -0.5);
        refuses_a_lone_change<unsigned char>(world, agreed, std::logical_and<>{}, 2, one ? 2 : 1);
        refuses_a_lone_change<int>(world, agreed, std::logical_or<>{}, 0, 0);
        refuses_a_lone_change<unsigned>(world, agreed, std::bit_and<>{}, 0xF0F0u, 0xF0F0u);
        refuses_a_lone_change<int>(world, agreed, std::bit_and<>{}, -2, -2);
        refuses_a_lone_change<long long>(world, agreed, std::bit_or<>{}, 12, 12);
        refuses_a_lone_change<unsigned>(world, agreed, std::bit_xor<>{}, 6u, n % 2 == 1 ? 6u : 0u);  // would cancel
    }
    // above the limit of marks (256 KiB): the bounds go first
    refuses_a_lone_change<double>(world, 40000, std::plus<>{}, 1.5, 1.5 * n);
    refuses_a_lone_change<int>(world, 70000, baton::maximum{}, 4, 4);
}

TEST_CASE("element-wise all_reduce of data holding a mark's value: NaN in a sum, the largest int in a maximum") {
    // A mark in the first element may also be the data's own: the ranks then compare their
    // lengths, and the result must be the reduction all the same, on every rank.
    const baton::comm world;
    const int n = world.size();
    const int last = n - 1;
    for (const std::size_t length : {std::size_t{1}, std::size_t{1}, std::size_t{3}, std::size_t{3}, std::size_t{4},
                                     std::size_t{40000}, std::size_t{40000}}) {
        CAPTURE(length);
        std::vector<double> v(length, 1.0);
        if (world.rank() == last) v[0] = std::numeric_limits<double>::quiet_NaN();
        const auto sum = world.all_reduce(v, std::plus<>{});
        REQUIRE(sum.size() == length);
        CHECK(std::isnan(sum[0]));
        CHECK(std::count(sum.begin() + 1, sum.end(), 1.0 * n) == static_cast<std::ptrdiff_t>(length - 1));
        std::vector<int> w(length, world.rank());
        if (world.rank() == 0) w[0] = std::numeric_limits<int>::max();
        const auto highest = world.all_reduce(w, baton::maximum{});
        REQUIRE(highest.size() == length);
        CHECK(highest[0] == std::numeric_limits<int>::max());
        CHECK(std::count(highest.begin() + 1, highest.end(), last) == static_cast<std::ptrdiff_t>(length - 1));
    }
    if (n < 2) return;
    std::vector<double> uneven(world.rank() == last ? 5 : 4, std::numeric_limits<double>::quiet_NaN());
    CHECK_THROWS_AS(world.all_reduce(uneven, std::plus<>{}), baton::usage_error);
}

TEST_CASE("all_to_all: plain values, vectors and strings of different lengths, serialized maps") {
    baton::comm world;
    const int n = world.size();
    const int me = world.rank();
    std::vector<int> ints;
    std::vector<std::vector<double>> rows;
    std::vector<std::string> words;
    std::vector<text_map> maps;
    for (int r = 0; r < n; ++r) {
        ints.push_back(100 * me + r);
        rows.push_back(std::vector<double>(static_cast<std::size_t>(me + r), 0.5 * me));  // lengths differ
        words.push_back(std::string(static_cast<std::size_t>(r), 'a' + static_cast<char>(me)));
        maps.push_back({{"from", me}, {"to", r}});
    }
    auto got_ints = world.all_to_all(ints);
    auto got_rows = world.all_to_all(rows);
    auto got_words = world.all_to_all(words);
    auto got_maps = world.all_to_all(maps);
    for (int r = 0; r < n; ++r) {
        const auto i = static_cast<std::size_t>(r);
        CHECK(got_ints[i] == 100 * r + me);
        CHECK(got_rows[i] == std::vector<double>(static_cast<std::size_t>(r + me), 0.5 * r));
        CHECK(got_words[i] == std::string(static_cast<std::size_t>(me), 'a' + static_cast<char>(r)));
        CHECK(got_maps[i] == text_map{{"from", r}, {"to", me}});
    }
}

TEST_CASE("all_to_all with the wrong number of values throws on that rank before any communication") {
    baton::comm world;
    CHECK_THROWS_WITH_AS((void)world.all_to_all(std::vector<int>(static_cast<std::size_t>(world.size() + 1))),
                         doctest::Contains("all_to_all needs one value per rank"), baton::usage_error);
}

TEST_CASE("scan and exscan: MPI's operations, element-wise vectors, and lambdas in rank order") {
    baton::comm world;
    const int me = world.rank();
    CHECK(world.scan(me + 1, std::plus<>{}) == (me + 1) * (me + 2) / 2);
    auto before = world.exscan(me + 1, std::plus<>{});
    CHECK(before.has_value() == (me != 0));
    if (before) CHECK(*before == me * (me + 1) / 2);
    CHECK(world.scan(std::vector<double>{1.0, 1.0 * me}, std::plus<>{}) ==
          std::vector<double>{1.0 * (me + 1), me * (me + 1) / 2.0});
    CHECK(world.scan(me, baton::maximum{}) == me);
    auto text = world.scan(std::to_string(me), [](const std::string& a, const std::string& b) { return a + b; });
    std::string expected;
    for (int r = 0; r <= me; ++r) expected += std::to_string(r);
    CHECK(text == expected);
    auto text_before =
        world.exscan(std::to_string(me), [](const std::string& a, const std::string& b) { return a + b; });
    CHECK(text_before.has_value() == (me != 0));
    if (text_before) CHECK(*text_before == expected.substr(0, expected.size() - std::to_string(me).size()));
}

TEST_CASE("ranked values with max_loc and min_loc: the best value and its lowest rank") {
    baton::comm world;
    const int n = world.size();
    const int me = world.rank();
    // scores peak at the middle rank; ties (every rank's 1.0) go to rank 0
    const double score = -((me - n / 2) * (me - n / 2)) * 1.0;
    auto best = world.all_reduce(baton::ranked<double>{score, me}, baton::max_loc{});
    CHECK(best.rank == n / 2);
    CHECK(best.value == 0.0);
    auto worst = world.all_reduce(baton::ranked<double>{score, me}, baton::min_loc{});
    CHECK(worst.rank == 0);
    auto tie = world.all_reduce(baton::ranked<int>{1, me}, baton::max_loc{});
    CHECK(tie.rank == 0);
    // a T that MPI's pair types do not cover: folded by baton, same rule
    auto wide = world.all_reduce(baton::ranked<long long>{static_cast<long long>(me % 2), me}, baton::max_loc{});
    CHECK(wide.value == (n > 1 ? 1 : 0));
    CHECK(wide.rank == (n > 1 ? 1 : 0));
    auto at_root = world.reduce(baton::ranked<float>{static_cast<float>(me), me}, baton::min_loc{}, n - 1);
    CHECK(at_root.has_value() == (me == n - 1));
    if (at_root) CHECK(at_root->rank == 0);
    auto prefix_best = world.scan(baton::ranked<double>{static_cast<double>(me % 2), me}, baton::max_loc{});
    CHECK(prefix_best.rank == (me >= 1 ? 1 : 0));
}

TEST_CASE("portable_comm and raw_comm gather and broadcast serialized payloads with their own encoding") {
    baton::portable_comm portable;
    auto maps = portable.all_gather(text_map{{"r", portable.rank()}});
    CHECK(maps.back().at("r") == portable.size() - 1);
    baton::raw_comm raw;
    std::vector<std::string> words =
        raw.is_root() ? std::vector<std::string>{"a", "bc", ""} : std::vector<std::string>{};
    raw.broadcast(words);
    CHECK(words == std::vector<std::string>{"a", "bc", ""});
}

TEST_CASE("non-blocking collectives: each returns what its blocking twin returns; temporaries are safe") {
    baton::comm world;
    const int n = world.size();
    const int me = world.rank();
    auto barrier = world.ibarrier();
    auto number = world.ibroadcast(me == 0 ? 42 : -1, 0);
    auto rows = world.ibroadcast(me == n - 1 ? std::vector<double>(1000, 2.5) : std::vector<double>{}, n - 1);
    auto text = world.ibroadcast(me == 0 ? text_map{{"root", 0}, {"n", n}} : text_map{});
    auto sum = world.iall_reduce(me + 1, std::plus<>{});
    auto sums = world.iall_reduce(std::vector<double>{1.0, 1.0 * me}, std::plus<>{});
    auto best = world.iall_reduce(baton::ranked<double>{1.0 * (me % 2), me}, baton::max_loc{});
    auto joined =
        world.iall_reduce(std::to_string(me), [](const std::string& a, const std::string& b) { return a + b; });
    auto points = world.iall_gather(point{0.5 * me, me});
    auto lengths = world.iall_gather(std::vector<int>(static_cast<std::size_t>(me), me));
    auto maps = world.iall_gather(text_map{{"r", me}});
    barrier.wait();
    CHECK(number.wait() == 42);
    CHECK(rows.wait() == std::vector<double>(1000, 2.5));
    CHECK(text.wait() == text_map{{"root", 0}, {"n", n}});
    CHECK(sum.wait() == n * (n + 1) / 2);
    CHECK(sums.wait() == std::vector<double>{1.0 * n, n * (n - 1) / 2.0});
    CHECK(best.wait().rank == (n > 1 ? 1 : 0));
    std::string expected;
    for (int r = 0; r < n; ++r) expected += std::to_string(r);
    CHECK(joined.wait() == expected);
    auto all_points = points.wait();
    auto all_lengths = lengths.wait();
    auto all_maps = maps.wait();
    for (int r = 0; r < n; ++r) {
        const auto i = static_cast<std::size_t>(r);
        CHECK(all_points[i].id == r);
        CHECK(all_lengths[i] == std::vector<int>(i, r));
        CHECK(all_maps[i].at("r") == r);
    }
}

TEST_CASE("non-blocking collectives waited on in a different order on each rank, with test()") {
    baton::comm world;
    const int n = world.size();
    const int me = world.rank();
    std::vector<baton::collective_request<std::vector<std::vector<std::string>>>> gathers;
    std::vector<baton::collective_request<std::string>> broadcasts;
    for (int k = 0; k < 6; ++k) {
        // lengths only the sender knows
        gathers.push_back(world.iall_gather(std::vector<std::string>(static_cast<std::size_t>(me + k), "w")));
        broadcasts.push_back(
            world.ibroadcast(std::string(static_cast<std::size_t>(100 * k + 1), 'a' + static_cast<char>(k)), k % n));
    }
    world.barrier();  // a blocking collective between them does not disturb their order
    // odd ranks wait from the last to the first, even ranks poll with test() from the first
    for (int i = 0; i < 6; ++i) {
        const std::size_t k = static_cast<std::size_t>(me % 2 == 1 ? 5 - i : i);
        std::vector<std::vector<std::string>> got;
        if (me % 2 == 0) {
            std::optional<std::vector<std::vector<std::string>>> done;
            while (!(done = gathers[k].test())) {
            }
            got = std::move(*done);
        } else {
            got = gathers[k].wait();
        }
        REQUIRE(got.size() == static_cast<std::size_t>(n));
        for (int r = 0; r < n; ++r) CHECK(got[static_cast<std::size_t>(r)].size() == static_cast<std::size_t>(r) + k);
        CHECK(broadcasts[k].wait() == std::string(100 * k + 1, 'a' + static_cast<char>(k)));
        CHECK_FALSE(gathers[k].active());
    }
}

TEST_CASE("non-blocking element-wise reduction of vectors of different lengths fails on every rank at wait") {
    baton::comm world;
    if (world.size() < 2) return;
    auto r = world.iall_reduce(std::vector<int>(world.rank() == 0 ? 2u : 3u, 1), std::plus<>{});
    CHECK_THROWS_WITH_AS(r.wait(), doctest::Contains("one length"), baton::usage_error);
    world.barrier();
}

TEST_CASE("wait_all takes collective requests beside sends and receives") {
    baton::comm world;
    auto b = world.ibarrier();
    auto g = world.iall_gather(world.rank());
    auto s = world.isend(world.rank(), 31, 7);
    auto r = world.irecv<int>(world.rank(), 31);
    baton::wait_all(b, g, r, s);  // the receive first: a send to oneself may wait for it
    CHECK(g.wait().size() == static_cast<std::size_t>(world.size()));
    CHECK(r.wait() == 7);
}
