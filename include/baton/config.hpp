#pragma once
/// @file
/// baton's tuning knobs, each with what it changes and the test that covers it. Define a macro
/// before including any baton header to change its default.
///
/// (Only the pickle codec's knobs live here so far; the messaging's and the CSV reader's move
/// here with the restructuring of issue 28.)

#include <cstddef>

/// The deepest nesting of containers a pickle may hold (a list in a list is two). Python's own
/// pickler stops at its recursion limit, 1000 by default, so no pickle Python writes is deeper;
/// the limit keeps a hostile pickle from exhausting the stack of the code that walks or frees the
/// value. Covered by tests/py/unit-pickle_hostile.cpp.
#ifndef BATON_PICKLE_MAX_DEPTH
#define BATON_PICKLE_MAX_DEPTH 1000
#endif

namespace baton::config {

/// See BATON_PICKLE_MAX_DEPTH.
inline constexpr std::size_t pickle_max_depth = BATON_PICKLE_MAX_DEPTH;

}  // namespace baton::config
