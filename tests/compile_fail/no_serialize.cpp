// Must not compile: a class that is neither trivially copyable nor serializable.
#include <string>

#include <baton/baton.hpp>

struct unsendable_widget {
    std::string name;
    double weight = 0;
};

void send_widget(const baton::comm& world, const unsendable_widget& w) {
    world.send(1, baton::tag<unsendable_widget>{3}, w);
}
