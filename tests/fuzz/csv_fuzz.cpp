// libFuzzer target for the CSV reader: any input either loads or throws baton::error; a
// crash, a hang or a sanitizer report is a bug. Built and run by scripts/fuzz.sh.
#include <sys/mman.h>
#include <unistd.h>

#include <baton/dataset/local_dataset.hpp>
#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // The reader maps a file; an in-memory file gives it one without touching the disk.
    static const int fd = ::memfd_create("baton-csv-fuzz", 0);
    static const std::string path = "/proc/self/fd/" + std::to_string(fd);
    if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, data, size, 0) != static_cast<ssize_t>(size)) return 0;
    baton::csv_options options;
    if (size > 0) {
        // Let the first byte vary a few options, so they are explored too.
        options.header = (data[0] & 1) == 0;
        options.max_rows = (data[0] & 2) ? 3 : options.max_rows;
        options.partition = {(data[0] >> 2) % 3, 3};
        if ((data[0] & 0x20) == 0) options.partition = {};
    }
    try {
        auto ds = baton::local_dataset::read_csv(path, options);
        // Touch every column the way users do.
        for (const auto& name : ds.column_names()) {
            switch (ds.type_of(name)) {
                case baton::column_type::integer: (void)ds.column<std::int64_t>(name); break;
                case baton::column_type::real: (void)ds.column<double>(name); break;
                case baton::column_type::text: (void)ds.column<std::string_view>(name); break;
            }
            for (std::size_t r = 0; r < ds.rows() && r < 4; ++r) (void)ds.cell(name, r);
        }
    } catch (const baton::error&) {
    }
    return 0;
}
