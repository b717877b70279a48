#pragma once
// The median of a benchmark's samples (the upper one of an even count).
#include <algorithm>
#include <vector>

namespace bench {

inline double median(std::vector<double> samples) {
    std::sort(samples.begin(), samples.end());
    return samples[samples.size() / 2];
}

}  // namespace bench
