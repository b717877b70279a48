// Must not compile: a raw pointer is not a payload.
#include <baton/baton.hpp>

void send_pointer(const baton::comm& world, int* values) {
    world.send(1, 3, values);
}
