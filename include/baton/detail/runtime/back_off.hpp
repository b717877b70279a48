#pragma once
// How baton waits for MPI without a blocking call (a receive with a deadline, a request's
// wait, the task farm's root): poll at once at first, since a reply usually comes within
// microseconds, then sleep between polls, doubling from 10 us to 1 ms, so a long wait does not
// hold a core at 100%. The one policy for every such wait.

#include <algorithm>
#include <chrono>
#include <thread>

namespace baton::detail {

class back_off {
public:
    using clock = std::chrono::steady_clock;

    /// Waits before the next poll: not at all for the first polls, then a sleep that never
    /// passes `deadline`.
    void pause(clock::time_point deadline = clock::time_point::max()) {
        if (++polls_ <= spins) return;
        const auto now = clock::now();
        if (now >= deadline) return;
        std::this_thread::sleep_for(std::min<clock::duration>(sleep_, deadline - now));
        sleep_ = std::min<std::chrono::microseconds>(sleep_ * 2, std::chrono::milliseconds(1));
    }

private:
    static constexpr int spins = 1000;
    int polls_ = 0;
    std::chrono::microseconds sleep_{10};
};

/// Calls `done` until it returns true, backing off between calls.
template <class Done>
void poll_until(Done done) {
    back_off wait;
    while (!done()) wait.pause();
}

}  // namespace baton::detail
