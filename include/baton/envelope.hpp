#pragma once
/// @file
/// What a received or probed message says about itself.

#include <cstddef>

namespace baton {

/// @brief The envelope of a message: who sent it, with which tag, and how much.
struct envelope {
    int source = -1;  ///< the sender's rank
    int tag = -1;     ///< the message's tag
    /// Elements of the payload for contiguous payloads (1 for a scalar or struct,
    /// the length for a vector or string); bytes of the encoding for serialized payloads
    /// and for probes that do not name a type.
    std::size_t count = 0;
};

/// @brief A received value together with its envelope (see basic_comm::recv_message).
template <class T>
struct message {
    T value;                   ///< what was received
    baton::envelope envelope;  ///< who sent it, with which tag, how much
};

}  // namespace baton
