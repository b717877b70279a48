#pragma once
/// @file
/// How payloads that are not plain memory (maps, nested containers, user types with
/// serialize()) are encoded: native_encoding (fast; every rank must share byte order and type
/// sizes) or portable_encoding, Boost.MPI's packed archive (MPI_Pack: portable across mixed
/// architectures, slower).

#include <mpi.h>

#include <array>
#include <boost/archive/archive_exception.hpp>
#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>
#include <boost/mpi/packed_iarchive.hpp>
#include <boost/mpi/packed_oarchive.hpp>
#include <boost/serialization/array.hpp>
#include <boost/serialization/deque.hpp>
#include <boost/serialization/list.hpp>
#include <boost/serialization/map.hpp>
#include <boost/serialization/optional.hpp>
#include <boost/serialization/set.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/unordered_map.hpp>
#include <boost/serialization/unordered_set.hpp>
#include <boost/serialization/utility.hpp>
#include <boost/serialization/vector.hpp>
#include <cstdint>
#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include <baton/detail/byte_buffer.hpp>
#include <baton/detail/codec/byte_streambuf.hpp>
#include <baton/detail/codec/native_codec.hpp>
#include <baton/detail/codec/sendable.hpp>
#include <baton/wire/header.hpp>

namespace baton::wire {

/// The encoding of baton::comm and baton::raw_comm. Standard-library values (strings,
/// containers, pairs, tuples, optionals of trivially copyable leaves, nested) in baton's own
/// encoding (detail/codec/native_codec.hpp: checked lengths, no stream objects); other types, such
/// as user types with serialize(), through Boost.Serialization's binary archive without its
/// text header.
struct native_encoding {
    static constexpr auto id = static_cast<std::uint8_t>(encoding::native);  ///< its code in the wire header
    static constexpr const char* name = "baton's native encoding";           ///< for error messages

    /// Appends the encoding of value to out.
    template <class T>
    static void save(MPI_Comm, detail::byte_buffer& out, const T& value) {
        if constexpr (detail::has_native_codec_v<T>) {
            detail::native_encode(out, value);
        } else if constexpr (!detail::sendable_v<T>) {
            // require_sendable has stopped the build with its message; going into Boost here
            // would only add errors from inside Boost.Serialization.
            (void)out;
            (void)value;
        } else {
            detail::vector_sink sink(out);
            std::ostream stream(&sink);
            boost::archive::binary_oarchive archive(stream, flags);
            archive << value;
        }
    }

    /// Decodes value from [data, data + size); throws detail::decode_error,
    /// boost::archive::archive_exception or another std::exception on malformed input.
    template <class T>
    static void load(MPI_Comm, const char* data, std::size_t size, T& value) {
        if constexpr (detail::has_native_codec_v<T>) {
            detail::native_decode(data, size, value);
        } else if constexpr (!detail::sendable_v<T>) {
            (void)data;  // as in save
            (void)size;
            (void)value;
        } else {
            detail::span_source source(data, size);
            std::istream stream(&source);
            boost::archive::binary_iarchive archive(stream, flags);
            archive >> value;
        }
    }

private:
    static constexpr unsigned flags = boost::archive::no_header | boost::archive::no_codecvt;
};

/// The encoding of baton::portable_comm: Boost.MPI's packed archive, MPI_Pack per primitive,
/// portable between architectures.
struct portable_encoding {
    static constexpr auto id = static_cast<std::uint8_t>(encoding::portable);  ///< its code in the wire header
    static constexpr const char* name = "Boost.MPI's packed archive";          ///< for error messages

    template <class T>
    /// Appends the encoding of value to out.
    static void save(MPI_Comm comm, detail::byte_buffer& out, const T& value) {
        if constexpr (detail::sendable_v<T>) {  // else require_sendable has stopped the build
            boost::mpi::packed_oarchive::buffer_type buffer;
            boost::mpi::packed_oarchive archive(comm, buffer);
            archive << value;
            out.insert(out.end(), buffer.begin(), buffer.end());
        } else {
            (void)comm;
            (void)out;
            (void)value;
        }
    }

    template <class T>
    /// Decodes value from [data, data + size); throws on malformed input.
    static void load(MPI_Comm comm, const char* data, std::size_t size, T& value) {
        if constexpr (detail::sendable_v<T>) {
            boost::mpi::packed_iarchive::buffer_type buffer(data, data + size);
            boost::mpi::packed_iarchive archive(comm, buffer);
            archive >> value;
        } else {
            (void)comm;
            (void)data;
            (void)size;
            (void)value;
        }
    }
};

/// What error messages call each encoding, indexed by its code (wire::encoding).
inline constexpr std::array<const char*, encoding_count> encoding_names = {
    "plain memory", "baton's native encoding (baton::comm)", "Boost.MPI's packed archive (baton::portable_comm)"};
static_assert(native_encoding::id < encoding_count && portable_encoding::id < encoding_count,
              "every encoding's code has an entry in wire::encoding");

/// An encoding's name for an error message; a code that no encoding has is named as such.
inline std::string encoding_name(std::uint8_t code) {
    return code < encoding_count ? encoding_names[code] : "unknown encoding " + std::to_string(code);
}

}  // namespace baton::wire
