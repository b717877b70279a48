#pragma once
// Compressed CSV files, recognized by their first bytes (not their names): gzip (zlib) and
// Zstandard (libzstd), each optional. CMake defines BATON_HAVE_ZLIB / BATON_HAVE_ZSTD where it
// found them (recorded in the installed package); without one, such a file is a csv_error
// that says what to install. The whole file is inflated into memory and read like text in
// memory (with threads, while it is inflated: inflating_pipeline.hpp), so a partitioned read
// inflates all of it on every rank before taking its share.
// A truncated or corrupt file is a csv_error naming it, never a partial dataset.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <string>
#include <string_view>

#include <baton/dataset/csv_error.hpp>
#include <baton/dataset/detail/growing_array.hpp>

#ifdef BATON_HAVE_ZLIB
#include <zlib.h>
#endif
#ifdef BATON_HAVE_ZSTD
#include <zstd.h>
#endif

namespace baton::detail::csv {

enum class compression { none, gzip, zstd, bzip2, xz };

inline compression compression_of(std::string_view head) noexcept {
    auto starts = [&](const char* magic, std::size_t n) {
        return head.size() >= n && std::memcmp(head.data(), magic, n) == 0;
    };
    if (starts("\x1F\x8B", 2)) return compression::gzip;
    if (starts("\x28\xB5\x2F\xFD", 4)) return compression::zstd;
    if (starts("BZh", 3) && head.size() >= 4 && head[3] >= '1' && head[3] <= '9') return compression::bzip2;
    if (starts("\xFD"
               "7zXZ\x00",
               6))
        return compression::xz;
    return compression::none;
}

/// The size the decompressed contents of `data` are expected to have: what the file records
/// (gzip's last member, modulo 4 GiB; zstd's frame header), believed only up to a ratio real
/// files stay below (a corrupt or forged header may claim terabytes), or a guess.
inline std::size_t expected_inflated_size(std::string_view data, compression kind) noexcept {
    if (kind == compression::gzip) {
        std::uint32_t recorded = 0;
        if (data.size() >= 4) std::memcpy(&recorded, data.data() + data.size() - 4, 4);
        // deflate expands at most 1032 times: a larger recorded size is a corrupt trailer
        const std::size_t most = data.size() * 1032 + 4096;
        return std::min<std::size_t>(std::max<std::size_t>(recorded, data.size() * 2) + 4096, most);
    }
#ifdef BATON_HAVE_ZSTD
    if (kind == compression::zstd) {
        const unsigned long long recorded = ZSTD_getFrameContentSize(data.data(), data.size());
        const bool known = recorded != ZSTD_CONTENTSIZE_UNKNOWN && recorded != ZSTD_CONTENTSIZE_ERROR &&
                           recorded < (std::uint64_t{1} << 40);
        const std::size_t plausible = data.size() * 256 + (std::size_t{1} << 20);
        return known ? std::min<std::size_t>(static_cast<std::size_t>(recorded) + 4096, plausible)
                     : data.size() * 4 + 4096;
    }
#endif
    return data.size() * 4 + 4096;
}

/// Decompresses `data` (the file `path`, compressed with `kind`) into `out`, which provides
/// `char* data()`, `std::size_t size()` (the bytes it can take), `void grow()` (more room,
/// keeping what was written; throws where it cannot), `std::size_t step()` (the most to
/// inflate before saying how far it got) and `void publish(std::size_t produced)`.
/// Returns the decompressed size. A truncated or corrupt file is a csv_error naming it.
template <class Output>
std::size_t inflate_into(const std::string& path, std::string_view data, compression kind, Output& out) {
    auto fail = [&](const std::string& problem) -> void { throw csv_error(path, 0, "", problem); };
    (void)data;  // unused where this build has neither library
    (void)out;
    if (kind == compression::gzip) {
#ifdef BATON_HAVE_ZLIB
        z_stream z{};
        if (inflateInit2(&z, 15 + 32) != Z_OK) fail("cannot start zlib");  // gzip header, any window
        z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
        std::size_t in_left = data.size(), produced = 0;
        int status = Z_OK;
        const std::size_t step = std::min<std::size_t>(out.step(), 1u << 30);
        while (true) {
            if (produced == out.size()) {
                try {
                    out.grow();
                } catch (...) {
                    inflateEnd(&z);
                    throw;
                }
            }
            const auto in_step = static_cast<uInt>(std::min<std::size_t>(in_left, 1u << 30));
            const auto out_step = static_cast<uInt>(std::min<std::size_t>(out.size() - produced, step));
            z.avail_in = in_step;
            z.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
            z.avail_out = out_step;
            status = inflate(&z, Z_NO_FLUSH);
            in_left -= in_step - z.avail_in;
            produced += out_step - z.avail_out;
            out.publish(produced);
            if (status == Z_STREAM_END) {
                if (in_left == 0) break;
                // Concatenated gzip members (as `cat a.gz b.gz` makes) are one file to gzip.
                if (inflateReset(&z) != Z_OK) break;
                continue;
            }
            if (status != Z_OK && status != Z_BUF_ERROR) break;
            if (status == Z_BUF_ERROR && in_left == 0) break;  // needs more input than there is
        }
        const std::string message = z.msg != nullptr ? z.msg : "";
        inflateEnd(&z);
        if (status != Z_STREAM_END) {
            fail(in_left == 0 && (status == Z_OK || status == Z_BUF_ERROR)
                     ? "the gzip file is truncated (it ends before its compressed data does)"
                     : "the gzip file is corrupt (" +
                           (message.empty() ? "zlib status " + std::to_string(status) : message) + ")");
        }
        return produced;
#else
        fail(
            "the file is gzip-compressed, and this build of baton has no zlib: install zlib's development files "
            "(Debian: zlib1g-dev) and configure baton again, or decompress the file first");
#endif
    }
    if (kind == compression::zstd) {
#ifdef BATON_HAVE_ZSTD
        ZSTD_DStream* stream = ZSTD_createDStream();
        if (stream == nullptr) fail("cannot start libzstd");
        ZSTD_inBuffer in{data.data(), data.size(), 0};
        std::size_t produced = 0, status = 0;
        bool error = false;
        std::string message;
        while (in.pos < in.size || status != 0) {
            if (produced == out.size()) {
                try {
                    out.grow();
                } catch (...) {
                    ZSTD_freeDStream(stream);
                    throw;
                }
            }
            ZSTD_outBuffer o{out.data() + produced, std::min(out.size() - produced, out.step()), 0};
            const std::size_t before = in.pos;
            status = ZSTD_decompressStream(stream, &o, &in);
            produced += o.pos;
            out.publish(produced);
            if (ZSTD_isError(status)) {
                error = true;
                message = ZSTD_getErrorName(status);
                break;
            }
            if (in.pos == in.size && o.pos == 0 && in.pos == before && status != 0) break;  // wants more input
        }
        ZSTD_freeDStream(stream);
        if (error) fail("the zstd file is corrupt (" + message + ")");
        if (status != 0) fail("the zstd file is truncated (it ends before its compressed data does)");
        return produced;
#else
        fail(
            "the file is zstd-compressed, and this build of baton has no libzstd: install its development files "
            "(Debian: libzstd-dev) and configure baton again, or decompress the file first");
#endif
    }
    if (kind == compression::bzip2)
        fail("the file is bzip2-compressed; baton reads gzip and zstd: decompress it first");
    if (kind == compression::xz) fail("the file is xz-compressed; baton reads gzip and zstd: decompress it first");
    return 0;
}

/// The decompressed contents of `data` (the file `path`, compressed with `kind`), in one
/// buffer sized from expected_inflated_size, so that the output is mostly written once, not
/// copied as it grows.
inline growing_array<char> decompress(const std::string& path, std::string_view data, compression kind) {
    struct growing_output {
        const std::string& path;
        std::size_t first_size;
        growing_array<char> buffer;

        char* data() noexcept { return buffer.data(); }
        std::size_t size() const noexcept { return buffer.size(); }
        std::size_t step() const noexcept { return std::size_t{1} << 30; }
        void publish(std::size_t) const noexcept {}
        void grow() { reserve(buffer.size() == 0 ? first_size : buffer.size() * 2); }  // keeps what was written
        // Memory the file asks for and the machine does not have is the file's problem to report.
        void reserve(std::size_t bytes) {
            try {
                buffer.resize_for_overwrite(bytes);
            } catch (const std::bad_alloc&) {
                throw csv_error(
                    path, 0, "",
                    "not enough memory to decompress it (" + std::to_string(bytes) + " bytes needed so far)");
            }
        }
    } out{path, expected_inflated_size(data, kind), {}};
    const std::size_t produced = inflate_into(path, data, kind, out);
    out.buffer.resize_for_overwrite(produced);
    return std::move(out.buffer);
}

}  // namespace baton::detail::csv
