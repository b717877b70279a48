// Rank 0 hands rank 1 a typed vector, as the tutorial does; exits non-zero if it arrives wrong.
#include <iostream>
#include <vector>

#include <baton/baton.hpp>

int main(int argc, char** argv) {
    baton::environment env(argc, argv);
    baton::comm world;
    constexpr baton::tag<std::vector<double>> params{11};
    world.on_root([&] { world.send(1, params, std::vector<double>{1.5, 2.5, 3.5}); });
    auto ok = world.on_rank(1, [&] { return world.recv(0, params) == std::vector<double>{1.5, 2.5, 3.5}; });
    if (ok && !*ok) return 1;
    if (ok) std::cout << "consumer: received the parameters (baton " << BATON_VERSION_STRING << ")" << std::endl;
    return 0;
}
