// The C++ side of baton's Python-peer tests: runs the steps of tests/peers/peer.py, in the same
// order, on baton::python_comm. Throws (ending the job) on any difference.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include <baton/baton.hpp>
#include <baton/peers/python_comm.hpp>
#include <baton/py/object.hpp>

namespace {

using ints = std::vector<std::int64_t>;

void check(bool condition, const std::string& what) {
    if (!condition) throw std::runtime_error("(c++): " + what);
}

template <class T, class E = baton::error>
std::string error_of(const baton::python_comm& world, int source, int t) {
    try {
        (void)world.recv<T>(source, t);
    } catch (const E& e) {
        return e.what();
    }
    return "no error";
}

void point_to_point(const baton::python_comm& world, int python) {
    const auto items = world.recv<std::int64_t>(python, 1);
    for (std::int64_t i = 0; i < items; ++i) world.send(python, 3, world.recv<baton::py::object>(python, 2));

    world.send(python, 11, [&] {
        double sum = 0;
        for (double v : world.recv<std::vector<double>>(python, 10)) sum += v;
        return sum;
    }());
    world.send(python, 13, error_of<std::vector<double>, baton::type_mismatch>(world, python, 12));
    world.send(python, 15, error_of<baton::py::object, baton::message_error>(world, python, 14));
    world.send(python, 17, error_of<std::int64_t>(world, python, 16));
    world.send(python, 19, std::string(world.recv<std::optional<int>>(python, 18) ? "some" : "none"));

    auto incoming = world.irecv<std::map<std::string, ints>>(python, 20);
    const auto map = incoming.wait();
    check(map.at("x") == ints{1, 2, 3}, "irecv of a dict of lists");
    auto sent = world.isend(python, 21, std::tuple<std::string, int>{"tuple", 7});
    sent.wait();
    const baton::envelope probed = world.probe(python, 22);
    check(probed.source == python && probed.tag == 22, "probe's envelope");
    (void)world.recv<std::string>(python, 22);
    world.send(python, 23, static_cast<std::int64_t>(probed.count));
    using bytes = std::vector<std::byte>;
    const bytes suffix = [] {
        const std::string text = ", and back";
        bytes b;
        for (char c : text) b.push_back(static_cast<std::byte>(c));
        return b;
    }();
    bytes reply = world.recv<bytes>(python, 24);
    reply.insert(reply.end(), suffix.begin(), suffix.end());
    world.send(python, 25, reply);
    check(world.sendrecv(python, baton::tag<std::string>(26), std::string("from c++"), python,
                         baton::tag<std::string>(27)) == "from c++, and back",
          "sendrecv");
    check(!world.iprobe(python, 99).has_value(), "iprobe of nothing");
    bool timed_out = false;
    try {
        (void)world.recv<int>(python, 98, std::chrono::milliseconds(20));
    } catch (const baton::timeout_error&) {
        timed_out = true;
    }
    check(timed_out, "a receive with a deadline and no message");
}

void collectives(const baton::python_comm& world, const std::vector<std::string>& kinds) {
    const int rank = world.rank();
    const int size = world.size();
    for (int root = 0; root < size; ++root) {
        std::map<std::string, baton::py::object> value;
        if (rank == root) value = {{"root", baton::py::object(root)}, {"kind", baton::py::object(kinds[root])}};
        world.broadcast(value, root);
        check(value.at("root") == baton::py::object(root) && value.at("kind") == baton::py::object(kinds[root]),
              "broadcast from " + std::to_string(root));
        const auto gathered = world.gather(ints{rank, rank * 10}, root);
        check(gathered.has_value() == (rank == root), "gather's result only on the root");
        if (gathered) {
            for (int r = 0; r < size; ++r)
                check((*gathered)[r] == ints{r, r * 10}, "gather to " + std::to_string(root));
        }
        std::vector<ints> pieces;
        if (rank == root)
            for (int r = 0; r < size; ++r) pieces.push_back(ints{root, r});
        check(world.scatter(pieces, root) == ints{root, rank}, "scatter from " + std::to_string(root));
    }
    const auto names = world.all_gather(std::string("rank ") + std::to_string(rank));
    for (int r = 0; r < size; ++r) check(names[r] == "rank " + std::to_string(r), "all_gather");
    std::vector<ints> to_each;
    for (int r = 0; r < size; ++r) to_each.push_back(ints{rank, r});
    const auto from_each = world.all_to_all(to_each);
    for (int r = 0; r < size; ++r) check(from_each[r] == ints{r, rank}, "all_to_all");
    world.barrier();
}

}  // namespace

int main(int argc, char** argv) {
    baton::environment env(argc, argv, baton::python_peers);
    baton::python_comm world;
    const auto kinds = world.all_gather(std::string("c++"));
    int python = -1;
    int first_cxx = -1;
    for (int r = 0; r < world.size(); ++r) {
        if (kinds[r] == "python" && python < 0) python = r;
        if (kinds[r] == "c++" && first_cxx < 0) first_cxx = r;
    }
    check(python >= 0, "no Python rank in the job");
    if (world.rank() == first_cxx) point_to_point(world, python);
    collectives(world, kinds);
    std::printf("rank %d (c++): every step passed\n", world.rank());
}
