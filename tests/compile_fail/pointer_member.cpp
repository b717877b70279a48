// Must not compile: a plain struct with a pointer member, sent as its bytes.
#include <baton/baton.hpp>

struct linked_sample {
    int id;
    double value;
    const linked_sample* next;
};

void send_sample(const baton::comm& world, const linked_sample& s) {
    world.send(1, baton::tag<linked_sample>{4}, s);
}
