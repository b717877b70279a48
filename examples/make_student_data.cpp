// Writes a synthetic student-performance CSV with the schema of the UCI data (shared/DATA.md),
// deterministically from a seed. G3 follows G1, G2, studytime and failures plus noise, so a
// model has something to learn.
//
//   make_student_data --rows 64900 --seed 1 --out studentpor_bigger.csv [--sep ';'] [--quote]
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

#include "generator_command_line.hpp"
#include "splitmix.hpp"

namespace {

using example::generator;

int clamp_grade(double g) {
    return std::clamp(static_cast<int>(std::lround(g)), 0, 20);
}

struct writer {
    std::FILE* out;
    char sep;
    bool quote;
    std::string line;
    void text(const char* s) {
        if (quote) line += '"';
        line += s;
        if (quote) line += '"';
        line += sep;
    }
    void number(int v) {
        line += std::to_string(v);
        line += sep;
    }
    void end() {
        line.back() = '\n';
        std::fwrite(line.data(), 1, line.size(), out);
        line.clear();
    }
};

}  // namespace

int main(int argc, char** argv) {
    const example::generator_command_line command_line(
        "make_student_data", "usage: make_student_data --rows N --seed S --out FILE [--sep ,|;] [--quote]");
    char sep = ',';
    bool quote = false;
    const auto args = command_line.parse(argc, argv, [&](const std::string& arg, const auto& value) {
        if (arg == "--sep") {
            const std::string s = value();
            if (s.size() != 1) command_line.fail("--sep takes one character");
            sep = s[0];
        } else if (arg == "--quote") {
            quote = true;
        } else {
            return false;
        }
        return true;
    });
    std::FILE* out = command_line.open(args.path);

    const char* header[] = {"school",   "sex",       "age",    "address",  "famsize",    "Pstatus",    "Medu",
                            "Fedu",     "Mjob",      "Fjob",   "reason",   "guardian",   "traveltime", "studytime",
                            "failures", "schoolsup", "famsup", "paid",     "activities", "nursery",    "higher",
                            "internet", "romantic",  "famrel", "freetime", "goout",      "Dalc",       "Walc",
                            "health",   "absences",  "G1",     "G2",       "G3"};
    writer w{out, sep, quote, {}};
    for (const char* h : header) w.text(h);
    w.end();

    static const char* const schools[] = {"GP", "MS"};
    static const char* const sexes[] = {"F", "M"};
    static const char* const addresses[] = {"U", "R"};
    static const char* const famsizes[] = {"LE3", "GT3"};
    static const char* const pstatus[] = {"T", "A"};
    static const char* const jobs[] = {"teacher", "health", "services", "at_home", "other"};
    static const char* const reasons[] = {"home", "reputation", "course", "other"};
    static const char* const guardians[] = {"mother", "father", "other"};
    static const char* const yes_no[] = {"yes", "no"};

    generator g(args.seed);
    for (long long r = 0; r < args.rows; ++r) {
        w.text(g.pick(schools));
        w.text(g.pick(sexes));
        w.number(g.between(15, 22));
        w.text(g.pick(addresses));
        w.text(g.pick(famsizes));
        w.text(g.pick(pstatus));
        w.number(g.between(0, 4));
        w.number(g.between(0, 4));
        w.text(g.pick(jobs));
        w.text(g.pick(jobs));
        w.text(g.pick(reasons));
        w.text(g.pick(guardians));
        w.number(g.between(1, 4));
        const int studytime = g.between(1, 4);
        w.number(studytime);
        const int failures = g.uniform() < 0.8 ? 0 : g.between(1, 3);
        w.number(failures);
        const char* higher = nullptr;
        for (int k = 0; k < 8; ++k) {
            const char* v = g.pick(yes_no);
            if (k == 5) higher = v;
            w.text(v);
        }
        for (int k = 0; k < 6; ++k) w.number(g.between(1, 5));
        w.number(std::min(32, static_cast<int>(std::fabs(g.normal()) * 6.0)));
        const double ability = g.normal();
        const double bonus = std::strcmp(higher, "yes") == 0 ? 0.8 : -0.8;
        const int g1 = clamp_grade(11.0 + 2.8 * ability + 0.6 * studytime - 1.6 * failures + bonus + g.normal());
        const int g2 = clamp_grade(g1 + 0.3 * studytime - 0.4 * failures + 1.2 * g.normal());
        const int g3 = clamp_grade(0.25 * g1 + 0.75 * g2 + 0.3 * studytime - 0.6 * failures + 1.3 * g.normal());
        w.number(g1);
        w.number(g2);
        w.number(g3);
        w.end();
    }
    command_line.close(out, args.path);
    return 0;
}
