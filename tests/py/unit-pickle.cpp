// The pickle codec on its own (no MPI): typed conversions and their refusals, values built in
// C++, and hostile pickles. The corpus CPython and NumPy write is checked by corpus.py.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include <baton/py/pickle.hpp>

using baton::py::object;
using baton::py::pickle;
using baton::py::unpickle;
using namespace std::string_literals;

namespace {

template <class T>
std::string mismatch_text(const std::string& bytes) {
    try {
        (void)unpickle<T>(bytes);
    } catch (const baton::type_mismatch& e) {
        return e.what();
    }
    return "no error";
}

std::string refusal(const std::string& bytes) {
    try {
        (void)unpickle<object>(bytes);
    } catch (const baton::type_mismatch& e) {
        return "type_mismatch: "s + e.what();
    } catch (const baton::error& e) {
        return e.what();
    }
    return "no error";
}

// A pickle of n nested lists, written opcode by opcode: [[[...]]].
std::string nested_lists(std::size_t n) {
    std::string p = "\x80\x04"s;
    for (std::size_t i = 0; i < n; ++i) p += ']';
    for (std::size_t i = 1; i < n; ++i) p += 'a';
    return p + '.';
}

}  // namespace

TEST_CASE("C++ values keep their Python types through a pickle") {
    CHECK(unpickle<std::vector<double>>(pickle(std::vector<double>{0.5, -0.0, 1e300})) ==
          std::vector<double>{0.5, -0.0, 1e300});
    CHECK(unpickle<object>(pickle(std::vector<int>{1, 2})).python_type() == "list");
    CHECK(unpickle<object>(pickle(std::make_tuple(1, "a"s, 2.5))).python_type() == "tuple");
    CHECK(unpickle<object>(pickle(std::pair<int, int>{1, 2})).repr() == "(1, 2)");
    CHECK(unpickle<object>(pickle(std::array<int, 1>{7})).repr() == "(7,)");
    CHECK(unpickle<object>(pickle(std::set<int>{3, 1})).python_type() == "set");
    CHECK(unpickle<object>(pickle(std::optional<int>{})).is_none());
    CHECK(unpickle<object>(pickle(std::vector<std::byte>{std::byte{0}, std::byte{255}})).repr() == "b'\\x00\\xff'");
    std::map<std::string, std::vector<std::int64_t>> m{{"a", {1, -2}}, {"b", {}}};
    CHECK(unpickle<decltype(m)>(pickle(m)) == m);
    CHECK(unpickle<object>(pickle(m)).repr() == "{'a': [1, -2], 'b': []}");
    CHECK(unpickle<std::uint64_t>(pickle(std::numeric_limits<std::uint64_t>::max())) ==
          std::numeric_limits<std::uint64_t>::max());
    CHECK(unpickle<std::int64_t>(pickle(std::numeric_limits<std::int64_t>::min())) ==
          std::numeric_limits<std::int64_t>::min());
    std::vector<std::string> many(2500, "text");
    CHECK(unpickle<std::vector<std::string>>(pickle(many)) == many);  // more than one batch of 1000
}

