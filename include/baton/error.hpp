#pragma once
/// @file
/// The exception hierarchy. Every exception baton throws derives from baton::error,
/// which derives from std::runtime_error, so `catch (const std::exception&)` sees them all.

#include <stdexcept>
#include <string>

namespace baton {

/// @brief Base of every baton exception.
class error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// @brief A call was given arguments it cannot work with (a rank outside the communicator,
/// a tag out of range, a receive that could never be matched). Thrown before MPI is called.
class usage_error : public error {
public:
    using error::error;
};

/// @brief The receiver asked for a different type than the sender sent.
/// what() names both types, the source and the tag.
class type_mismatch : public error {
public:
    /// The message, and the two types' names.
    type_mismatch(const std::string& message, std::string expected_type, std::string actual_type)
        : error(message), expected_(std::move(expected_type)), actual_(std::move(actual_type)) {}
    /// The type the receiver asked for.
    const std::string& expected_type() const noexcept { return expected_; }
    /// The type the sender sent (as the sender spelled it).
    const std::string& actual_type() const noexcept { return actual_; }

private:
    std::string expected_;
    std::string actual_;
};

/// @brief A receive with a deadline found no matching message in time.
class timeout_error : public error {
public:
    using error::error;
};

/// @brief A message arrived that cannot be decoded: too short, not from a baton program,
/// larger than the buffer it must fit, or a serialized payload that does not parse.
class message_error : public error {
public:
    using error::error;
};

/// @brief An MPI call failed. Carries MPI's error class and MPI's own description.
class mpi_error : public error {
public:
    /// An MPI call's failure: the message, MPI's error code and its class.
    mpi_error(const std::string& message, int error_code, int error_class)
        : error(message), code_(error_code), class_(error_class) {}
    /// The error code the MPI call returned.
    int code() const noexcept { return code_; }
    /// The MPI error class of that code (MPI_ERR_...).
    int error_class() const noexcept { return class_; }

private:
    int code_;
    int class_;
};

}  // namespace baton
