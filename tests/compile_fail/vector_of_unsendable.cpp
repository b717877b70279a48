// Must not compile: a standard container of a type baton cannot send.
#include <string>
#include <vector>

#include <baton/baton.hpp>

struct unsendable_part {
    std::string label;
};

void send_parts(const baton::comm& world, const std::vector<unsendable_part>& parts) {
    world.send(1, baton::tag<std::vector<unsendable_part>>{3}, parts);
}
