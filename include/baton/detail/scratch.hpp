#pragma once
// A per-thread byte buffer reused across messages, so small sends and receives do not
// allocate. It gives back memory after an unusually large message.

#include <cstddef>

#include <baton/detail/byte_buffer.hpp>

namespace baton::detail {

inline byte_buffer& scratch_buffer() {
    thread_local byte_buffer buffer;
    return buffer;
}

inline void trim_scratch(byte_buffer& buffer) {
    constexpr std::size_t keep = std::size_t{16} << 20;
    if (buffer.capacity() > keep) byte_buffer().swap(buffer);
}

}  // namespace baton::detail
