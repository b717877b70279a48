// Writes a dataset with write_csv for tests/dataset/check_with_pandas.py, and beside it what
// pandas must read back: per column its name, its kind (integer, real, text) and its values
// (reals in hexadecimal, to compare bit for bit; missing values as <missing>).
#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>

#include <baton/dataset/local_dataset.hpp>

int main(int argc, char** argv) {
    if (argc != 3) return 2;
    const auto ds = baton::local_dataset::parse_csv(
        "id,\"name, full\",score,ratio,note,big,whole\n"
        "1,\"Lee, A\",2.5,2,plain,12,1.0\n"
        "-7,\"say \"\"hi\"\"\",,1e-300,\"two\nlines\",-9223372036854775807,2.0\n"
        "42,bo,0.1,-0.0,,3,3.0\n"
        "3,x,1e300,inf,last,4,4.0\n"
        "5,\"  spaced  \",123456789.125,0.3333333333333333,\"a;b\",5,5.0\n");
    ds.write_csv(argv[1]);
    std::ofstream expected(argv[2]);
    for (const auto& name : ds.column_names()) {
        const auto type = ds.type_of(name);
        expected << name << '\n'
                 << (type == baton::column_type::integer ? "integer"
                     : type == baton::column_type::real  ? "real"
                                                         : "text")
                 << '\n';
        for (std::size_t r = 0; r < ds.rows(); ++r) {
            if (ds.is_missing(name, r)) {
                expected << "<missing>\n";
            } else if (type == baton::column_type::integer) {
                expected << ds.column<std::int64_t>(name)[r] << '\n';
            } else if (type == baton::column_type::real) {
                char hex[64];
                std::snprintf(hex, sizeof hex, "%a", ds.column<double>(name)[r]);
                expected << hex << '\n';
            } else {
                std::string v(ds.column<std::string_view>(name)[r]);
                for (auto& ch : v)
                    if (ch == '\n') ch = '\x01';  // one line per value in this file
                expected << v << '\n';
            }
        }
    }
    return expected ? 0 : 1;
}
