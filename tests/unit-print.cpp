// python_float, python_repr and python_list write what Python 3's repr() writes; println
// writes a whole line at once (tests/drivers/print_lines.cpp checks it across ranks).
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <baton/print.hpp>

TEST_CASE("reals as Python's repr writes them") {
    // Each expected text is what python3 -c 'print(repr(v))' prints.
    CHECK(baton::python_float(0.1) == "0.1");
    CHECK(baton::python_float(100.0) == "100.0");
    CHECK(baton::python_float(1e-5) == "1e-05");
    CHECK(baton::python_float(0.0001) == "0.0001");
    CHECK(baton::python_float(5e-05) == "5e-05");
    CHECK(baton::python_float(1e16) == "1e+16");
    CHECK(baton::python_float(1e15) == "1000000000000000.0");
    CHECK(baton::python_float(123456789012345678.0) == "1.2345678901234568e+17");
    CHECK(baton::python_float(1.5) == "1.5");
    CHECK(baton::python_float(-0.0) == "-0.0");
    CHECK(baton::python_float(0.0) == "0.0");
    CHECK(baton::python_float(2.0 / 3) == "0.6666666666666666");
    CHECK(baton::python_float(1e-7) == "1e-07");
    CHECK(baton::python_float(5e-324) == "5e-324");
    CHECK(baton::python_float(1.7976931348623157e308) == "1.7976931348623157e+308");
    CHECK(baton::python_float(12345.678) == "12345.678");
    CHECK(baton::python_float(-2.5e-3) == "-0.0025");
    CHECK(baton::python_float(std::numeric_limits<double>::infinity()) == "inf");
    CHECK(baton::python_float(-std::numeric_limits<double>::infinity()) == "-inf");
    CHECK(baton::python_float(std::nan("")) == "nan");
}

TEST_CASE("lists as Python prints them") {
    CHECK(baton::python_list(std::vector<double>{0.5, 7.25, 1e-5, 3}) == "[0.5, 7.25, 1e-05, 3.0]");
    CHECK(baton::python_list(std::vector<int>{1, -2, 3}) == "[1, -2, 3]");
    CHECK(baton::python_list(std::vector<bool>{true, false}) == "[True, False]");
    CHECK(baton::python_list(std::vector<std::string>{"a", "it's", "\\"}) == R"(['a', "it's", '\\'])");
    CHECK(baton::python_list(std::vector<double>{}) == "[]");
}
