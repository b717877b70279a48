#pragma once
// The data generators' random numbers: splitmix64, small, fast, and the same on every
// platform (the standard library's distributions are not), so a seed gives the same file
// everywhere.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace example {

class generator {
public:
    explicit generator(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    int between(int lo, int hi) {  // inclusive
        return lo + static_cast<int>(next() % static_cast<std::uint64_t>(hi - lo + 1));
    }
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    double normal() {  // Box-Muller
        const double u = std::max(uniform(), 1e-300), v = uniform();
        return std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * v);
    }
    template <std::size_t N>
    const char* pick(const char* const (&options)[N]) {
        return options[next() % N];
    }

private:
    std::uint64_t state_;
};

}  // namespace example
