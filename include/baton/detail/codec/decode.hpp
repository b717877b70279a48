#pragma once
// Decoding a serialized payload, and the one error every receive path throws when it cannot:
// "<who> could not decode <type> <from where> (<n> bytes, <encoding>): <reason>".

#include <mpi.h>

#include <cstddef>
#include <exception>
#include <string>

#include <baton/error.hpp>
#include <baton/type_name.hpp>

namespace baton::detail {

/// Decodes `out` from the `bytes` bytes at `data`. On failure throws baton::message_error
/// built from `who` and `where` (called only then): "<who> could not decode <T> <where> ...".
template <class Encoding, class T, class Who, class Where>
void decode_or_throw(MPI_Comm comm, const char* data, std::size_t bytes, T& out, Who who, Where where) {
    try {
        Encoding::load(comm, data, bytes, out);
    } catch (const std::exception& e) {
        throw message_error(who() + " could not decode " + baton::type_name<T>() + " " + where() + " (" +
                            std::to_string(bytes) + " bytes, " + Encoding::name + "): " + e.what());
    }
}

}  // namespace baton::detail
