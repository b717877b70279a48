// Every rank prints many lines with baton::println at once; tests/drivers/check_lines.cmake
// checks that each line arrived whole (std::cout's pieces of a line interleave across ranks).
#include <string>

#include <baton/baton.hpp>

int main(int argc, char** argv) {
    baton::environment env(argc, argv);
    baton::comm world;
    const std::string body(150, static_cast<char>('a' + world.rank()));
    for (int i = 0; i < 300; ++i) baton::println("rank ", world.rank(), " line ", i, ": ", body);
    return 0;
}
