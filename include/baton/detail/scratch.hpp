#pragma once
// A per-thread byte buffer reused across messages, so small sends and receives do not
// allocate. It gives back memory after an unusually large message.

#include <cstddef>
#include <vector>

namespace baton::detail {

inline std::vector<char>& scratch_buffer() {
    thread_local std::vector<char> buffer;
    return buffer;
}

inline void trim_scratch(std::vector<char>& buffer) {
    constexpr std::size_t keep = std::size_t{16} << 20;
    if (buffer.capacity() > keep) std::vector<char>().swap(buffer);
}

}  // namespace baton::detail
