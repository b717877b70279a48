// python_float, python_repr and python_list write what Python 3's repr() writes; println
// writes a whole line in one write(2).
#include <doctest/doctest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmath>
#include <iostream>
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

namespace {
// Standard output redirected to a packet socket for the scope: each write(2) arrives as one
// packet, so the packets show how many writes a line took.
class writes_to_stdout {
public:
    writes_to_stdout() {
        REQUIRE(::socketpair(AF_UNIX, SOCK_SEQPACKET, 0, ends_) == 0);
        std::cout.flush();
        saved_ = ::dup(STDOUT_FILENO);
        ::dup2(ends_[0], STDOUT_FILENO);
    }
    ~writes_to_stdout() {
        std::cout.flush();
        ::dup2(saved_, STDOUT_FILENO);
        ::close(saved_);
        ::close(ends_[0]);
        ::close(ends_[1]);
    }
    std::vector<std::string> packets() {
        std::vector<std::string> got;
        char buffer[4096];
        for (;;) {
            const ssize_t n = ::recv(ends_[1], buffer, sizeof buffer, MSG_DONTWAIT);
            if (n <= 0) return got;
            got.emplace_back(buffer, static_cast<std::size_t>(n));
        }
    }

private:
    int ends_[2] = {-1, -1};
    int saved_ = -1;
};
}  // namespace

TEST_CASE("println writes a whole line in one write; std::cout's pieces take several") {
    writes_to_stdout out;
    baton::println("Hello from ", 3, ".  There are a total of ", 4, " of us.");
    baton::println(baton::python_list(std::vector<double>{0.5, 1e-5}));
    CHECK(out.packets() ==
          std::vector<std::string>{"Hello from 3.  There are a total of 4 of us.\n", "[0.5, 1e-05]\n"});
    // the control: the same line in pieces, flushed as a terminal or a full buffer would
    std::cout << "Hello from " << std::flush << 3 << std::flush << ".\n" << std::flush;
    CHECK(out.packets().size() == 3);
}
