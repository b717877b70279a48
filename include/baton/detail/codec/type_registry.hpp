#pragma once
// Names of the payload types this program sends or receives, by the hash the checked wire
// carries. The header holds only the hash, not the name, because message size moves latency
// in steps (docs/performance.md) and a small header keeps small messages on the fast step; a
// receiver that meets a hash it did not expect
// looks the sender's type name up here. Every type used with a checked comm anywhere in the
// program registers at start-up, so in the usual one-program job every rank knows every name.

#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <unordered_map>

namespace baton::detail {

class type_registry {
public:
    static type_registry& instance() {
        static type_registry registry;
        return registry;
    }

    void add(std::uint64_t hash, const std::string& name) {
        std::lock_guard<std::mutex> lock(mutex_);
        names_.emplace(hash, name);
    }

    /// The type's name, or a description of the hash when this program never uses the type.
    std::string name_of(std::uint64_t hash) const {
        std::lock_guard<std::mutex> lock(mutex_);
        if (auto it = names_.find(hash); it != names_.end()) return it->second;
        char text[96];
        std::snprintf(text, sizeof text, "a type this program does not use (type hash %016llx)",
                      static_cast<unsigned long long>(hash));
        return text;
    }

private:
    mutable std::mutex mutex_;
    std::unordered_map<std::uint64_t, std::string> names_;
};

}  // namespace baton::detail