TEST_CASE("typed reads convert only what loses nothing") {
    CHECK_FALSE(unpickle<std::optional<int>>(pickle(object())).has_value());
    CHECK(unpickle<std::optional<int>>(pickle(5)) == 5);
    CHECK(unpickle<std::int8_t>(pickle(-128)) == -128);
    const std::string int8 = baton::type_name<std::int8_t>(), uint32 = baton::type_name<std::uint32_t>();
    CHECK(mismatch_text<std::int8_t>(pickle(128)) == "expected " + int8 + " (int), got int 128, outside " + int8);
    CHECK(mismatch_text<std::uint32_t>(pickle(-1)) == "expected " + uint32 + " (int), got int -1, outside " + uint32);
    CHECK(unpickle<double>(pickle(1)) == 1.0);  // an int into a double when exact
    CHECK(unpickle<std::vector<double>>(pickle(std::make_tuple(1, 2.5))) == std::vector<double>{1.0, 2.5});
    CHECK(mismatch_text<double>(pickle((std::int64_t{1} << 53) + 1)) ==
          "expected double (float), got int 9007199254740993, not exact as double");
    CHECK(mismatch_text<int>(pickle(1.0)) == "expected int, got float");  // never a float into an integer
    CHECK(mismatch_text<std::vector<double>>(pickle(std::map<int, int>{{1, 2}})) ==
          "expected std::vector<double> (a list of float), got dict");
    CHECK(mismatch_text<std::vector<double>>(pickle(std::vector<object>{1.5, "x"})) ==
          "expected std::vector<double> (a list of float), got list whose item [1] is str where float was expected");
    CHECK(mismatch_text<std::tuple<int, int>>(pickle(std::make_tuple(1, 2, 3))) ==
          "expected std::tuple<int, int> (a tuple (int, int)), got tuple of 3");
    CHECK(mismatch_text<std::string>(pickle(object::bytes("x"))) == "expected std::string (str), got bytes");
    CHECK(unpickle<float>(pickle(0.5)) == 0.5f);
    CHECK(mismatch_text<float>(pickle(0.1)).find("not exact as float") != std::string::npos);
}

TEST_CASE("a variant reads the alternative the value fits, an exact type first") {
    using v = std::variant<double, long, std::string, std::vector<int>>;
    CHECK(std::get<long>(unpickle<v>(pickle(3))) == 3);  // an int, though a double would take it too
    CHECK(std::get<double>(unpickle<v>(pickle(3.5))) == 3.5);
    CHECK(std::get<std::vector<int>>(unpickle<v>(pickle(std::vector<int>{1}))) == std::vector<int>{1});
    CHECK(unpickle<object>(pickle(v{"x"s})).repr() == "'x'");
    CHECK(mismatch_text<v>(pickle(object())) ==
          "expected std::variant<double, long, std::string, std::vector<int>> (float or int or str or a list of "
          "int), got NoneType");
    CHECK(std::holds_alternative<std::monostate>(unpickle<std::variant<std::monostate, int>>(pickle(object()))));
}

TEST_CASE("arrays: dtype, shape and order kept; Fortran order converts to C order") {
    baton::py::ndarray<double> a({2, 3}, {1, 2, 3, 4, 5, 6});
    object o = unpickle<object>(pickle(a));
    CHECK(o.python_type() == "numpy.ndarray");
    CHECK(o.array().dtype.name() == "float64");
    CHECK(o.array().shape == std::vector<std::size_t>{2, 3});
    CHECK(unpickle<baton::py::ndarray<double>>(pickle(a)) == a);
    // The same values laid out in Fortran order: column by column.
    baton::py::array_data f{baton::py::dtype::of<std::int32_t>(), {2, 3}, true, {}};
    for (std::int32_t v : {1, 4, 2, 5, 3, 6}) f.data.append(reinterpret_cast<const char*>(&v), 4);
    auto c = object::array(f).as<baton::py::ndarray<std::int32_t>>();
    CHECK(c.values() == std::vector<std::int32_t>{1, 2, 3, 4, 5, 6});
    CHECK(unpickle<std::vector<double>>(pickle(baton::py::ndarray<double>({3}, {1, 2, 3}))) ==
          std::vector<double>{1, 2, 3});
    CHECK(mismatch_text<baton::py::ndarray<float>>(pickle(a)) ==
          "expected baton::py::ndarray<float> (a numpy.ndarray of float32), got numpy.ndarray of float64");
    CHECK(mismatch_text<std::vector<double>>(pickle(a)).find("numpy.ndarray of 2 dimensions") != std::string::npos);
}

