#pragma once
/// @file
/// Every tuning knob of baton in one place: the macros (define one before including any baton
/// header to change its default), the environment variables (read here and nowhere else), and
/// the facts about MPI libraries that baton's algorithms choose by. Each says what it changes
/// and which test covers it. docs/performance.md has the measurements behind the defaults.
/// (The version macros are in version.hpp.)

#include <mpi.h>

#include <cstddef>
#include <cstdlib>
#include <string>
#include <string_view>

#include <baton/error.hpp>

// ---------------------------------------------------------------------------------------------
// Facts about the MPI library baton is compiled against.

/// 1 when compiled against Open MPI (its mpi.h defines OPEN_MPI), 0 for the MPICH family; the
/// one place baton asks which MPI it is built on (config::open_mpi below says it in C++).
#if defined(OPEN_MPI)
#define BATON_DETAIL_OPEN_MPI 1
#else
#define BATON_DETAIL_OPEN_MPI 0
#endif

// ---------------------------------------------------------------------------------------------
// Set by the build, not by hand: BATON_HAVE_ZLIB and BATON_HAVE_ZSTD are defined by baton's
// CMake package when it finds zlib and libzstd (the CSV reader then reads .gz and .zst files,
// dataset/detail/decompress.hpp; otherwise such a file gets an error that says what to install).
// Covered by tests/dataset (csv_compressed).

// ---------------------------------------------------------------------------------------------
// Macros.

/// 1 where the MPI has MPI-4's large-count collectives (MPI_Gatherv_c and the like: MPICH 4),
/// which gather pieces of any size in one call; 0 takes MPI-3's int counts, in rounds where a
/// piece needs them (Open MPI 4, MVAPICH2, Intel MPI, Cray MPICH 8). Define it as 0 to take the
/// MPI-3 path on an MPI-4 library. Covered by tests/collectives (the collectives.by_address
/// variant builds with 0).
#ifndef BATON_LARGE_COUNT_COLLECTIVES
#if MPI_VERSION >= 4
#define BATON_LARGE_COUNT_COLLECTIVES 1
#else
#define BATON_LARGE_COUNT_COLLECTIVES 0
#endif
#endif

/// 1 to receive a message of unknown size straight into a per-thread buffer, without probing
/// first. That relies on the MPI reporting a message longer than the receive buffer as
/// MPI_ERR_TRUNCATE without writing past the buffer: MPICH and the MPIs built on it do; Open
/// MPI 4.1 writes the whole message past the buffer's end (benchmarks/floors/truncation.cpp
/// shows both), so there every receive probes first. Covered by every receive test (tests/p2p).
#ifndef BATON_RECEIVE_WITHOUT_PROBE
#if defined(MPICH_VERSION) && !BATON_DETAIL_OPEN_MPI
#define BATON_RECEIVE_WITHOUT_PROBE 1
#else
#define BATON_RECEIVE_WITHOUT_PROBE 0
#endif
#endif

/// The largest block (bytes of elements) an all_reduce of vectors sends together with its
/// length check; larger vectors are checked by a block of the bounds alone, then reduced by
/// MPI's own operation from where they lie, because copying them in and out of a block costs
/// more than the separate check (docs/performance.md, "Collectives"). Covered by
/// tests/collectives (lengths on both sides of it).
#ifndef BATON_FUSED_REDUCTION_LIMIT
#define BATON_FUSED_REDUCTION_LIMIT (std::size_t{16} << 10)
#endif

/// The largest agreed length (bytes of elements) at which an all_reduce checks lengths with an
/// agreement mark (see marked_all_reduce). Above it a rank whose length changed would reduce
/// that many elements of padding before the ranks learn of the change, so larger vectors are
/// checked by an MPI_Allreduce of the bounds first. Covered by tests/collectives.
#ifndef BATON_MARKED_REDUCTION_LIMIT
#define BATON_MARKED_REDUCTION_LIMIT (std::size_t{256} << 10)
#endif

