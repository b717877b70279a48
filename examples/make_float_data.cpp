// Writes a float-heavy CSV, the shape of simulation output or sensor logs: 2 integer columns
// and 10 real columns of mixed magnitudes, signs and exponents, with a few missing values,
// each real written as C's "%.17g" writes it (all 17 significant digits; NaN as "nan").
// Deterministic from the seed.
//
//   make_float_data --rows 1500000 --seed 1 --out floats.csv
#include <cmath>
#include <cstdint>
#include <cstdio>

#include "generator_command_line.hpp"
#include "splitmix.hpp"

int main(int argc, char** argv) {
    const example::generator_command_line command_line("make_float_data",
                                                       "usage: make_float_data --rows N --seed S --out FILE");
    const auto args = command_line.parse(argc, argv);
    std::FILE* out = command_line.open(args.path);
    std::fputs("step,sensor,temperature,pressure,strain,energy,velocity,flux,ratio,tiny,huge,phase\n", out);

    example::generator g(args.seed);
    const double nan = std::nan("");
    for (long long r = 0; r < args.rows; ++r) {
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
    command_line.close(out, args.path);
    return 0;
}
