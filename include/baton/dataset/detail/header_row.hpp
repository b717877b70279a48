#pragma once
// A CSV file's header row: the delimiter guessed from it, and the columns' names as pandas
// gives them.

#include <cstddef>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace baton::detail::csv {

/// The most frequent of , ; tab | outside quotes in the first line; ',' if none occurs.
inline char sniff_delimiter(const char* p, const char* end) {
    const char candidates[] = {',', ';', '\t', '|'};
    std::size_t counts[4] = {0, 0, 0, 0};
    bool quoted = false;
    for (; p < end; ++p) {
        if (*p == '"') quoted = !quoted;
        if (quoted) continue;
        if (*p == '\n' || *p == '\r') break;
        for (int i = 0; i < 4; ++i) counts[i] += *p == candidates[i];
    }
    int best = 0;
    for (int i = 1; i < 4; ++i) {
        if (counts[i] > counts[best]) best = i;
    }
    return candidates[best];
}

/// The header's names as pandas gives them: an empty name is "Unnamed: i" (i its column), a
/// repeated one gets the first free suffix ("a", "a.1", "a.2"). Sets, not scans of the names so
/// far: a header of many thousand columns (or of one name repeated) must not take time quadratic
/// in its length.
inline std::vector<std::string> pandas_column_names(std::vector<std::string> names) {
    std::unordered_set<std::string> taken;
    std::unordered_map<std::string, std::size_t> next_suffix;  // per name: the suffixes below are taken
    for (std::size_t i = 0; i < names.size(); ++i) {
        const std::string base = names[i].empty() ? "Unnamed: " + std::to_string(i) : names[i];
        std::string name = base;
        if (taken.count(name) != 0) {
            std::size_t& k = next_suffix[base];
            do {
                name = base + "." + std::to_string(++k);
            } while (taken.count(name) != 0);
        }
        taken.insert(name);
        names[i] = std::move(name);
    }
    return names;
}

}  // namespace baton::detail::csv