TEST_CASE("objects are built, walked and changed like Python values, copies apart") {
    object d = object::dict();
    d.set_item("b", 1);
    d.set_item("a", object::list({1.5, object::tuple({})}));
    d.set_item("b", 2);  // replaced in place: insertion order kept
    CHECK(d.repr() == "{'b': 2, 'a': [1.5, ()]}");
    object copy = d;
    copy.set_item("c", object::frozenset({1}));
    CHECK(d.size() == 2);
    CHECK(copy.size() == 3);
    CHECK(copy.at("c").repr() == "frozenset({1})");
    CHECK(d.find("zzz") == nullptr);
    CHECK_THROWS_AS(d.at("zzz"), baton::error);
    CHECK(object::from(std::vector<int>{1, 2}) == object::list({1, 2}));
    CHECK(object::list({1}) != object::tuple({1}));
    CHECK(object(1) != object(1.0));
    CHECK(object::set({1, 2}) == object::set({2, 1}));
    CHECK_THROWS_AS(object::set({1, 1}), baton::error);
    CHECK_THROWS_AS(object::dict({{object::list(), 1}}), baton::error);  // a list is not a key
    CHECK(object("a\u00e9").size() == 2);
    CHECK(object::integer_from_bytes("\x00\x00\x00\x00\x00\x00\x00\x00\x01"s).repr() == "18446744073709551616");
    CHECK(object::integer_from_bytes("\xff\xff"s).repr() == "-1");
    CHECK(object(0.0001).repr() == "0.0001");
    CHECK(object(1e16).repr() == "1e+16");
    CHECK(object(100.0).repr() == "100.0");
}

TEST_CASE("a shared list is read once and written back shared") {
    // [x, x] with x = [1]: EMPTY_LIST MEMOIZE MARK EMPTY_LIST MEMOIZE K1 APPEND GET1 APPENDS STOP
    std::string p =
        "\x80\x04]\x94(]\x94K\x01"
        "ah\x01"
        "e."s;
    object o = unpickle<object>(p);
    CHECK(o.repr() == "[[1], [1]]");
    std::string again = pickle(o);
    CHECK(again.find("\x94"s) != std::string::npos);   // memoized once...
    CHECK(again.find("h\x00"s) != std::string::npos);  // ...and referenced
}

TEST_CASE("hostile pickles are refused, having run nothing") {
    CHECK(refusal("\x80\x02\x63os\nsystem\nq\x00X\x02\x00\x00\x00lsq\x01\x85q\x02Rq\x03."s)
              .find("refused the global os.system") != std::string::npos);
    CHECK(refusal("\x80\x04\x8c\x08"
                  "builtins\x8c\x04"
                  "eval\x93\x8c\x03"
                  "1+1\x85R."s)
              .find("refused the global builtins.eval") != std::string::npos);
    CHECK(refusal("\x80\x02\x63__builtin__\neval\n."s).find("builtins.eval") != std::string::npos);
    // A BINUNICODE8 claiming 2^60 bytes: an error, not an allocation.
    CHECK(refusal("\x80\x04\x8d\x00\x00\x00\x00\x00\x00\x00\x10."s).find("claims 1152921504606846976 bytes") !=
          std::string::npos);
    CHECK(refusal("\x80\x04"s).find("ends before its STOP") != std::string::npos);
    CHECK(refusal("\x80\x04]\x94h\x00"
                  "a."s)
              .find("contains itself") != std::string::npos);
    // A list that holds itself, left in the memo while the value is something else: read, and
    // freed (LeakSanitizer checks this under the sanitize preset).
    CHECK(unpickle<object>("\x80\x04]\x94h\x00"
                           "a0K\x05."s)
              .repr() == "5");
    CHECK(refusal("\x80\x04h\x07."s).find("memo entry 7 was never stored") != std::string::npos);
    CHECK(refusal("\x80\x04\x81."s).find("NEWOBJ") != std::string::npos);
    CHECK(refusal("\x80\x04\x8c\x02\xff\xfe."s).find("not UTF-8") != std::string::npos);
    CHECK(refusal("\x80\x04}(]K\x01u."s).find("unhashable list") != std::string::npos);
    CHECK(refusal("\x80\x04}(K\x01K\x02K\x01K\x03u."s).find("holds 1 twice") != std::string::npos);
    CHECK(unpickle<object>(nested_lists(BATON_PICKLE_MAX_DEPTH)).size() == 1);
    CHECK(refusal(nested_lists(BATON_PICKLE_MAX_DEPTH + 1)).find("nested deeper than") != std::string::npos);
    // Deep nesting through the memo, where heights counted while reading go stale:
    // l0; each next list appended to the one before, fetched back from the memo.
    std::string deep =
        "\x80\x04]\x94"
        "0"s;  // l0, memoized, popped
    for (std::uint32_t i = 0; i < 3000; ++i) {
        deep += 'j';  // LONG_BINGET i: the list before
        for (int k = 0; k < 4; ++k) deep += static_cast<char>((i >> (8 * k)) & 0xff);
        deep +=
            "]\x94"
            "a0";  // a new list, memoized as i + 1, appended to it; pop
    }
    deep += "j\x00\x00\x00\x00."s;
    CHECK_MESSAGE(refusal(deep).find("nested deeper than") != std::string::npos, refusal(deep));
}

