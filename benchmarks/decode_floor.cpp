// No MPI: how close decoding baton's encoding comes to the least a receiver of a standard
// container must do. Decoding (and destroying) the ping-pong's serialized payloads is timed
// beside copying the same container with its copy constructor (which links nodes without
// comparing keys, a cost no decoder can reach through the public API) and beside rebuilding
// it entry by entry with hinted insertion at the end (what any decoder of a std::map must do).
// Best of N repetitions, three rounds.
//
//   decode_floor
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include <baton/detail/native_codec.hpp>

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

}  // namespace

int main() {
    using baton::detail::byte_buffer;
    std::vector<std::string> strings;
    for (int i = 0; i < 100000; ++i) strings.push_back("student-" + std::to_string(i));
    std::map<std::string, int> counts;
    for (int i = 0; i < 10000; ++i) counts["key-" + std::to_string(i)] = i;
    byte_buffer strings_message, counts_message;
    baton::detail::native_encode(strings_message, strings);
    baton::detail::native_encode(counts_message, counts);

    for (int round = 1; round <= 3; ++round) {
        byte_buffer out;  // reused, as the comm reuses its scratch buffer
        const double s_encode = best_us(30, [&] {
            out.clear();
            baton::detail::native_encode(out, strings);
            keep(out);
        });
        const double s_decode = best_us(30, [&] {
            std::vector<std::string> v;
            baton::detail::native_decode(strings_message.data(), strings_message.size(), v);
            keep(v);
        });
        const double s_copy = best_us(30, [&] {
            std::vector<std::string> v(strings);
            keep(v);
        });
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
            "round %d: vector<string> 100k (%zu B): encode %.0f us, decode+destroy %.0f us, copy+destroy %.0f us | "
            "map<string,int> 10k (%zu B): encode %.0f us, decode+destroy %.0f us, copy+destroy %.0f us, "
            "hinted inserts+destroy %.0f us\n",
            round, strings_message.size(), s_encode, s_decode, s_copy, counts_message.size(), m_encode, m_decode,
            m_copy, m_hinted);
    }
    return 0;
}
