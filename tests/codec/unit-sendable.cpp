// Types that baton sends, including the ways Boost.Serialization allows a user type to say how
// it is saved; tests/compile_fail/ holds the types it refuses, with the message they get.
#include <doctest/doctest.h>

#include <array>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include <baton/baton.hpp>

namespace shop {
// serialize() private, reached by Boost through boost::serialization::access
class invoice {
public:
    invoice() = default;
    invoice(std::string customer, double total) : customer_(std::move(customer)), total_(total) {}
    const std::string& customer() const { return customer_; }
    double total() const { return total_; }

private:
    friend class boost::serialization::access;
    template <class Archive>
    void serialize(Archive& ar, unsigned) {
        ar& customer_& total_;
    }
    std::string customer_;
    double total_ = 0;
};

// no member: a non-intrusive overload, declared below after baton's headers
struct address {
    std::string street;
    int number = 0;
};

// final: cannot be inspected for a member, left to Boost
class receipt final {
public:
    std::string note;
    template <class Archive>
    void serialize(Archive& ar, unsigned) {
        ar& note;
    }
};
}  // namespace shop

namespace boost::serialization {
template <class Archive>
void serialize(Archive& ar, shop::address& a, const unsigned int) {
    ar& a.street& a.number;
}
}  // namespace boost::serialization

namespace {
enum class colour { red, green };
struct plain {
    int id;
    double x;
};
}  // namespace

TEST_CASE("what baton can send, decided at compile time") {
    using baton::detail::sendable_v;
    static_assert(sendable_v<int> && sendable_v<plain> && sendable_v<colour> && sendable_v<char[6]>);
    static_assert(sendable_v<std::vector<double>> && sendable_v<std::string> && sendable_v<std::array<int, 3>>);
    static_assert(sendable_v<std::map<std::string, std::vector<int>>> && sendable_v<std::tuple<int, std::string>>);
    static_assert(sendable_v<std::vector<bool>> && sendable_v<baton::ranked<double>>);
    static_assert(sendable_v<shop::invoice> && sendable_v<shop::address> && sendable_v<shop::receipt>);
    static_assert(sendable_v<std::vector<shop::invoice>> && sendable_v<std::map<int, shop::address>>);
    static_assert(!sendable_v<int*> && !sendable_v<std::vector<int*>>);
    struct widget {
        std::string name;
    };
    static_assert(!sendable_v<widget> && !sendable_v<std::vector<widget>>);
    CHECK(true);
}

namespace {
struct with_pointer {
    int id;
    double* data;
};
struct nested_pointer {
    int id;
    struct {
        float x;
        const char* label;
    } inner;
};
struct array_of_pointers {
    int* slots[4];
};
struct std_array_of_pointers {
    std::array<int*, 2> slots;
};
struct no_pointer {
    int a[3];
    double b;
    plain p;
    std::array<float, 2> c;
    unsigned flags : 3;
};
struct base_part {
    int* p;
};
struct derived_part : base_part {};  // has a base: not inspected, sent as today
struct marked_pointer {
    int* only_here;
};
}  // namespace
template <>
struct baton::allow_pointer_members<marked_pointer> : std::true_type {};

TEST_CASE("pointer members of plain structs are found, nested and in arrays; the opt-in lets one through") {
    using baton::detail::sendable_v;
    static_assert(!sendable_v<with_pointer> && !sendable_v<nested_pointer>);
    static_assert(!sendable_v<array_of_pointers> && !sendable_v<std_array_of_pointers>);
    static_assert(!sendable_v<std::vector<with_pointer>> && !sendable_v<std::map<int, with_pointer>>);
    static_assert(sendable_v<no_pointer> && sendable_v<std::vector<no_pointer>>);
    static_assert(sendable_v<derived_part>);
    static_assert(sendable_v<marked_pointer>);
    baton::comm world;
    int here = 7;
    world.send(world.rank(), baton::tag<marked_pointer>{5}, marked_pointer{&here});
    CHECK(world.recv(world.rank(), baton::tag<marked_pointer>{5}).only_here == &here);
}

TEST_CASE("user types saved through Boost: private serialize, non-intrusive overload, final class") {
    baton::comm world;
    const int me = world.rank();
    world.send(me, baton::tag<shop::invoice>{1}, shop::invoice("ann", 12.5));
    const auto i = world.recv(me, baton::tag<shop::invoice>{1});
    CHECK(i.customer() == "ann");
    CHECK(i.total() == 12.5);
    world.send(me, baton::tag<shop::address>{2}, shop::address{"Main St", 7});
    const auto a = world.recv(me, baton::tag<shop::address>{2});
    CHECK(a.street == "Main St");
    CHECK(a.number == 7);
    shop::receipt r;
    r.note = "paid";
    world.send(me, baton::tag<shop::receipt>{3}, r);
    CHECK(world.recv(me, baton::tag<shop::receipt>{3}).note == "paid");
    const auto all = world.all_gather(shop::address{"Side St", me});
    CHECK(all.back().number == world.size() - 1);
}
