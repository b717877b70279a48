// Must not compile: plain fields, but a user-written destructor makes it not trivially copyable.
#include <vector>

#include <baton/baton.hpp>

struct counted_sample {
    int id = 0;
    double value = 0;
    ~counted_sample() { ++destroyed; }
    static inline int destroyed = 0;
};

std::vector<counted_sample> gather_samples(const baton::comm& world, const counted_sample& s) {
    return world.all_gather(s);
}