TEST_CASE("a pickle cut at any byte is an error that says where, never a crash") {
    std::map<std::string, object> value{{"a", object::list({1, 2.5, "x", object::bytes("yz")})},
                                        {"n", object::from(baton::py::ndarray<std::int16_t>({2}, {1, 2}))}};
    std::string whole = pickle(value);
    for (std::size_t cut = 0; cut < whole.size(); ++cut) {
        std::string error = refusal(whole.substr(0, cut));
        CHECK_MESSAGE(error.find("at byte") != std::string::npos, "cut at ", cut, ": ", error);
    }
}

TEST_CASE("a typed read refuses shared references that expand a small pickle into a huge value") {
    // l0 = [1]; each next list holds the one before twice: 2^40 items once copied.
    std::string p =
        "\x80\x04]\x94K\x01"
        "a0"s;
    for (std::uint32_t i = 0; i < 40; ++i) {
        p += "]\x94";  // memoized as i + 1
        for (int twice = 0; twice < 2; ++twice) {
            p += 'j';
            for (int k = 0; k < 4; ++k) p += static_cast<char>((i >> (8 * k)) & 0xff);
            p += 'a';
        }
        p += '0';
    }
    p += "j\x28\x00\x00\x00."s;
    CHECK(unpickle<object>(p).size() == 2);  // shared, it is small
    CHECK_THROWS_WITH_AS(unpickle<std::vector<object>>(p), doctest::Contains("expand to more than"), baton::error);
}

TEST_CASE("what Python writes for a flat list reads straight into a vector, with the same rules") {
    // pickle.dumps([0.5, 1], protocol=5) and pickle.dumps(['ab', 'c'], protocol=5)
    const std::string floats =
        "\x80\x05\x95\x10\x00\x00\x00\x00\x00\x00\x00\x5d\x94\x28\x47\x3f\xe0\x00\x00\x00\x00\x00\x00\x4b\x01\x65\x2e"s;
    const std::string strings =
        "\x80\x05\x95\x0e\x00\x00\x00\x00\x00\x00\x00\x5d\x94\x28\x8c\x02\x61\x62\x94\x8c\x01\x63\x94\x65\x2e"s;
    CHECK(unpickle<std::vector<double>>(floats) == std::vector<double>{0.5, 1.0});
    CHECK(unpickle<std::vector<std::string>>(strings) == std::vector<std::string>{"ab", "c"});
    CHECK(mismatch_text<std::vector<int>>(floats) ==
          "expected std::vector<int> (a list of int), got list whose item [0] is float where int was expected");
    CHECK(mismatch_text<std::vector<std::uint8_t>>(pickle(std::vector<int>{1, 300})).find("int 300, outside") !=
          std::string::npos);
    CHECK(unpickle<std::vector<float>>(pickle(std::vector<double>{0.5, 2})) == std::vector<float>{0.5f, 2.0f});
    CHECK(mismatch_text<std::vector<float>>(pickle(std::vector<double>{0.1})).find("not exact as float") !=
          std::string::npos);
    CHECK(unpickle<std::vector<bool>>(pickle(std::vector<bool>{true, false})) == std::vector<bool>{true, false});
}
