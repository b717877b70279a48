// The checked wire refuses to hand a receiver a type other than the one sent.
#include <doctest/doctest.h>

#include <array>
#include <baton/baton.hpp>
#include <map>
#include <string>
#include <vector>

namespace {
using int_int_map = std::map<int, int>;
using int_long_map = std::map<int, long>;
using char_array = std::array<char, 100000>;
using float_array = std::array<float, 3>;
using text_to_ints = std::map<std::string, std::vector<int>>;
}  // namespace

TEST_CASE("receiving another type throws type_mismatch naming both types, the source and the tag") {
    baton::comm world;
    const int me = world.rank();
    world.send(me, 11, 7);  // an int, to ourselves
    try {
        (void)world.recv<std::vector<double>>(me, 11);
        FAIL("no exception");
    } catch (const baton::type_mismatch& e) {
        const std::string expected = "rank " + std::to_string(me) + " expected std::vector<double> from rank " +
                                     std::to_string(me) + " tag 11, got int";
        CHECK(std::string(e.what()) == expected);
        CHECK(e.expected_type() == "std::vector<double>");
        CHECK(e.actual_type() == "int");
    }
}

TEST_CASE("same size, different type is still a mismatch") {
    baton::comm world;
    world.send(world.rank(), 12, 1.0);           // double
    CHECK_THROWS_AS((void)world.recv<long>(world.rank(), 12), baton::type_mismatch);
    world.send(world.rank(), 13, std::vector<float>{1, 2});
    CHECK_THROWS_AS((void)world.recv<std::vector<int>>(world.rank(), 13), baton::type_mismatch);
    world.send(world.rank(), 14, std::map<int, int>{{1, 2}});
    CHECK_THROWS_WITH_AS((void)world.recv<int_long_map>(world.rank(), 14),
                         doctest::Contains("got std::map<int, int>"), baton::type_mismatch);
}

TEST_CASE("a large message of another type is refused too, whether or not sizes divide") {
    baton::comm world;
    world.send(world.rank(), 15, std::vector<double>(100000, 1.0));
    CHECK_THROWS_AS((void)world.recv<std::vector<float>>(world.rank(), 15), baton::type_mismatch);
    world.send(world.rank(), 16, std::vector<char>(100001, 'x'));
    CHECK_THROWS_AS((void)world.recv<std::vector<double>>(world.rank(), 16), baton::type_mismatch);
    world.send(world.rank(), 17, std::string(100000, 'x'));
    CHECK_THROWS_AS((void)world.recv<char_array>(world.rank(), 17), baton::type_mismatch);
}

TEST_CASE("a message from the unchecked wire is reported as such, not decoded") {
    baton::comm world;
    baton::raw_comm raw(world.native());
    raw.send(world.rank(), 18, 3.0);
    CHECK_THROWS_WITH_AS((void)world.recv<double>(world.rank(), 18), doctest::Contains("no baton header"),
                         baton::message_error);
}

TEST_CASE("portable and default comms do not silently mix encodings") {
    baton::comm world;
    baton::portable_comm portable(world.native());
    portable.send(world.rank(), 19, std::map<int, int>{{1, 2}});
    CHECK_THROWS_WITH_AS((void)world.recv<int_int_map>(world.rank(), 19),
                         doctest::Contains("packed archive"), baton::message_error);
}

TEST_CASE("type names are readable") {
    CHECK(baton::type_name<std::vector<double>>() == "std::vector<double>");
    CHECK(baton::type_name<std::string>() == "std::string");
    CHECK(baton::type_name<text_to_ints>() ==
          "std::map<std::string, std::vector<int>>");
    CHECK(baton::type_name<float_array>() == "std::array<float, 3>");
}
