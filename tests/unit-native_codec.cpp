// baton's encoding of standard-library values: every supported shape round-trips, and a
// malformed message (truncated anywhere, padded, with an impossible count or flag) is a
// decode_error naming the problem, not a crash or a huge allocation. Through the comm, such a
// message is a message_error naming the type, the sender and the tag.
#include <doctest/doctest.h>

#include <array>
#include <baton/baton.hpp>
#include <baton/detail/native_codec.hpp>
#include <cstdint>
#include <deque>
#include <list>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

using baton::detail::decode_error;
using baton::detail::has_native_codec_v;
using baton::detail::native_decode;
using baton::detail::native_encode;

namespace {
template <class T>
std::vector<char> encode(const T& value) {
    std::vector<char> out;
    native_encode(out, value);
    return out;
}

template <class T>
T decode(const std::vector<char>& bytes) {
    T value{};
    native_decode(bytes.data(), bytes.size(), value);
    return value;
}

template <class T>
void round_trip(const T& value) {
    CHECK(decode<T>(encode(value)) == value);
}

struct with_serialize {  // a user type that is not plain memory: Boost.Serialization's job
    std::string name;
    template <class Archive>
    void serialize(Archive& ar, unsigned) {
        ar & name;
    }
};

using nested = std::map<std::string, std::vector<std::pair<std::string, std::optional<double>>>>;
nested sample_nested() {
    return {{"alpha", {{"a", 1.5}, {"", std::nullopt}}}, {"", {}}, {"beta", {{"long text beyond sixteen bytes", -2.0}}}};
}
}  // namespace

TEST_CASE("which types use baton's encoding") {
    CHECK(has_native_codec_v<std::string>);
    CHECK(has_native_codec_v<std::vector<std::string>>);
    CHECK(has_native_codec_v<std::map<std::string, int>>);
    CHECK(has_native_codec_v<nested>);
    CHECK(has_native_codec_v<std::tuple<int, std::string, std::vector<double>>>);
    CHECK(has_native_codec_v<std::vector<bool>>);
    CHECK_FALSE(has_native_codec_v<with_serialize>);
    CHECK_FALSE(has_native_codec_v<std::vector<with_serialize>>);
    CHECK_FALSE(has_native_codec_v<std::map<std::string, with_serialize>>);
}

TEST_CASE("every supported shape round-trips") {
    round_trip(std::string());
    round_trip(std::string("text with \0 inside", 18));
    round_trip(std::vector<std::string>{"", "a", std::string(1000, 'x')});
    round_trip(std::vector<std::vector<double>>{{}, {1.0}, {1, 2, 3}});
    round_trip(std::vector<std::vector<char>>{{'a', 'b'}, {}});
    round_trip(std::map<std::string, std::vector<char>>{{"bytes", {'\0', 'x'}}});
    round_trip(std::vector<std::u16string>{u"wide", u""});
    round_trip(std::vector<bool>{true, false, true, true});
    round_trip(std::deque<std::string>{"d", "e"});
    round_trip(std::list<std::vector<int>>{{1}, {}, {2, 3}});
    round_trip(std::set<std::string>{"x", "y", "z"});
    round_trip(std::multiset<std::string>{"x", "x", "y"});
    round_trip(std::unordered_set<std::string>{"p", "q"});
    round_trip(std::map<std::string, int>{{"a", 1}, {"b", -2}});
    round_trip(std::multimap<int, std::string>{{1, "a"}, {1, "b"}, {0, "c"}});
    round_trip(std::unordered_map<std::string, std::vector<int>>{{"k", {1, 2}}, {"", {}}});
    round_trip(std::pair<std::string, double>{"pi", 3.14});
    round_trip(std::tuple<int, std::string, std::vector<double>>{7, "seven", {7.0}});
    round_trip(std::array<std::string, 3>{"a", "", "c"});
    round_trip(std::optional<std::string>{});
    round_trip(std::optional<std::string>{"present"});
    round_trip(sample_nested());
}

TEST_CASE("a message cut short anywhere is a decode_error") {
    const auto bytes = encode(sample_nested());
    for (std::size_t n = 0; n < bytes.size(); ++n) {
        const std::vector<char> prefix(bytes.begin(), bytes.begin() + static_cast<long>(n));
        CAPTURE(n);
        CHECK_THROWS_AS(decode<nested>(prefix), decode_error);
    }
    CHECK_THROWS_WITH(decode<std::string>(std::vector<char>{3, 0}), doctest::Contains("truncated length"));
}

TEST_CASE("bytes left over after the value are a decode_error") {
    auto bytes = encode(std::vector<std::string>{"a", "b"});
    bytes.push_back('!');
    CHECK_THROWS_WITH(decode<std::vector<std::string>>(bytes), doctest::Contains("1 bytes left over"));
}

TEST_CASE("a count larger than the message could hold fails before allocating") {
    std::vector<char> bytes(8 + 16, 0);
    const std::uint64_t huge = std::uint64_t{1} << 62;  // 4 Ei strings would not fit in 16 bytes
    std::memcpy(bytes.data(), &huge, 8);
    CHECK_THROWS_WITH(decode<std::vector<std::string>>(bytes), doctest::Contains("claims 4611686018427387904 elements"));
    using string_map = std::map<std::string, std::string>;  // (a comma would split the macro's arguments)
    CHECK_THROWS_AS(decode<string_map>(bytes), decode_error);
    CHECK_THROWS_AS(decode<std::string>(bytes), decode_error);
    const std::uint64_t wraps = ~std::uint64_t{0};  // count * element size overflows
    std::memcpy(bytes.data(), &wraps, 8);
    CHECK_THROWS_AS(decode<std::vector<double>>(bytes), decode_error);
}

TEST_CASE("flags other than 0 and 1 are a decode_error") {
    CHECK_THROWS_WITH(decode<std::optional<std::string>>(std::vector<char>{2}), doctest::Contains("optional"));
    std::vector<char> bools(8, 0);
    bools[0] = 1;
    bools.push_back(7);
    CHECK_THROWS_WITH(decode<std::vector<bool>>(bools), doctest::Contains("bool"));
}

TEST_CASE("through the comm, a malformed message is a message_error naming type, sender and tag") {
    // raw_comm sends bytes as they are; a checked receiver would refuse them for their header,
    // so the unchecked wire is where the decoder itself meets arbitrary bytes.
    baton::raw_comm world;
    const int me = world.rank();
    const baton::tag<std::vector<char>> as_bytes{60};
    const baton::tag<std::vector<std::string>> as_strings{60};
    world.send(me, as_bytes, std::vector<char>{5, 0, 0, 0, 0, 0, 0, 0, 'a'});
    const std::string expected = "could not decode std::vector<std::string> from rank " + std::to_string(me) + " tag 60";
    CHECK_THROWS_WITH_AS(world.recv(me, as_strings), doctest::Contains(expected.c_str()), baton::message_error);
}
