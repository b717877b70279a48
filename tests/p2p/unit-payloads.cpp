// Every payload kind round-trips through the default (checked) comm: ring exchange, so the
// same code runs at any rank count (at one rank a rank sends to itself).
#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include <baton/baton.hpp>

namespace {

struct particle {
    double x, y, z;
    std::int32_t id;
    bool operator==(const particle& o) const { return x == o.x && y == o.y && z == o.z && id == o.id; }
};

// Aligned more strictly than the 16 bytes a received message's elements are known to have.
struct alignas(32) wide {
    double value;
    bool operator==(const wide& o) const { return value == o.value; }
};

enum class colour : std::uint8_t { red = 1, green = 2 };

struct record {  // a user type with serialize()
    std::string name;
    std::vector<int> values;
    template <class Archive>
    void serialize(Archive& ar, unsigned) {
        ar& name& values;
    }
    bool operator==(const record& o) const { return name == o.name && values == o.values; }
};

baton::comm world() {
    return baton::comm{};
}

template <class Comm>
int next(const Comm& c) {
    return (c.rank() + 1) % c.size();
}
template <class Comm>
int prev(const Comm& c) {
    return (c.rank() + c.size() - 1) % c.size();
}

// Sends `make(rank)` to the next rank and checks that what arrives from the previous one is
// `make(prev)`. Odd ranks receive first, so blocking sends of large messages cannot deadlock.
template <class T, class Make>
void ring(int tag_number, Make make) {
    auto c = world();
    const baton::tag<T> t{tag_number};
    T got{};
    if (c.rank() % 2 == 1) got = c.recv(prev(c), t);
    c.send(next(c), t, make(c.rank()));
    if (c.rank() % 2 == 0) got = c.recv(prev(c), t);
    CHECK(got == make(prev(c)));
}

}  // namespace

TEST_CASE("arithmetic values and enums") {
    ring<int>(1, [](int r) { return 42 + r; });
    ring<double>(2, [](int r) { return 0.5 * r - 3.25; });
    ring<std::int64_t>(3, [](int r) { return std::int64_t{1} << (40 + r); });
    ring<bool>(4, [](int r) { return r % 2 == 0; });
    ring<char>(5, [](int r) { return static_cast<char>('a' + r); });
    ring<colour>(6, [](int r) { return r % 2 ? colour::red : colour::green; });
}

TEST_CASE("trivially copyable structs and std::array") {
    ring<particle>(10, [](int r) { return particle{1.0 * r, 2.0, 3.0, r}; });
    auto c = world();
    const baton::tag<particle> t{11};
    c.send(next(c), t, particle{1.5, -2.5, 3.5, 7});  // small: MPI sends it eagerly
    auto p = c.recv(prev(c), t);
    CHECK(p.x == 1.5);
    CHECK(p.y == -2.5);
    CHECK(p.z == 3.5);
    CHECK(p.id == 7);
    ring<std::array<double, 3>>(12, [](int r) { return std::array<double, 3>{1.0 * r, 2.0, 3.0}; });
}

TEST_CASE("vectors and strings, small, empty and large") {
    for (std::size_t n :
         {std::size_t{0}, std::size_t{1}, std::size_t{100}, std::size_t{511}, std::size_t{512}, std::size_t{100000}}) {
        CAPTURE(n);
        ring<std::vector<double>>(20, [n](int r) {
            std::vector<double> v(n);
            for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<double>(i) * 0.5 + r;
            return v;
        });
        ring<std::string>(21, [n](int r) { return std::string(n, static_cast<char>('a' + r)); });
        ring<std::vector<particle>>(22, [n](int r) {
            std::vector<particle> v(n / 10 + 1, particle{1.0, 2.0, 3.0, r});
            return v;
        });
        ring<std::vector<wide>>(23, [n](int r) {
            std::vector<wide> v(n / 10 + 1);
            for (std::size_t i = 0; i < v.size(); ++i) v[i].value = static_cast<double>(i) + r;
            return v;
        });
    }
}

TEST_CASE("a contiguous range of the tag's elements, as Python's values[0:100]") {
    auto c = world();
    std::vector<double> values(1000);
    for (std::size_t i = 0; i < values.size(); ++i) values[i] = static_cast<double>(i);
    const baton::tag<std::vector<double>> params{30};
    c.send(next(c), params, baton::view<double>(values.data(), 100));
    auto got = c.recv(prev(c), params);
    REQUIRE(got.size() == 100);
    CHECK(got.front() == 0.0);
    CHECK(got.back() == 99.0);
    std::array<double, 4> four{1, 2, 3, 4};
    c.send(next(c), params, four);
    CHECK(c.recv(prev(c), params) == std::vector<double>{1, 2, 3, 4});
}

