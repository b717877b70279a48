// --help and usage errors for the MPI examples. Every rank parses the same arguments and so
// reaches the same verdict; rank 0 alone says it, and every rank returns the same status from
// main (0 for --help, 2 for a usage error), so the job ends without MPI_Abort and its noise.
#pragma once

#include <optional>
#include <string>

#include <baton/baton.hpp>

namespace example {

/// What main does after parsing: go on with `arguments`, or return `status`.
template <class Arguments>
struct parsed {
    std::optional<Arguments> arguments;
    int status = 0;
};

/// Runs `parse()` (which throws baton::usage_error on bad arguments) unless --help or -h is
/// among the arguments.
template <class Parse>
auto parse_command_line(const baton::comm& world, int argc, char** argv, const std::string& usage, Parse parse)
    -> parsed<decltype(parse())> {
    parsed<decltype(parse())> result;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            if (world.is_root()) baton::println(usage);
            return result;
        }
    }
    try {
        result.arguments = parse();
    } catch (const baton::usage_error& e) {
        if (world.is_root()) baton::eprintln(e.what(), "\n", usage);
        result.status = 2;
    }
    return result;
}

}  // namespace example
