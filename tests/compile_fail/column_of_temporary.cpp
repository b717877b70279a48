// A column view of a temporary dataset would dangle: refused at compile time.
#include <baton/dataset/local_dataset.hpp>

int main() {
    auto view = baton::local_dataset::parse_csv("x\n1\n").column<double>("x");
    return static_cast<int>(view.size());
}
