// No MPI: how close decoding baton's encoding comes to the least a receiver of a standard
// container must do. Decoding (and destroying) the ping-pong's serialized payloads is timed
// beside copying the same container with its copy constructor (which links nodes without
// comparing keys, a cost no decoder can reach through the public API) and beside rebuilding
// it entry by entry with hinted insertion at the end (what any decoder of a std::map must do).
// The strings come in the ping-pong's three kinds: names of 9-13 characters (within
// std::string's in-object buffer), random lengths of 0-40 characters, and all of 16 characters
// (each on the heap). Best of N repetitions, three rounds.
//
//   decode_floor
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <baton/detail/codec/native_codec.hpp>

namespace {

template <class F>
double best_us(int repetitions, F f) {
    double best = 1e300;
    for (int r = 0; r < repetitions; ++r) {
        const auto start = std::chrono::steady_clock::now();
        f();
        best =
            std::min(best, std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
    }
    return best;
}

template <class T>
void keep(const T& value) {
    asm volatile("" : : "r"(&value) : "memory");
}

/// Times encoding, decoding (and destroying) and copying (and destroying) 100,000 strings.
void strings_round(const char* kind, const std::vector<std::string>& strings) {
    using baton::detail::byte_buffer;
    byte_buffer message, out;
    baton::detail::native_encode(message, strings);
    const double encode = best_us(30, [&] {
        out.clear();
        baton::detail::native_encode(out, strings);
        keep(out);
    });
    const double decode = best_us(30, [&] {
        std::vector<std::string> v;
        baton::detail::native_decode(message.data(), message.size(), v);
        keep(v);
    });
    const double copy = best_us(30, [&] {
        std::vector<std::string> v(strings);
        keep(v);
    });
    std::printf("  vector<string> 100k, %s (%zu B): encode %.0f us, decode+destroy %.0f us, copy+destroy %.0f us\n",
                kind, message.size(), encode, decode, copy);
}

}  // namespace

int main() {
    using baton::detail::byte_buffer;
    std::vector<std::string> names, varied, equal;
    std::mt19937 lengths(42);  // the ping-pong's strings
    for (int i = 0; i < 100000; ++i) {
        names.push_back("student-" + std::to_string(i));
        varied.push_back(std::string(lengths() % 41, static_cast<char>('a' + i % 26)));
        equal.push_back(std::string(16, static_cast<char>('a' + i % 26)));
    }
    std::map<std::string, int> counts;
    for (int i = 0; i < 10000; ++i) counts["key-" + std::to_string(i)] = i;
    byte_buffer counts_message;
    baton::detail::native_encode(counts_message, counts);

    for (int round = 1; round <= 3; ++round) {
        byte_buffer out;  // reused, as the comm reuses its scratch buffer
        std::printf("round %d:\n", round);
        strings_round("9-13 chars", names);
        strings_round("0-40 chars", varied);
        strings_round("16 chars", equal);
        const double m_encode = best_us(50, [&] {
            out.clear();
            baton::detail::native_encode(out, counts);
            keep(out);
        });
        const double m_decode = best_us(50, [&] {
            std::map<std::string, int> v;
            baton::detail::native_decode(counts_message.data(), counts_message.size(), v);
            keep(v);
        });
        const double m_copy = best_us(50, [&] {
            std::map<std::string, int> v(counts);
            keep(v);
        });
        const double m_hinted = best_us(50, [&] {
            std::map<std::string, int> v;
            for (const auto& [key, value] : counts) v.emplace_hint(v.end(), key, value);
            keep(v);
        });
        std::printf(
            "  map<string,int> 10k (%zu B): encode %.0f us, decode+destroy %.0f us, copy+destroy %.0f us, "
            "hinted inserts+destroy %.0f us\n",
            counts_message.size(), m_encode, m_decode, m_copy, m_hinted);
    }
    return 0;
}
