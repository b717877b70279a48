#pragma once
/// @file
/// Tags that carry their payload type, and the wildcards.

#include <mpi.h>

namespace baton {

/// @brief A message tag bound to the type of its payload.
///
/// Sending and receiving through a `tag<T>` fixes the type at compile time on both sides:
/// @code
/// constexpr baton::tag<std::vector<double>> params{11};
/// world.send(1, params, values);
/// std::vector<double> got = world.recv(0, params);
/// @endcode
/// The number must lie in [0, MPI_TAG_UB]; the comm checks it when the tag is used.
template <class T>
struct tag {
    using value_type = T;  ///< the payload type
    int number;            ///< the MPI tag
    /// The tag with MPI tag number n.
    constexpr explicit tag(int n) noexcept : number(n) {}
};

/// @brief Receive from whichever rank sends first (MPI_ANY_SOURCE).
inline constexpr int any_source = MPI_ANY_SOURCE;
/// @brief Receive a message with any tag (MPI_ANY_TAG).
inline constexpr int any_tag = MPI_ANY_TAG;
/// @brief The split color of a rank that joins no group (MPI_UNDEFINED): basic_comm::split
/// gives it a null communicator.
inline constexpr int undefined = MPI_UNDEFINED;

}  // namespace baton
