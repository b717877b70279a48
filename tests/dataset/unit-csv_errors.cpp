// Bad CSV input gets a csv_error naming the file, the line and the problem.
#include <doctest/doctest.h>

#include <string>

#include <baton/dataset/local_dataset.hpp>

#include "support/temp_file.hpp"

using baton::local_dataset;
using baton_test::temp_file;

namespace {
std::string error_of(const std::string& text, const baton::csv_options& options = {}) {
    temp_file f(text);
    try {
        (void)local_dataset::read_csv(f.path(), options);
    } catch (const baton::csv_error& e) {
        const std::string what = e.what();
        CHECK(what.rfind(f.path(), 0) == 0);  // starts with the file name
        return what.substr(f.path().size());
    }
    return "no error";
}
}  // namespace

TEST_CASE("a row with more fields than the header") {
    CHECK(error_of("a,b,c\n1,2,3\n4,5,6\n7,8,9,10\n") == ":4: expected 3 fields, saw 4");
}

TEST_CASE("line numbers count quoted newlines and blank lines") {
    CHECK(error_of("a,b\n\"x\ny\",1\n\n2,3,4\n") == ":5: expected 2 fields, saw 3");
}

TEST_CASE("an unterminated quote at the end of the file") {
    CHECK(error_of("a,b\n1,\"open\n2,3\n").find(":2: unterminated quoted field") == 0);
}

TEST_CASE("an empty file") {
    CHECK(error_of("") == ": the file is empty (no header, no data)");
}

TEST_CASE("a missing file names the path and the system's reason") {
    try {
        (void)local_dataset::read_csv("/nonexistent/studentpor_bigger.csv");
        FAIL("no error");
    } catch (const baton::csv_error& e) {
        CHECK(std::string(e.what()) ==
              "/nonexistent/studentpor_bigger.csv: cannot open the file: No such file or directory");
        CHECK(e.line() == 0);
    }
    CHECK_THROWS_WITH_AS((void)local_dataset::read_csv("/tmp"), doctest::Contains("is a directory"), baton::csv_error);
}

TEST_CASE("a forced type that a value does not fit names the column and the line") {
    baton::csv_options o;
    o.types = {{"age", baton::column_type::integer}};
    CHECK(error_of("age\n17\nseventeen\n", o) ==
          ":3: column 'age': cannot read 'seventeen' as an integer (the type was given in csv_options::types)");
}

TEST_CASE("an unknown column in usecols or types") {
    baton::csv_options o;
    o.columns = {"G4"};
    CHECK(error_of("G1,G2,G3\n1,2,3\n", o) == ":1: column 'G4': no such column; the header has G1, G2, G3");
}

TEST_CASE("csv_error is a baton::error") {
    temp_file f("a\n\"x");
    CHECK_THROWS_AS((void)local_dataset::read_csv(f.path()), baton::error);
}
