// libFuzzer target for decoding messages: arbitrary bytes arrive (sent by this process to
// itself) and are received as one of several payload types, through the checked wire (header,
// type check, decoding) and through the unchecked wire (decoding alone). Any input must give a
// value or a baton::error; a crash, another exception, a hang or a sanitizer report is a bug.
// Built and run by scripts/fuzz.sh.
//
// Input: byte 0 picks the type (low 3 bits) and whether a valid checked-wire header for that
// type is put in front of the rest (bit 3), so that mutations reach the decoder behind the
// header check instead of stopping at the magic number.
#include <mpi.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include <baton/baton.hpp>

namespace {
using nested = std::map<std::string, std::vector<std::pair<std::string, std::optional<double>>>>;

template <class T>
void receive_as(const std::uint8_t* data, std::size_t size, bool with_header) {
    baton::comm checked;
    baton::raw_comm unchecked;
    std::vector<char> message;
    if (with_header) {
        const auto& h = baton::wire::header_for<T>(baton::detail::kind_v<T> == baton::detail::payload_kind::serialized
                                                       ? baton::wire::encoding::native
                                                       : baton::wire::encoding::memory);
        const char* p = reinterpret_cast<const char*>(&h);
        message.assign(p, p + sizeof h);
    }
    message.insert(message.end(), data, data + size);
    const baton::tag<std::vector<char>> as_bytes{1};
    const baton::tag<T> as_value{1};
    for (int wire = 0; wire < 2; ++wire) {
        unchecked.send(0, as_bytes, message);
        try {
            if (wire == 0)
                (void)checked.recv(0, as_value);
            else
                (void)unchecked.recv(0, as_value);
        } catch (const baton::error&) {
        }
    }
}
}  // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
    MPI_Init(argc, argv);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const bool with_header = (data[0] & 8) != 0;
    const std::uint8_t* rest = data + 1;
    const std::size_t n = size - 1;
    switch (data[0] & 7) {
        case 0:
            receive_as<std::vector<std::string>>(rest, n, with_header);
            break;
        case 1:
            receive_as<std::map<std::string, int>>(rest, n, with_header);
            break;
        case 2:
            receive_as<nested>(rest, n, with_header);
            break;
        case 3:
            receive_as<std::tuple<int, std::string, std::vector<bool>>>(rest, n, with_header);
            break;
        case 4:
            receive_as<std::vector<double>>(rest, n, with_header);
            break;
        case 5:
            receive_as<std::string>(rest, n, with_header);
            break;
        case 6:
            receive_as<std::optional<std::vector<std::string>>>(rest, n, with_header);
            break;
        default:
            receive_as<std::array<std::int32_t, 3>>(rest, n, with_header);
            break;
    }
    return 0;
}