TEST_CASE("serialized payloads: maps, nested containers, user types") {
    ring<std::map<std::string, int>>(40, [](int r) {
        return std::map<std::string, int>{{"rank", r}, {"answer", 42}, {"", -1}};
    });
    ring<std::vector<std::vector<double>>>(41, [](int r) {
        return std::vector<std::vector<double>>{{}, {1.0 * r}, {1, 2, 3}};
    });
    ring<std::vector<std::string>>(42, [](int r) {
        std::vector<std::string> v;
        for (int i = 0; i < 1000; ++i) v.push_back(std::to_string(i * r));
        return v;
    });
    ring<record>(43, [](int r) { return record{"rank " + std::to_string(r), {r, r + 1, r + 2}}; });
    ring<std::vector<bool>>(44, [](int r) { return std::vector<bool>{true, r % 2 == 0, false}; });
    ring<std::tuple<int, std::string, std::vector<double>>>(45, [](int r) {
        return std::tuple<int, std::string, std::vector<double>>{
            r, std::string(static_cast<std::size_t>(r) * 7, 'x'), {0.5}};
    });
    ring<std::set<std::string>>(46, [](int r) { return std::set<std::string>{"a", std::to_string(r)}; });
    ring<std::optional<std::string>>(
        47, [](int r) { return r % 2 == 0 ? std::optional<std::string>{} : std::optional<std::string>{"odd"}; });
    ring<std::vector<record>>(48, [](int r) { return std::vector<record>{{"a", {r}}, {"b", {}}}; });
    using choice = std::variant<std::monostate, int, std::string, std::vector<double>>;
    ring<std::vector<choice>>(49, [](int r) {
        return std::vector<choice>{choice{}, choice{r}, choice{std::string(static_cast<std::size_t>(r) + 1, 'v')},
                                   choice{std::vector<double>{0.5 * r}}};
    });
}

TEST_CASE("plain int tags and recv<T>") {
    auto c = world();
    std::vector<double> values{1.5, 2.5};
    c.send(next(c), 50, values);
    auto x = c.recv<std::vector<double>>(prev(c), 50);
    CHECK(x == values);
}

TEST_CASE("recv_into reuses the buffer's capacity") {
    auto c = world();
    const baton::tag<std::vector<double>> t{60};
    std::vector<double> buffer;
    buffer.reserve(200000);
    const double* before = buffer.data();
    for (std::size_t n : {std::size_t{10}, std::size_t{150000}, std::size_t{3}}) {
        if (c.rank() % 2 == 0) c.send(next(c), t, std::vector<double>(n, 2.0));
        auto e = c.recv_into(prev(c), t, buffer);
        if (c.rank() % 2 == 1) c.send(next(c), t, std::vector<double>(n, 2.0));
        CHECK(e.count == n);
        CHECK(e.source == prev(c));
        CHECK(e.tag == 60);
        CHECK(buffer.size() == n);
        CHECK(buffer.data() == before);
    }
}

TEST_CASE("portable_comm round-trips serialized payloads through the packed archive") {
    baton::portable_comm c;
    const baton::tag<std::map<int, std::string>> t{70};
    c.send(next(c), t, std::map<int, std::string>{{c.rank(), std::string("x")}});
    auto got = c.recv(prev(c), t);
    CHECK(got == std::map<int, std::string>{{prev(c), std::string("x")}});
    const baton::tag<std::vector<double>> v{71};
    c.send(next(c), v, std::vector<double>{1, 2});
    CHECK(c.recv(prev(c), v) == std::vector<double>{1, 2});
}

TEST_CASE("sendrecv exchanges around a ring without deadlock, for large and serialized payloads") {
    auto c = world();
    const baton::tag<std::vector<double>> big{80};
    auto got = c.sendrecv(next(c), big, std::vector<double>(200000, c.rank()), prev(c), big);
    CHECK(got == std::vector<double>(200000, prev(c)));
    const baton::tag<std::map<std::string, int>> names{81};
    auto m = c.sendrecv(next(c), names, std::map<std::string, int>{{"from", c.rank()}}, prev(c), names);
    CHECK(m.at("from") == prev(c));
}
