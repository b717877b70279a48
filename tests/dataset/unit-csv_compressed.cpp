// gzip and zstd files read as their contents would, recognized by their first bytes; a
// truncated or corrupt one is a csv_error naming the file. Where this build has no zlib or
// libzstd, reading such a file is an error that says what to install.
#include <doctest/doctest.h>

#include <cstdlib>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <baton/baton.hpp>

#include "support/same_dataset.hpp"
#include "support/temp_file.hpp"
#include "support/tricky_csv.hpp"

#ifdef BATON_HAVE_ZLIB
#include <zlib.h>
#endif
#ifdef BATON_HAVE_ZSTD
#include <zstd.h>
#endif

using baton::local_dataset;
using baton_test::check_same;
using baton_test::temp_file;

namespace {
[[maybe_unused]] std::string sample_csv(int rows) {
    std::string csv = "id,name,value,note\n";
    for (int r = 0; r < rows; ++r) {
        csv += std::to_string(r) + "," + (r % 3 ? "alpha" : "\"be, ta\"") + "," + std::to_string(r * 0.25) + "," +
               (r % 5 ? "\"two\nlines\"" : "") + "\n";
    }
    return csv;
}

std::string error_of(const std::string& path, baton::csv_options options = {}) {
    try {
        (void)local_dataset::read_csv(path, options);
    } catch (const baton::csv_error& e) {
        return e.what();
    }
    return "no error";
}

// The first half of a compressed file, and the whole with 64 bytes a third of the way in
// inverted: a csv_error naming the file for each.
[[maybe_unused]] void check_refused(const std::string& packed, const std::string& suffix, const std::string& format) {
    const temp_file cut(packed.substr(0, packed.size() / 2), suffix);
    CHECK(error_of(cut.path()) ==
          cut.path() + ": the " + format + " file is truncated (it ends before its compressed data does)");
    std::string damaged = packed;
    for (std::size_t i = damaged.size() / 3; i < damaged.size() / 3 + 64; ++i)
        damaged[i] = static_cast<char>(~damaged[i]);
    const temp_file corrupt(damaged, suffix);
    CHECK(error_of(corrupt.path()).rfind(corrupt.path() + ": the " + format + " file is corrupt (", 0) == 0);
}

#ifdef BATON_HAVE_ZLIB
std::string gzip(const std::string& text) {
    z_stream z{};
    REQUIRE(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);  // +16: gzip wrapper
    std::string out(deflateBound(&z, static_cast<uLong>(text.size())) + 64, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
    z.avail_in = static_cast<uInt>(text.size());
    z.next_out = reinterpret_cast<Bytef*>(&out[0]);
    z.avail_out = static_cast<uInt>(out.size());
    REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}
#endif
#ifdef BATON_HAVE_ZSTD
std::string zstd(const std::string& text) {
    std::string out(ZSTD_compressBound(text.size()), '\0');
    const std::size_t n = ZSTD_compress(&out[0], out.size(), text.data(), text.size(), 3);
    REQUIRE(!ZSTD_isError(n));
    out.resize(n);
    return out;
}
#endif
}  // namespace

#ifdef BATON_HAVE_ZLIB
TEST_CASE("gzip files read as their contents, at any thread count, whatever their names") {
    const std::string text = sample_csv(50000);
    const temp_file plain(text), packed(gzip(text), ".gz"), misnamed(gzip(text), ".csv"), plain_named_gz(text, ".gz");
    const auto expected = local_dataset::read_csv(plain.path());
    check_same(local_dataset::read_csv(packed.path()), expected);
    check_same(local_dataset::read_csv(misnamed.path()), expected);
    check_same(local_dataset::read_csv(plain_named_gz.path()), expected);
    baton::csv_options two;
    two.threads = 2;
    check_same(local_dataset::read_csv(packed.path(), two), expected);
    // Concatenated members (cat a.gz b.gz) are one file, as to gzip itself.
    const std::string first = sample_csv(10), rest = "9999,z,1.5,\n";
    const temp_file joined(gzip(first) + gzip(rest), ".gz"), joined_plain(first + rest);
    check_same(local_dataset::read_csv(joined.path()), local_dataset::read_csv(joined_plain.path()));
}

TEST_CASE("a truncated or corrupt gzip file is a csv_error naming it, never a partial dataset") {
    check_refused(gzip(sample_csv(50000)), ".gz", "gzip");
}
#else
TEST_CASE("without zlib, a gzip file is an error that says what to install") {
    const temp_file packed(std::string("\x1F\x8B\x08\x00", 4) + std::string(32, '\0'), ".gz");
    CHECK(error_of(packed.path()).find("no zlib: install zlib's development files") != std::string::npos);
}
#endif

#ifdef BATON_HAVE_ZSTD
TEST_CASE("zstd files read as their contents; truncated or corrupt ones are refused") {
    const std::string text = sample_csv(50000);
    const std::string packed = zstd(text);
    const temp_file plain(text), compressed(packed, ".zst");
    check_same(local_dataset::read_csv(compressed.path()), local_dataset::read_csv(plain.path()));
    check_refused(packed, ".zst", "zstd");
}

TEST_CASE("a zstd header claiming a huge size is refused as corrupt, without allocating that size") {
    // Found by the fuzz target: a frame header that records about 860 GB of content, then a
    // few bytes of nothing much. The buffer was sized from the header and the allocation threw
    // std::bad_alloc out of read_csv.
    const unsigned char forged[] = {0x28, 0xb5, 0x2f, 0xfd, 0xf5, 0x9b, 0x6f, 0xcf, 0x74, 0xd9, 0x2e, 0x00, 0x00, 0x00,
                                    0x00, 0x00, 0x00, 0x00, 0x69, 0x6e, 0x65, 0x24, 0x20, 0x77, 0x71, 0x22, 0x22, 0x74,
                                    0x75, 0x65, 0x73, 0x22, 0x2a, 0x2c, 0x22, 0x70, 0x6c, 0x61, 0x69, 0x6e, 0x0a};
    const temp_file file(std::string(reinterpret_cast<const char*>(forged), sizeof forged), ".zst");
    const std::string error = error_of(file.path());
    CHECK(error.find(file.path()) != std::string::npos);
    CHECK(error.find("zstd file is") != std::string::npos);
}
#else
TEST_CASE("without libzstd, a zstd file is an error that says what to install") {
    const temp_file packed(std::string("\x28\xB5\x2F\xFD", 4) + std::string(32, '\0'), ".zst");
    CHECK(error_of(packed.path()).find("no libzstd: install its development files") != std::string::npos);
}
#endif

TEST_CASE("bzip2 and xz files are named as such, not read as text") {
    const temp_file bz(std::string("BZh91AY&SY") + std::string(40, 'x'), ".bz2");
    CHECK(error_of(bz.path()) ==
          bz.path() + ": the file is bzip2-compressed; baton reads gzip and zstd: decompress it first");
    const temp_file xz(std::string("\xFD"
                                   "7zXZ",
                                   5) +
                           std::string(1, '\0') + std::string(40, 'x'),
                       ".xz");
    CHECK(error_of(xz.path()) ==
          xz.path() + ": the file is xz-compressed; baton reads gzip and zstd: decompress it first");
}

#ifdef BATON_HAVE_ZLIB
namespace {
/// Runs `check` with the parser stepping through the inflated text `bytes` at a time
/// (BATON_CSV_INFLATE_CHUNK), for several sizes: small steps end near every quoted newline,
/// CRLF, blank line and stray quote of the tricky files.
void at_step_sizes(const std::function<void()>& check) {
    for (const char* bytes : {"64", "1000", "65536", "4194304"}) {
        INFO("inflate steps of " << bytes << " bytes");
        ::setenv("BATON_CSV_INFLATE_CHUNK", bytes, 1);
        check();
    }
    ::unsetenv("BATON_CSV_INFLATE_CHUNK");
}

std::vector<std::pair<std::string, std::string>> packings(const std::string& text) {
    std::vector<std::pair<std::string, std::string>> out{{gzip(text), ".gz"}};
#ifdef BATON_HAVE_ZSTD
    out.emplace_back(zstd(text), ".zst");
#endif
    return out;
}

std::string error_with_threads(const std::string& path, unsigned threads, baton::csv_options options = {}) {
    options.threads = threads;
    return error_of(path, options);
}
}  // namespace

TEST_CASE("with threads, a compressed file is parsed while it is inflated, and reads as in one thread") {
    // Every 500th row of `stray` has a quote inside an unquoted field, which misleads the quote
    // parity that step ends are placed by; `tricky` makes a column text only in its last rows.
    std::string stray = "a,b\n";
    for (int r = 0; r < 40000; ++r) {
        stray += (r % 500 == 0 ? "5\"inch" : std::to_string(r)) + ",\"x\ny" + std::to_string(r % 3) + "\"\n";
    }
    for (const std::string& text : {baton_test::tricky(30000), stray}) {
        const temp_file plain(text);
        const auto one = local_dataset::read_csv(plain.path());
        for (const auto& [packed, suffix] : packings(text)) {
            const temp_file file(packed, suffix);
            at_step_sizes([&] {
                for (unsigned threads : {2u, 3u, 7u}) {
                    INFO(suffix << ", threads " << threads);
                    baton::csv_options options;
                    options.threads = threads;
                    check_same(local_dataset::read_csv(file.path(), options), one);
                }
            });
        }
    }
}

TEST_CASE("errors in a compressed file parsed while it is inflated are the one-thread errors") {
    std::string body;
    for (int r = 0; r < 30000; ++r) body += std::to_string(r) + ",\"q\nq\"\n";
    const std::string header = "a,b\n";
    baton::csv_options forced;
    forced.types["a"] = baton::column_type::integer;
    for (const std::string& text : {header + body + "1,2,3\n" + body, header + body + body + "7,\"never closed\n",
                                    header + body + body + "seven,x\n"}) {
        const temp_file plain(text);
        const std::string alone = error_of(plain.path(), forced);
        CHECK(alone != "no error");
        for (const auto& [packed, suffix] : packings(text)) {
            const temp_file file(packed, suffix);
            const std::string expected = file.path() + alone.substr(plain.path().size());
            at_step_sizes([&] {
                for (unsigned threads : {2u, 3u}) {
                    INFO(suffix << ", threads " << threads);
                    CHECK(error_with_threads(file.path(), threads, forced) == expected);
                }
            });
            // Cut short, it is refused whole, never read as the rows inflated before the cut.
            const temp_file cut(packed.substr(0, packed.size() * 2 / 3), suffix);
            const std::string format = suffix == ".gz" ? "gzip" : "zstd";
            at_step_sizes([&] {
                CHECK(error_with_threads(cut.path(), 2) ==
                      cut.path() + ": the " + format + " file is truncated (it ends before its compressed data does)");
            });
            // Damaged, it is refused in the words a one-thread read uses (zstd's own words
            // depend on the buffer it was writing into).
            std::string damaged = packed;
            for (std::size_t i = damaged.size() / 3; i < damaged.size() / 3 + 64; ++i)
                damaged[i] = static_cast<char>(~damaged[i]);
            const temp_file corrupt(damaged, suffix);
            const std::string refused = error_with_threads(corrupt.path(), 1);
            CHECK(refused.rfind(corrupt.path() + ": the " + format + " file is corrupt (", 0) == 0);
            at_step_sizes([&] { CHECK(error_with_threads(corrupt.path(), 2) == refused); });
        }
    }
}
#endif

#if defined(BATON_HAVE_ZLIB) && defined(BATON_HAVE_ZSTD)
TEST_CASE("a corrupt zstd file is refused in the same words at any thread count") {
    // A frame that declares no content and then holds a block (found by the fuzz target):
    // zstd names the corruption by the buffer it was writing into, so a read in threads, which
    // inflates in small steps, must report it as a one-thread read does.
    const unsigned char frame[] = {0x28, 0xb5, 0x2f, 0xfd, 0xe5, 0, 0, 0, 0, 0,    0, 0, 0, 0, 0, 0, 0,
                                   0,    0,    0,    0,    0,    0, 0, 0, 0, 0xcb, 0, 0, 0, 0, 0, 0, 0};
    const temp_file file(std::string(reinterpret_cast<const char*>(frame), sizeof frame), ".zst");
    const std::string alone = error_of(file.path());
    CHECK(alone.rfind(file.path() + ": the zstd file is corrupt (", 0) == 0);
    at_step_sizes([&] {
        for (unsigned threads : {2u, 3u}) CHECK(error_with_threads(file.path(), threads) == alone);
    });
}
#endif

#ifdef BATON_HAVE_ZLIB
TEST_CASE("a partitioned read of a compressed file: each rank inflates it and takes its share") {
    baton::comm world;
    std::optional<temp_file> plain, packed;
    std::string names[2];
    if (world.is_root()) {
        const std::string text = sample_csv(30000);
        plain.emplace(text);
        packed.emplace(gzip(text), ".gz");
        names[0] = plain->path();
        names[1] = packed->path();
    }
    world.broadcast(names[0], 0);
    world.broadcast(names[1], 0);
    check_same(local_dataset::read_csv(names[1], baton::partitioned(world)),
               local_dataset::read_csv(names[0], baton::partitioned(world)));
    world.barrier();
}
#endif

#ifdef BATON_HAVE_ZLIB
TEST_CASE("a compressed file's contents are what is checked for a byte-order mark") {
    // Two bytes inside a larger gzip file: the check must look at the two, not past them.
    const temp_file tiny(gzip("ab"), ".gz"), bom(gzip("\xEF\xBB\xBFx\n1\n"), ".gz");
    CHECK(local_dataset::read_csv(tiny.path()).column_names() == std::vector<std::string>{"ab"});
    CHECK(local_dataset::read_csv(bom.path()).column_names() == std::vector<std::string>{"x"});
}
#endif
