#pragma once
// How the collectives lay pieces out: each rank's place in a buffer of every rank's pieces,
// and, for pieces too long for MPI's int counts, the rounds they go in (each round small enough
// that every count and displacement fits an int), staged through a buffer.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include <baton/detail/byte_buffer.hpp>
#include <baton/detail/collectives/piece_codec.hpp>

namespace baton::detail {

/// Where each piece starts when pieces of the given sizes lie one after another: offsets[r] is
/// the sum of the sizes before r. Returns their total. The one computation of each rank's place
/// in a gathered buffer, for every collective that lays pieces out.
template <class Offset, class Size>
std::size_t one_after_another(const std::vector<Size>& sizes, std::vector<Offset>& offsets) {
    offsets.resize(sizes.size());
    std::size_t total = 0;
    for (std::size_t r = 0; r < sizes.size(); ++r) {
        offsets[r] = static_cast<Offset>(total);
        total += static_cast<std::size_t>(sizes[r]);
    }
    return total;
}

/// Bytes from every rank, one after another: rank r's are at data(r), sizes[r] of them.
struct pieces_from_all {
    byte_buffer bytes;
    std::vector<std::size_t> sizes;
    std::vector<std::size_t> offsets;

    void lay_out(const std::vector<std::uint64_t>& from_each) {
        sizes.assign(from_each.begin(), from_each.end());
        bytes.resize(one_after_another(sizes, offsets));
    }
    const char* data(std::size_t r) const { return bytes.data() + offsets[r]; }
};

/// Byte counts of one round: per rank, and where each rank's part starts.
struct round_layout {
    std::vector<int> counts;
    std::vector<int> displacements;
    std::size_t total = 0;

    /// Round `round` of pieces of the given sizes, at most `limit` bytes of each.
    template <class Size>
    void of(const std::vector<Size>& sizes, std::size_t round, std::size_t limit) {
        counts.resize(sizes.size());
        for (std::size_t r = 0; r < sizes.size(); ++r)
            counts[r] = part(static_cast<std::size_t>(sizes[r]), round, limit);
        total = one_after_another(counts, displacements);
    }

    /// The bytes of a piece of `size` that go in round `round`.
    static int part(std::size_t size, std::size_t round, std::size_t limit) {
        const std::size_t begin = round * limit;
        return begin >= size ? 0 : static_cast<int>(std::min(limit, size - begin));
    }
};

/// How many rounds a piece of `largest` bytes takes at `limit` bytes a round (one, if empty).
inline std::size_t rounds_for(std::size_t largest, std::size_t limit) {
    return largest == 0 ? 1 : (largest + limit - 1) / limit;
}

/// Copies round k's part of each piece into `staging`, one after another.
inline void stage(const round_layout& round, const std::vector<piece>& parts, byte_buffer& staging, std::size_t k,
                  std::size_t limit) {
    staging.resize(round.total);
    for (std::size_t r = 0; r < parts.size(); ++r) {
        if (round.counts[r] != 0) {
            std::memcpy(staging.data() + round.displacements[r], parts[r].data + k * limit,
                        static_cast<std::size_t>(round.counts[r]));
        }
    }
}

/// Moves round k's parts from `staging` to their places in `got`.
inline void unstage(const round_layout& round, const byte_buffer& staging, pieces_from_all& got, std::size_t k,
                    std::size_t limit) {
    for (std::size_t r = 0; r < got.sizes.size(); ++r) {
        if (round.counts[r] != 0) {
            std::memcpy(got.bytes.data() + got.offsets[r] + k * limit, staging.data() + round.displacements[r],
                        static_cast<std::size_t>(round.counts[r]));
        }
    }
}

}  // namespace baton::detail
