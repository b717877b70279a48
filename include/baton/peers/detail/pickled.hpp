#pragma once
// A payload as mpi4py's lowercase calls carry it: the bare pickle, no header, its length an
// int. Every rule here is mpi4py's own (src/mpi4py/MPI/msgpickle.pxi, 3.1 and 4.x): an empty
// message is None, and a length that does not fit an int cannot be sent by mpi4py 3.

#include <mpi.h>

#include <climits>
#include <cstddef>
#include <string>
#include <string_view>

#include <baton/detail/mpi/check.hpp>
#include <baton/error.hpp>
#include <baton/py/pickle.hpp>

namespace baton::detail::peers {

/// What a Python rank reads from a message of no bytes, and so what one decodes as.
inline constexpr std::string_view pickled_none{"\x80\x02N.", 4};

/// A pickle's length as the int mpi4py counts it in; throws usage_error (naming the call) for a
/// pickle of 2 GiB or more, which mpi4py 3's int counts cannot describe.
inline int pickle_length(std::size_t bytes, const std::string& call) {
    if (bytes > static_cast<std::size_t>(INT_MAX)) {
        throw usage_error(call + ": the pickle is " + std::to_string(bytes) +
                          " bytes, more than an mpi4py rank can receive in one message (2 GiB - 1)");
    }
    return static_cast<int>(bytes);
}

/// The length of a probed message in bytes; one of 2 GiB or more (MPI_Get_count says
/// MPI_UNDEFINED) is a message_error, as mpi4py 3's receive would fail on it too.
inline std::size_t received_bytes(const MPI_Status& status) {
    int bytes = 0;
    check_mpi(MPI_Get_count(&status, MPI_BYTE, &bytes), "MPI_Get_count");
    if (bytes < 0) {
        throw message_error("rank " + std::to_string(status.MPI_SOURCE) + " sent a message of 2 GiB or more (tag " +
                            std::to_string(status.MPI_TAG) + "), more than a pickle mpi4py can send");
    }
    return static_cast<std::size_t>(bytes);
}

/// The value a Python rank sent, as T. `context` says who received what from whom, for the
/// error: a refused or corrupt pickle is a message_error, a value that is not a T a
/// type_mismatch, both thrown after the message was taken, so the job can go on.
template <class T>
T from_pickle(std::string_view bytes, const std::string& context) {
    try {
        return py::unpickle<T>(bytes.empty() ? pickled_none : bytes);
    } catch (const type_mismatch& e) {
        throw type_mismatch(context + ": " + e.what(), e.expected_type(), e.actual_type());
    } catch (const error& e) {
        throw message_error(context + ": " + e.what());
    }
}

}  // namespace baton::detail::peers
