#pragma once
// The data generators' command line (--rows N --seed S --out FILE, --help, and a generator's
// own options) and their output file. A usage problem prints the problem and the usage and
// exits with status 2; a file that cannot be opened or written, status 1.
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <iostream>
#include <string>

namespace example {

struct generator_arguments {
    long long rows = -1;
    std::uint64_t seed = 1;
    std::string path;
};

class generator_command_line {
public:
    generator_command_line(std::string name, std::string usage) : name_(std::move(name)), usage_(std::move(usage)) {}

    [[noreturn]] void fail(const std::string& problem) const {
        std::cerr << name_ << ": " << problem << "\n" << usage_ << "\n";
        std::exit(2);
    }

    /// Parses argv; `own(arg, value)` handles the generator's own options and returns false for
    /// an argument it does not know (`value()` takes the option's value).
    generator_arguments parse(
        int argc, char** argv,
        const std::function<bool(const std::string&, const std::function<std::string()>&)>& own = {}) const {
        generator_arguments a;
        for (int i = 1; i < argc; ++i) {
            const std::string arg = argv[i];
            if (arg == "--help" || arg == "-h") {
                std::cout << usage_ << "\n";
                std::exit(0);
            }
            const std::function<std::string()> value = [&]() -> std::string {
                if (i + 1 >= argc) fail("missing value after " + arg);
                return argv[++i];
            };
            if (arg == "--rows")
                a.rows = std::atoll(value().c_str());
            else if (arg == "--seed")
                a.seed = std::strtoull(value().c_str(), nullptr, 10);
            else if (arg == "--out")
                a.path = value();
            else if (!own || !own(arg, value))
                fail("unknown argument " + arg);
        }
        if (a.rows < 0) fail("--rows is required");
        if (a.path.empty()) fail("--out is required");
        return a;
    }

    /// The output file, with a large buffer; exits with status 1 if it cannot be opened.
    std::FILE* open(const std::string& path) const {
        std::FILE* out = std::fopen(path.c_str(), "wb");
        if (out == nullptr) {
            std::cerr << name_ << ": cannot write " << path << ": " << std::strerror(errno) << "\n";
            std::exit(1);
        }
        static char buffer[1 << 20];
        std::setvbuf(out, buffer, _IOFBF, sizeof buffer);
        return out;
    }

    /// Closes the output file; exits with status 1 if the data could not all be written.
    void close(std::FILE* out, const std::string& path) const {
        if (std::fclose(out) != 0) {
            std::cerr << name_ << ": writing " << path << " failed: " << std::strerror(errno) << "\n";
            std::exit(1);
        }
    }

private:
    std::string name_;
    std::string usage_;
};

}  // namespace example
