#pragma once
// The columns of a loaded dataset: numbers in typed vectors, text in one byte arena per
// column with offsets (no allocation per value).

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "../../dataset/csv_options.hpp"

namespace baton::detail::csv {

struct column_store {
    std::string name;
    column_type type = column_type::integer;
    bool forced = false;  // the type came from csv_options::types
    std::vector<std::int64_t> integers;
    std::vector<double> reals;
    std::string arena;                    // text values back to back
    std::vector<std::uint64_t> offsets{0};  // value i is arena[offsets[i], offsets[i+1])
    std::vector<std::uint8_t> missing;    // text only: 1 where the value was missing (empty if none was)

    std::size_t size() const noexcept {
        switch (type) {
            case column_type::integer: return integers.size();
            case column_type::real: return reals.size();
            default: return offsets.size() - 1;
        }
    }

    std::string_view text(std::size_t i) const noexcept {
        return std::string_view(arena.data() + offsets[i], static_cast<std::size_t>(offsets[i + 1] - offsets[i]));
    }

    void clear() {
        integers.clear();
        reals.clear();
        arena.clear();
        offsets.assign(1, 0);
        missing.clear();
    }

    /// Integer column to real, in place (a missing or fractional value appeared).
    void widen_to_real() {
        reals.resize(integers.size());
        for (std::size_t i = 0; i < integers.size(); ++i) reals[i] = static_cast<double>(integers[i]);
        std::vector<std::int64_t>().swap(integers);
        type = column_type::real;
    }

    void push_missing_text() {
        if (missing.empty()) missing.resize(size(), 0);
        missing.push_back(1);
        offsets.push_back(arena.size());
    }
    void push_text(std::string_view s) {
        arena.append(s.data(), s.size());
        offsets.push_back(arena.size());
        if (!missing.empty()) missing.push_back(0);
    }
};

}  // namespace baton::detail::csv
