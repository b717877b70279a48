#pragma once
// The task farm's checkpoint: a file the root appends each task's outcome to as it arrives, so
// that a rerun after the job was killed runs only the tasks not recorded. Each record is
// written with one write(2) to a file opened for appending, so the death of the process loses
// at most the record being written, and a record cut short (or damaged) is recognised by its
// length and checksum and dropped, with everything after it, never read as a result. The file
// starts with a fingerprint of the task list and the seed, and the identity of the program that
// computes the results: a journal of another search, or of another build of the program (whose
// scoring may have changed), is refused instead of mixed in. The identity is a hash of the
// program's own executable file, so a resubmitted job of the same binary resumes; a program that
// keeps its results across rebuilds names its revision instead (farm_options::revision).
//
// Layout: "BATONJ02", fingerprint (8 bytes), task count (8), program identity (8); then records of
// payload length (8), task index (8), ok (1), payload, FNV-1a of the previous fields (8). The
// payload is the result in baton's native encoding, or the error message.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <baton/detail/byte_buffer.hpp>
#include <baton/error.hpp>
#include <baton/wire/header.hpp>

namespace baton::detail {

class farm_journal {
public:
    /// One task's outcome as read back.
    struct record {
        std::uint64_t index;
        bool ok;
        std::string payload;  // encoded result, or the error message
    };

    /// Opens (or creates) `path` for a search of `tasks` tasks with `fingerprint`; reads the
    /// records already there. Throws baton::error if the file belongs to another search or
    /// cannot be used.
    farm_journal(std::string path, std::uint64_t fingerprint, std::uint64_t tasks, const std::string& revision)
        : path_(std::move(path)) {
        const std::uint64_t program = program_identity(revision);
        std::string bytes;
        {
            std::ifstream in(path_, std::ios::binary);
            if (in) bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        }
        std::size_t good_end = 0;
        if (bytes.size() >= header_size) {
            std::uint64_t theirs = 0, count = 0;
            std::memcpy(&theirs, bytes.data() + 8, 8);
            std::memcpy(&count, bytes.data() + 16, 8);
            if (std::memcmp(bytes.data(), magic, 7) == 0 && bytes[7] != magic[7]) {
                throw error(path_ +
                            ": this checkpoint was written by an older baton, which did not record the "
                            "program; remove it to start over");
            }
            if (std::memcmp(bytes.data(), magic, 8) != 0) {
                throw error(path_ +
                            ": not a task farm checkpoint (no journal header); remove it or choose another path");
            }
            if (theirs != fingerprint || count != tasks) {
                throw error(path_ + ": this checkpoint was written for another task list or seed (" +
                            std::to_string(count) + " tasks, fingerprint " + hex(theirs) + "; this search has " +
                            std::to_string(tasks) + " tasks, fingerprint " + hex(fingerprint) +
                            "); remove it or choose another path");
            }
            std::uint64_t writer = 0;
            std::memcpy(&writer, bytes.data() + 24, 8);
            if (writer != program) {
                throw error(
                    path_ + ": this checkpoint was written by another build of the program (identity " + hex(writer) +
                    "; this one is " + hex(program) +
                    (revision.empty() ? ", the hash of its executable" : ", from its revision \"" + revision + "\"") +
                    "), whose results may differ from what this build computes. Remove the checkpoint to "
                    "start over, or, if both builds compute the same results, give them the same "
                    "farm_options::revision");
            }
            good_end = read_records(bytes, tasks, finished_);
        }
        fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        if (fd_ < 0) throw error(path_ + ": cannot open the checkpoint for writing: " + std::strerror(errno));
        // Drop a record cut short by a kill, and anything after it, before appending.
        if (::ftruncate(fd_, static_cast<off_t>(good_end)) != 0 ||
            ::lseek(fd_, static_cast<off_t>(good_end), SEEK_SET) < 0) {
            const int e = errno;
            ::close(fd_);
            throw error(path_ + ": cannot prepare the checkpoint: " + std::strerror(e));
        }
        if (good_end == 0) {
            char header[header_size];
            std::memcpy(header, magic, 8);
            std::memcpy(header + 8, &fingerprint, 8);
            std::memcpy(header + 16, &tasks, 8);
            std::memcpy(header + 24, &program, 8);
            write_all(header, header_size);
        }
    }
    farm_journal(const farm_journal&) = delete;
    farm_journal& operator=(const farm_journal&) = delete;
    ~farm_journal() {
        if (fd_ >= 0) ::close(fd_);
    }

