// baton's encoding of standard-library values: every supported shape round-trips, and a
// malformed message (truncated anywhere, padded, with an impossible count or flag) is a
// decode_error naming the problem, not a crash or a huge allocation. Through the comm, such a
// message is a message_error naming the type, the sender and the tag.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
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
#include <variant>
#include <vector>

#include <baton/baton.hpp>
#include <baton/detail/codec/native_codec.hpp>

using baton::detail::byte_buffer;
using baton::detail::decode_error;
using baton::detail::has_native_codec_v;
using baton::detail::native_decode;
using baton::detail::native_encode;

namespace {
template <class T>
byte_buffer encode(const T& value) {
    byte_buffer out;
    native_encode(out, value);
    return out;
}

template <class T, class Bytes>
T decode(const Bytes& bytes) {
    T value{};
    native_decode(bytes.data(), bytes.size(), value);
    return value;
}

// A count as the encoding writes it: 7 bits a byte, low bits first, the high bit set on every
// byte but the last.
std::vector<char> count_bytes(std::uint64_t n) {
    std::vector<char> out;
    while (n >= 0x80) {
        out.push_back(static_cast<char>(n | 0x80));
        n >>= 7;
    }
    out.push_back(static_cast<char>(n));
    return out;
}

template <class T>
void round_trip(const T& value) {
    CHECK(decode<T>(encode(value)) == value);
}

struct with_serialize {  // a user type that is not plain memory: Boost.Serialization's job
    std::string name;
    template <class Archive>
    void serialize(Archive& ar, unsigned) {
        ar& name;
    }
};

using nested = std::map<std::string, std::vector<std::pair<std::string, std::optional<double>>>>;
nested sample_nested() {
    return {
        {"alpha", {{"a", 1.5}, {"", std::nullopt}}}, {"", {}}, {"beta", {{"long text beyond sixteen bytes", -2.0}}}};
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
    round_trip(std::deque<int>{4, 5});
    round_trip(std::set<int>{3, 1, 2});
    round_trip(std::list<double>{0.5, -1});
    round_trip(std::list<std::string>{"l", std::string(200, 'm')});
    round_trip(std::vector<std::vector<std::string>>{{"a", ""}, {}, {std::string(300, 'n')}});
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
    round_trip(std::variant<int, std::string>{std::string("held")});
    round_trip(std::vector<std::variant<std::monostate, double, std::string>>{{}, 2.5, std::string("s")});
    round_trip(sample_nested());
}

TEST_CASE("counts take one byte below 128 and grow by a byte per 7 bits") {
    CHECK(encode(std::string("abc")).size() == 1 + 3);
    CHECK(encode(std::string(127, 'x')).size() == 1 + 127);
    CHECK(encode(std::string(128, 'x')).size() == 2 + 128);
    CHECK(encode(std::string(16384, 'x')).size() == 3 + 16384);
    CHECK(encode(std::vector<std::string>{"a", "bc"}).size() == 1 + 2 + 3);
    const auto bytes = encode(std::string(300, 'y'));
    CHECK(static_cast<unsigned char>(bytes[0]) == (300 % 128 | 0x80));
    CHECK(bytes[1] == 300 / 128);
    for (std::size_t n : {0, 1, 127, 128, 16383, 16384, 1 << 21}) {
        CAPTURE(n);
        const std::string text(n, 'x');
        const auto encoded = encode(text);
        const std::vector<char> count = count_bytes(n);
        REQUIRE(encoded.size() == count.size() + n);
        CHECK(std::equal(count.begin(), count.end(), encoded.begin()));
        CHECK(decode<std::string>(encoded) == text);
    }
}

TEST_CASE("strings of every short length decode exactly, also at the very end of a message") {
    // Short strings are decoded through a fixed-length copy that is then cut to length; the
    // last strings of a message have fewer bytes after them than that copy reads.
    for (std::size_t last = 0; last <= 40; ++last) {
        std::vector<std::string> values;
        for (std::size_t n = 0; n <= 40; ++n) values.push_back(std::string(n, static_cast<char>('a' + n % 26)));
        values.push_back(std::string(last, 'z'));
        CAPTURE(last);
        const auto bytes = encode(values);
        const auto back = decode<std::vector<std::string>>(bytes);
        CHECK(back == values);
        for (const auto& v : back) CHECK(v.c_str()[v.size()] == '\0');
    }
}

TEST_CASE("a variant's index that names no alternative is a decode_error") {
    using two = std::variant<int, std::string>;
    auto encoded = encode(two{std::string("x")});
    std::vector<char> bytes(encoded.data(), encoded.data() + encoded.size());
    bytes[0] = 2;
    CHECK_THROWS_WITH(decode<two>(bytes), doctest::Contains("index 2 names no alternative"));
}

TEST_CASE("a message cut short anywhere is a decode_error") {
    const auto bytes = encode(sample_nested());
    for (std::size_t n = 0; n < bytes.size(); ++n) {
        const std::vector<char> prefix(bytes.begin(), bytes.begin() + static_cast<long>(n));
        CAPTURE(n);
        CHECK_THROWS_AS(decode<nested>(prefix), decode_error);
    }
    CHECK_THROWS_WITH(decode<std::string>(std::vector<char>{3, 'a'}), doctest::Contains("length claims 3 elements"));
    // a run of strings, one with a two-byte length
    const auto strings = encode(std::vector<std::string>{"first", std::string(200, 's'), "", "last"});
    for (std::size_t n = 0; n < strings.size(); ++n) {
        const std::vector<char> prefix(strings.begin(), strings.begin() + static_cast<long>(n));
        CAPTURE(n);
        CHECK_THROWS_AS(decode<std::vector<std::string>>(prefix), decode_error);
    }
    CHECK_THROWS_WITH(
        decode<std::vector<std::string>>(std::vector<char>{2, 1, 'a', 12, 'a', 'b', 'c'}),
        doctest::Contains("at byte 4: length claims 12 elements of at least 1 bytes, but 3 bytes remain"));
    CHECK_THROWS_WITH(decode<std::string>(std::vector<char>{char(0x83)}), doctest::Contains("the count ends early"));
}

TEST_CASE("a count beyond 64 bits is a decode_error") {
    std::vector<char> eleven(10, char(0xFF));
    eleven.push_back(1);
    CHECK_THROWS_WITH(decode<std::string>(eleven), doctest::Contains("beyond 64 bits"));
    std::vector<char> high_bits(9, char(0xFF));
    high_bits.push_back(2);  // the tenth byte may only carry bit 63
    CHECK_THROWS_WITH(decode<std::string>(high_bits), doctest::Contains("beyond 64 bits"));
}

TEST_CASE("bytes left over after the value are a decode_error") {
    auto bytes = encode(std::vector<std::string>{"a", "b"});
    bytes.push_back('!');
    CHECK_THROWS_WITH(decode<std::vector<std::string>>(bytes), doctest::Contains("1 bytes left over"));
}

TEST_CASE("a count larger than the message could hold fails before allocating") {
    std::vector<char> bytes = count_bytes(std::uint64_t{1} << 62);  // 4 Ei strings would not fit
    bytes.resize(bytes.size() + 16, 0);
    CHECK_THROWS_WITH(decode<std::vector<std::string>>(bytes),
                      doctest::Contains("claims 4611686018427387904 elements"));
    using string_map = std::map<std::string, std::string>;  // (a comma would split the macro's arguments)
    CHECK_THROWS_AS(decode<string_map>(bytes), decode_error);
    CHECK_THROWS_AS(decode<std::string>(bytes), decode_error);
    std::vector<char> wraps = count_bytes(~std::uint64_t{0});  // count * element size overflows
    wraps.resize(wraps.size() + 16, 0);
    CHECK_THROWS_AS(decode<std::vector<double>>(wraps), decode_error);
    CHECK_THROWS_WITH(decode<std::vector<double>>(wraps), doctest::Contains("elements of at least 8 bytes"));
}

TEST_CASE("flags other than 0 and 1 are a decode_error") {
    CHECK_THROWS_WITH(decode<std::optional<std::string>>(std::vector<char>{2}), doctest::Contains("optional"));
    CHECK_THROWS_WITH(decode<std::vector<bool>>(std::vector<char>{1, 7}), doctest::Contains("bool"));
}

TEST_CASE("encoding appends to what the buffer holds and grows it as needed") {
    byte_buffer out(5, 'h');
    const std::vector<std::string> big(1000, std::string(100, 'z'));  // far beyond the first allocation
    native_encode(out, big);
    CHECK(out.size() == 5 + 2 + 1000 * 101);
    CHECK(std::string(out.data(), 5) == "hhhhh");
    std::vector<std::string> back;
    native_decode(out.data() + 5, out.size() - 5, back);
    CHECK(back == big);
}

TEST_CASE("unsorted map entries still decode into a correct map") {
    // Entries arrive in the sender's order; a map decoded with another order (or a corrupted
    // message) must still come out right, only slower.
    std::vector<char> bytes = count_bytes(3);
    for (const char* key : {"c", "a", "b"}) {
        bytes.push_back(1);
        bytes.push_back(key[0]);
        const int value = key[0];
        bytes.insert(bytes.end(), reinterpret_cast<const char*>(&value), reinterpret_cast<const char*>(&value) + 4);
    }
    using string_to_int = std::map<std::string, int>;
    const string_to_int expected{{"a", 'a'}, {"b", 'b'}, {"c", 'c'}};
    CHECK(decode<string_to_int>(bytes) == expected);
    CHECK(decode<std::set<std::string>>(std::vector<char>{2, 1, 'y', 1, 'x'}) == std::set<std::string>{"x", "y"});
}

TEST_CASE("through the comm, a malformed message is a message_error naming type, sender and tag") {
    // raw_comm sends bytes as they are; a checked receiver would refuse them for their header,
    // so the unchecked wire is where the decoder itself meets arbitrary bytes.
    baton::raw_comm world;
    const int me = world.rank();
    const baton::tag<std::vector<char>> as_bytes{60};
    const baton::tag<std::vector<std::string>> as_strings{60};
    world.send(me, as_bytes, std::vector<char>{5, 1, 'a'});  // 5 strings claimed, 1 present
    const std::string expected =
        "could not decode std::vector<std::string> from rank " + std::to_string(me) + " tag 60";
    CHECK_THROWS_WITH_AS(world.recv(me, as_strings), doctest::Contains(expected.c_str()), baton::message_error);
}