/// Contiguous payloads of at least this many bytes travel as a header message and a body
/// (wire/header_message.hpp) on communicators with a body channel; smaller ones travel in one
/// message with the header (see BATON_COPIED_MESSAGE_LIMIT). On MPICH from 4 KiB. On Open MPI
/// from 8 KiB: just past its 4 KiB shared-memory eager limit one message whose datatype takes
/// the header and the payload from where they lie beats both the bare payload and a second
/// message, over shared memory and TCP; from 8 KiB that datatype's copy-in, copy-out protocol
/// is as often far slower than the contiguous body (docs/performance.md, "A new vector at every
/// size"). The environment variable of the same name overrides it at run time. Covered by
/// tests/wire (header_messages and its eager_bodies variant, which sets 64).
#ifndef BATON_SEPARATE_BODY_FROM
#if BATON_DETAIL_OPEN_MPI
#define BATON_SEPARATE_BODY_FROM 8192
#else
#define BATON_SEPARATE_BODY_FROM 4096
#endif
#endif

/// A message of header and payload up to this many bytes is copied into one buffer on each side
/// (a small copy costs less than a derived datatype); a longer one is sent and received through
/// a two-block datatype of the header and the payload where they lie. Either side chooses alone:
/// the bytes on the wire are the same. On Open MPI from its 4 KiB shared-memory eager limit, on
/// MPICH (where contiguous payloads from 4 KiB travel apart) 16 KiB. The environment variable of
/// the same name overrides it at run time. Covered by tests/wire (header_messages.one_message,
/// which sets 64) and tests/p2p.
#ifndef BATON_COPIED_MESSAGE_LIMIT
#if BATON_DETAIL_OPEN_MPI
#define BATON_COPIED_MESSAGE_LIMIT 4096
#else
#define BATON_COPIED_MESSAGE_LIMIT 16384
#endif
#endif

/// Below this many bytes a thread's share, the CSV reader uses fewer threads: another thread
/// costs more than it saves. The fuzz target lowers it so that its small inputs take the threaded
/// path too. Covered by tests/dataset (csv_threads).
#ifndef BATON_CSV_MIN_BYTES_PER_THREAD
#define BATON_CSV_MIN_BYTES_PER_THREAD (std::size_t{1} << 16)
#endif

/// How many rows the CSV reader looks at to guess the column types before it parses. The fuzz
/// target lowers it, so that its small compressed inputs are parsed while they inflate, which
/// needs a whole sample first. Covered by tests/dataset (csv_reading).
#ifndef BATON_CSV_TYPE_SAMPLE_ROWS
#define BATON_CSV_TYPE_SAMPLE_ROWS 1000
#endif

/// How many bytes of a compressed CSV file are inflated per step while the reader parses the
/// steps already inflated. The environment variable of the same name overrides it at each read
/// (at least 64; the tests make it small, so that small files take many steps). Covered by
/// tests/dataset (csv_compressed).
#ifndef BATON_CSV_INFLATE_CHUNK
#define BATON_CSV_INFLATE_CHUNK (std::size_t{4} << 20)
#endif

/// The deepest nesting of containers a pickle may hold (a list in a list is two). Python's own
/// pickler stops at its recursion limit, 1000 by default, so no pickle Python writes is deeper;
/// the limit keeps a hostile pickle from exhausting the stack of the code that walks or frees the
/// value. Covered by tests/py (unit-pickle, "hostile pickles").
#ifndef BATON_PICKLE_MAX_DEPTH
#define BATON_PICKLE_MAX_DEPTH 1000
#endif

/// Which mpi4py's collective framing baton::python_comm speaks: 3 (the default: mpi4py 3.x moves
/// each rank's pickle size as an MPI_INT) or 4 (mpi4py 4.x moves it as an MPI_COUNT). The
/// point-to-point messages are the same in both. The environment variable BATON_MPI4PY_FRAMING
/// (3 or 4) overrides it for one job. Covered by tests/peers (the MPICH peer speaks both).
#ifndef BATON_MPI4PY_FRAMING
#define BATON_MPI4PY_FRAMING 3
#endif