    /// The records read when the journal was opened, in the order they were written.
    const std::vector<record>& finished() const noexcept { return finished_; }

    /// The intact records of the journal at `path` (none if it does not exist), without
    /// opening it for a search.
    static std::vector<record> read(const std::string& path) {
        std::ifstream in(path, std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::vector<record> records;
        if (bytes.size() < header_size || std::memcmp(bytes.data(), magic, 8) != 0) return records;
        std::uint64_t tasks = 0;
        std::memcpy(&tasks, bytes.data() + 16, 8);
        read_records(bytes, tasks, records);
        return records;
    }

    /// Appends one outcome in one write.
    void append(std::uint64_t index, bool ok, const char* payload, std::size_t size) {
        byte_buffer r(record_overhead + size);
        const std::uint64_t length = size;
        const unsigned char flag = ok ? 1 : 0;
        std::memcpy(r.data(), &length, 8);
        std::memcpy(r.data() + 8, &index, 8);
        std::memcpy(r.data() + 16, &flag, 1);
        if (size != 0) std::memcpy(r.data() + 17, payload, size);
        const std::uint64_t sum = wire::fnv1a(r.data(), 17 + size);
        std::memcpy(r.data() + 17 + size, &sum, 8);
        write_all(r.data(), r.size());
    }

private:
    static constexpr char magic[9] = "BATONJ02";
    static constexpr std::size_t header_size = 32;

    /// Who computes the results: the revision the program names, else a hash of its executable
    /// file (read once; the same binary resubmitted has the same identity).
    static std::uint64_t program_identity(const std::string& revision) {
        if (!revision.empty()) return wire::fnv1a(revision.data(), revision.size(), wire::fnv1a("revision", 8));
        static const std::uint64_t executable = [] {
            std::ifstream in("/proc/self/exe", std::ios::binary);
            if (!in) return std::uint64_t{0};
            std::uint64_t hash = wire::fnv1a("executable", 10);
            std::vector<char> chunk(1 << 20);
            while (in) {
                in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
                hash = wire::fnv1a(chunk.data(), static_cast<std::size_t>(in.gcount()), hash);
            }
            return hash;
        }();
        return executable;
    }
    static constexpr std::size_t record_overhead = 8 + 8 + 1 + 8;

    static std::string hex(std::uint64_t v) {
        char text[20];
        std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(v));
        return text;
    }

    /// Reads whole, intact records after the header; returns where the last one ends.
    static std::size_t read_records(const std::string& bytes, std::uint64_t tasks, std::vector<record>& into) {
        std::size_t at = header_size;
        for (;;) {
            if (bytes.size() - at < record_overhead) return at;
            std::uint64_t length = 0, index = 0, sum = 0;
            std::memcpy(&length, bytes.data() + at, 8);
            if (length > bytes.size() - at - record_overhead) return at;  // cut short
            std::memcpy(&index, bytes.data() + at + 8, 8);
            const auto size = static_cast<std::size_t>(length);
            std::memcpy(&sum, bytes.data() + at + 17 + size, 8);
            if (sum != wire::fnv1a(bytes.data() + at, 17 + size) || index >= tasks) return at;  // damaged
            into.push_back(record{index, bytes[at + 16] != 0, bytes.substr(at + 17, size)});
            at += record_overhead + size;
        }
    }

    void write_all(const char* data, std::size_t size) {
        while (size > 0) {
            const ssize_t n = ::write(fd_, data, size);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) throw error(path_ + ": cannot write the checkpoint: " + std::strerror(errno));
            data += n;
            size -= static_cast<std::size_t>(n);
        }
    }

    std::string path_;
    int fd_ = -1;
    std::vector<record> finished_;
};

}  // namespace baton::detail
