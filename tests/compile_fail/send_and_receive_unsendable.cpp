// Must not compile, with one error: a class that is neither trivially copyable nor
// serializable, sent on one comm and received on the other.
#include <string>

#include <baton/baton.hpp>

struct unsendable_widget {
    std::string name;
    double weight = 0;
};

void round_trip(const baton::comm& world, const baton::portable_comm& portable, const unsendable_widget& w) {
    world.send(1, baton::tag<unsendable_widget>{3}, w);
    auto got = world.recv(0, baton::tag<unsendable_widget>{3});
    portable.send(1, baton::tag<unsendable_widget>{4}, got);
    (void)portable.recv(0, baton::tag<unsendable_widget>{4});
}