namespace baton::config {

/// Whether baton is compiled against Open MPI. Its shared-memory transport sends a message of up
/// to 4 KiB, its own header included, eagerly, and by rendezvous above; baton's reductions size
/// their blocks around that step (collectives/length_checked_reduction.hpp).
inline constexpr bool open_mpi = BATON_DETAIL_OPEN_MPI != 0;

/// The largest message, its own header included, that Open MPI's shared-memory transport sends
/// eagerly.
inline constexpr std::size_t open_mpi_shared_memory_eager_limit = 4096;
/// Room for Open MPI's own header within that limit.
inline constexpr std::size_t open_mpi_shared_memory_header = 128;

/// See BATON_LARGE_COUNT_COLLECTIVES.
inline constexpr bool large_count_collectives = BATON_LARGE_COUNT_COLLECTIVES != 0;
/// See BATON_RECEIVE_WITHOUT_PROBE.
inline constexpr bool receive_without_probe = BATON_RECEIVE_WITHOUT_PROBE != 0;
/// See BATON_FUSED_REDUCTION_LIMIT.
inline constexpr std::size_t fused_reduction_limit = BATON_FUSED_REDUCTION_LIMIT;
/// See BATON_MARKED_REDUCTION_LIMIT.
inline constexpr std::size_t marked_reduction_limit = BATON_MARKED_REDUCTION_LIMIT;
/// See BATON_CSV_MIN_BYTES_PER_THREAD.
inline constexpr std::size_t csv_min_bytes_per_thread = BATON_CSV_MIN_BYTES_PER_THREAD;
/// See BATON_CSV_TYPE_SAMPLE_ROWS.
inline constexpr std::size_t csv_type_sample_rows = BATON_CSV_TYPE_SAMPLE_ROWS;
/// See BATON_PICKLE_MAX_DEPTH.
inline constexpr std::size_t pickle_max_depth = BATON_PICKLE_MAX_DEPTH;

/// `BATON_HANG_TIMEOUT=S` (seconds) in the environment (read once): a rank that waits that long in
/// one baton call prints `rank R: no progress for N s in`, then the call, and the job ends with a
/// non-zero status (detail/runtime/watchdog.hpp). 0 or unset: off, and nothing is paid. A value
/// that is not a whole number of seconds throws baton::usage_error, naming it. Covered by
/// tests/runtime (hang_reports).
inline int hang_timeout() {
    static const long seconds = [] {
        const char* text = std::getenv("BATON_HANG_TIMEOUT");
        if (text == nullptr || *text == '\0') return 0L;
        char* end = nullptr;
        const long value = std::strtol(text, &end, 10);
        return *end == '\0' && value >= 0 && value <= 1000000 ? value : -1L;
    }();
    if (seconds < 0) {
        throw usage_error(std::string("BATON_HANG_TIMEOUT=") + std::getenv("BATON_HANG_TIMEOUT") +
                          ": expected a whole number of seconds (0 turns the watchdog off)");
    }
    return static_cast<int>(seconds);
}

/// BATON_CHECK_COLLECTIVES=1 in the environment (read once): every collective of baton::comm,
/// portable_comm and raw_comm first checks that all ranks called the same one, with the same
/// root, payload type and operation, and throws baton::usage_error on every rank if not
/// (detail/collectives/agreement.hpp). Off (unset or 0) by default: the check is two collectives
/// more per call (docs/performance.md, "Hang reports and collective checks"). Any other value throws
/// baton::usage_error, naming it. Covered by tests/collectives (collective_checks).
inline bool check_collectives() {
    static const int on = [] {
        const char* text = std::getenv("BATON_CHECK_COLLECTIVES");
        if (text == nullptr || *text == '\0' || std::string_view(text) == "0") return 0;
        return std::string_view(text) == "1" ? 1 : -1;
    }();
    if (on < 0) {
        throw usage_error(std::string("BATON_CHECK_COLLECTIVES=") + std::getenv("BATON_CHECK_COLLECTIVES") +
                          ": expected 1 (check every collective) or 0 (do not)");
    }
    return on == 1;
}

/// BATON_MPI4PY_FRAMING from the environment (read once), else the macro's value. Any value but
/// 3 or 4 throws baton::usage_error, naming it.
inline int mpi4py_framing() {
    static const int major = [] {
        const char* text = std::getenv("BATON_MPI4PY_FRAMING");
        if (text == nullptr || *text == '\0') return BATON_MPI4PY_FRAMING;
        const std::string_view value(text);
        if (value == "3") return 3;
        if (value == "4") return 4;
        return 0;
    }();
    if (major == 0) {
        throw usage_error(std::string("BATON_MPI4PY_FRAMING=") + std::getenv("BATON_MPI4PY_FRAMING") +
                          ": expected 3 (mpi4py 3.x) or 4 (mpi4py 4.x)");
    }
    return major;
}

/// A size in bytes from the environment variable `name` (read by the caller once), else
/// `fallback`. Anything but a whole number throws baton::usage_error, naming it.
inline std::size_t bytes_from_environment(const char* name, std::size_t fallback) {
    const char* text = std::getenv(name);
    if (text == nullptr || *text == '\0') return fallback;
    char* end = nullptr;
    const unsigned long long bytes = std::strtoull(text, &end, 10);
    if (*end != '\0' || *text == '-') {
        throw usage_error(std::string(name) + "=" + text + ": expected a whole number of bytes");
    }
    return static_cast<std::size_t>(bytes);
}

/// BATON_SEPARATE_BODY_FROM from the environment (bytes, read once), else the macro's value.
inline std::size_t separate_body_from() {
    static const std::size_t from =
        bytes_from_environment("BATON_SEPARATE_BODY_FROM", std::size_t{BATON_SEPARATE_BODY_FROM});
    return from;
}

/// BATON_COPIED_MESSAGE_LIMIT from the environment (bytes, read once), else the macro's value.
inline std::size_t copied_message_limit() {
    static const std::size_t limit =
        bytes_from_environment("BATON_COPIED_MESSAGE_LIMIT", std::size_t{BATON_COPIED_MESSAGE_LIMIT});
    return limit;
}

/// BATON_GATHER_BY_ADDRESS=1 in the environment (read once) makes every in-place gather of
/// vectors take the by-address path (MPI_Alltoallw), which otherwise runs only where the result's
/// vectors lie too far apart for int displacements. Covered by the collectives.by_address test.
inline bool gather_by_address() {
    static const bool forced = [] {
        const char* text = std::getenv("BATON_GATHER_BY_ADDRESS");
        return text != nullptr && std::string_view(text) == "1";
    }();
    return forced;
}

/// BATON_CSV_INFLATE_CHUNK from the environment (bytes, read at each call, at least 64), else
/// the macro's value.
inline std::size_t csv_inflate_chunk() {
    if (const char* text = std::getenv("BATON_CSV_INFLATE_CHUNK")) {
        char* end = nullptr;
        const unsigned long long bytes = std::strtoull(text, &end, 10);
        if (end != text && *end == '\0' && bytes >= 64) return static_cast<std::size_t>(bytes);
    }
    return BATON_CSV_INFLATE_CHUNK;
}

/// The job's size as the launcher set it in the environment (Open MPI's OMPI_COMM_WORLD_SIZE,
/// the PMI's PMI_SIZE for MPICH-family launchers), with the variable's name; {nullptr, 0} if
/// neither is set. environment.hpp compares it with MPI's own size to tell a program started by
/// another MPI's mpiexec. Covered by the other_launcher test.
struct launcher_size {
    const char* variable = nullptr;  ///< the variable that held the size, or nullptr
    int ranks = 0;                   ///< the size it held; 0 when none was set
};
/// Reads the launcher's job size: see launcher_size.
inline launcher_size launcher_world_size() {
    for (const char* variable : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"}) {
        const char* value = std::getenv(variable);
        if (value == nullptr) continue;
        const int ranks = std::atoi(value);
        if (ranks > 1) return {variable, ranks};
    }
    return {};
}

}  // namespace baton::config
