#pragma once
/// @file
/// baton::allow_pointer_members: the opt-in for a struct that means to send a pointer.

#include <type_traits>

namespace baton {

/// @brief Specialize as std::true_type for a plain struct whose pointer members baton should
/// send as their bytes anyway (a rank sending to itself, say, or an address that is only
/// compared, never followed). Without it, sending a struct with a pointer member stops the
/// compilation: on another rank the address means nothing.
/// @code
/// template <> struct baton::allow_pointer_members<my_node> : std::true_type {};
/// @endcode
template <class T>
struct allow_pointer_members : std::false_type {};

}  // namespace baton
