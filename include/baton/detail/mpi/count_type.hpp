#pragma once
// MPI counts are int. A count_type describes any number of elements of a base datatype,
// building a derived datatype when the count does not fit (payloads over 2 GiB).

#include <mpi.h>

#include <climits>
#include <cstddef>
#include <utility>

#include <baton/detail/byte_buffer.hpp>
#include <baton/detail/mpi/check.hpp>

namespace baton::detail {

class count_type {
public:
    count_type(std::size_t count, MPI_Datatype base) {
        if (count <= static_cast<std::size_t>(INT_MAX)) {
            type_ = base;
            count_ = static_cast<int>(count);
            return;
        }
        build_large(count, base);
    }
    count_type(const count_type&) = delete;
    count_type& operator=(const count_type&) = delete;
    count_type(count_type&& other) noexcept
        : type_(std::exchange(other.type_, MPI_DATATYPE_NULL)),
          count_(other.count_),
          owned_(std::exchange(other.owned_, false)) {}
    ~count_type() {
        if (owned_) MPI_Type_free(&type_);
    }

    MPI_Datatype type() const noexcept { return type_; }
    int count() const noexcept { return count_; }

private:
    // Out of line: every message goes through the constructor, and almost none is this long.
    [[gnu::noinline]] void build_large(std::size_t count, MPI_Datatype base) {
        constexpr std::size_t chunk = std::size_t{1} << 30;
        const std::size_t chunks = count / chunk;
        const std::size_t rest = count % chunk;
        MPI_Datatype chunk_type = MPI_DATATYPE_NULL;
        check_mpi(MPI_Type_contiguous(static_cast<int>(chunk), base, &chunk_type), "MPI_Type_contiguous");
        MPI_Aint lower = 0, extent = 0;
        check_mpi(MPI_Type_get_extent(base, &lower, &extent), "MPI_Type_get_extent");
        int lengths[2] = {static_cast<int>(chunks), static_cast<int>(rest)};
        MPI_Aint displacements[2] = {0, static_cast<MPI_Aint>(chunks * chunk) * extent};
        MPI_Datatype types[2] = {chunk_type, base};
        const int rc = MPI_Type_create_struct(rest == 0 ? 1 : 2, lengths, displacements, types, &type_);
        MPI_Type_free(&chunk_type);
        check_mpi(rc, "MPI_Type_create_struct");
        check_mpi(MPI_Type_commit(&type_), "MPI_Type_commit");
        count_ = 1;
        owned_ = true;
    }

    MPI_Datatype type_ = MPI_DATATYPE_NULL;
    int count_ = 0;
    bool owned_ = false;
};

/// Sends a byte buffer of any size (MPI_Send semantics).
inline void send_bytes(const byte_buffer& bytes, int dest, int tag, MPI_Comm comm) {
    count_type whole(bytes.size(), MPI_BYTE);
    check_mpi(MPI_Send(bytes.data(), whole.count(), whole.type(), dest, tag, comm), "MPI_Send");
}

/// Starts sending a byte buffer of any size; `bytes` must live until the request completes.
inline MPI_Request isend_bytes(const byte_buffer& bytes, int dest, int tag, MPI_Comm comm) {
    count_type whole(bytes.size(), MPI_BYTE);
    MPI_Request request = MPI_REQUEST_NULL;
    check_mpi(MPI_Isend(bytes.data(), whole.count(), whole.type(), dest, tag, comm, &request), "MPI_Isend");
    return request;
}

/// Two byte blocks at unrelated addresses as one datatype, used with MPI_BOTTOM: the header
/// and the payload of a large message travel together without copying the payload.
class two_block_type {
public:
    two_block_type(const void* first, std::size_t first_bytes, const void* second, std::size_t second_bytes) {
        MPI_Aint addresses[2];
        check_mpi(MPI_Get_address(first, &addresses[0]), "MPI_Get_address");
        check_mpi(MPI_Get_address(second, &addresses[1]), "MPI_Get_address");
        if (first_bytes <= static_cast<std::size_t>(INT_MAX) && second_bytes <= static_cast<std::size_t>(INT_MAX)) {
            // Two runs of bytes: the form MPI implementations move fastest (an I/O vector).
            int lengths[2] = {static_cast<int>(first_bytes), static_cast<int>(second_bytes)};
            check_mpi(MPI_Type_create_hindexed(2, lengths, addresses, MPI_BYTE, &type_), "MPI_Type_create_hindexed");
            check_mpi(MPI_Type_commit(&type_), "MPI_Type_commit");
            return;
        }
        count_type a(first_bytes, MPI_BYTE), b(second_bytes, MPI_BYTE);
        int lengths[2] = {a.count(), b.count()};
        MPI_Datatype types[2] = {a.type(), b.type()};
        check_mpi(MPI_Type_create_struct(2, lengths, addresses, types, &type_), "MPI_Type_create_struct");
        check_mpi(MPI_Type_commit(&type_), "MPI_Type_commit");
    }
    two_block_type(const two_block_type&) = delete;
    two_block_type& operator=(const two_block_type&) = delete;
    ~two_block_type() { MPI_Type_free(&type_); }

    MPI_Datatype type() const noexcept { return type_; }

private:
    MPI_Datatype type_ = MPI_DATATYPE_NULL;
};

}  // namespace baton::detail
