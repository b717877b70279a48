// Writes a float-heavy CSV, the shape of simulation output or sensor logs: 2 integer columns
// and 10 real columns of mixed magnitudes, signs and exponents, with a few missing values,
// each real written as C's "%.17g" writes it (all 17 significant digits; NaN as "nan").
// Deterministic from the seed.
//
//   make_float_data --rows 1500000 --seed 1 --out floats.csv
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

#include "splitmix.hpp"

namespace {

const char* const usage_text = "usage: make_float_data --rows N --seed S --out FILE";

[[noreturn]] void usage(const char* problem) {
    std::cerr << "make_float_data: " << problem << "\n" << usage_text << "\n";
    std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
    long long rows = -1;
    std::uint64_t seed = 1;
    std::string path;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            std::cout << usage_text << "\n";
            return 0;
        }
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage(("missing value after " + arg).c_str());
            return argv[++i];
        };
        if (arg == "--rows")
            rows = std::atoll(value().c_str());
        else if (arg == "--seed")
            seed = std::strtoull(value().c_str(), nullptr, 10);
        else if (arg == "--out")
            path = value();
        else
            usage(("unknown argument " + arg).c_str());
    }
    if (rows < 0) usage("--rows is required");
    if (path.empty()) usage("--out is required");
    std::FILE* out = std::fopen(path.c_str(), "wb");
    if (out == nullptr) {
        std::cerr << "make_float_data: cannot write " << path << ": " << std::strerror(errno) << "\n";
        return 1;
    }
    static char buffer[1 << 20];
    std::setvbuf(out, buffer, _IOFBF, sizeof buffer);
    std::fputs("step,sensor,temperature,pressure,strain,energy,velocity,flux,ratio,tiny,huge,phase\n", out);

    example::generator g(seed);
    const double nan = std::nan("");
    for (long long r = 0; r < rows; ++r) {
        const double sign = g.uniform() < 0.5 ? -1.0 : 1.0;
        const double values[10] = {
            15.0 + 10.0 * g.normal(),                              // temperature: around 15, both signs
            101325.0 + 800.0 * g.normal(),                         // pressure: large, narrow
            1e-6 * g.normal(),                                     // strain: small, signed
            std::exp(6.0 * g.normal()),                            // energy: exponents from e-10 to e+10
            sign * g.uniform() * 340.0,                            // velocity
            sign * std::pow(10.0, g.uniform() * 40.0 - 20.0),      // flux: 40 decades, signed
            g.uniform(),                                           // ratio in [0, 1)
            g.uniform() * 1e-300,                                  // tiny: near the smallest normals
            g.normal() * 1e300,                                    // huge
            g.uniform() < 0.01 ? nan : g.uniform() * 6.283185307,  // phase, 1% missing
        };
        std::fprintf(out, "%lld,%d", r, g.between(0, 999));
        for (double v : values) std::fprintf(out, ",%.17g", v);
        std::fputc('\n', out);
    }
    if (std::fclose(out) != 0) {
        std::cerr << "make_float_data: writing " << path << " failed: " << std::strerror(errno) << "\n";
        return 1;
    }
    return 0;
}
