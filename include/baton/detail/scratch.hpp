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

/// The per-thread buffer, at least `bytes` long, that receive_whole (p2p/matching.hpp) takes whole
/// messages into. It is kept apart from scratch_buffer() so that the sends a rank makes between
/// two receives, which size the scratch buffer to their messages, do not shrink it and make
/// every receive grow it again.
inline char* whole_message_buffer(std::size_t bytes) {
    thread_local byte_buffer buffer;
    if (buffer.size() < bytes) buffer.resize(bytes);
    return buffer.data();
}

inline void trim_scratch(byte_buffer& buffer) {
    constexpr std::size_t keep = std::size_t{16} << 20;
    if (buffer.capacity() > keep) byte_buffer().swap(buffer);
}

}  // namespace baton::detail
