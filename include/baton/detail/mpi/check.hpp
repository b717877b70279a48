#pragma once
// Turns MPI return codes into baton::mpi_error. Communicators that baton wraps have
// MPI_ERRORS_RETURN set, so failures come back here instead of aborting without context.

#include <mpi.h>

#include <string>

#include <baton/error.hpp>

namespace baton::detail {

inline std::string mpi_error_text(int code) {
    char text[MPI_MAX_ERROR_STRING];
    int length = 0;
    if (MPI_Error_string(code, text, &length) != MPI_SUCCESS) return "unknown MPI error " + std::to_string(code);
    return std::string(text, static_cast<std::size_t>(length));
}

[[noreturn]] inline void throw_mpi_error(int code, const char* call) {
    int error_class = code;
    MPI_Error_class(code, &error_class);
    throw mpi_error(
        std::string(call) + " failed (MPI error class " + std::to_string(error_class) + "): " + mpi_error_text(code),
        code, error_class);
}

inline void check_mpi(int code, const char* call) {
    if (code != MPI_SUCCESS) throw_mpi_error(code, call);
}

}  // namespace baton::detail
