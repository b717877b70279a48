// any_source and any_tag receive what was sent and report the right envelope; probes see
// messages without receiving them.
#include <doctest/doctest.h>

#include <set>
#include <vector>

#include <baton/baton.hpp>

TEST_CASE("root receives one message from every rank with any_source and any_tag") {
    baton::comm world;
    const baton::tag<std::vector<int>> t{100};
    // every rank (root too) sends rank+1 ints, with tag 100 + rank
    world.send(0, baton::tag<std::vector<int>>{100 + world.rank()},
               std::vector<int>(static_cast<std::size_t>(world.rank() + 1), world.rank()));
    world.on_root([&] {
        std::set<int> seen;
        for (int i = 0; i < world.size(); ++i) {
            auto m = world.recv_message<std::vector<int>>(baton::any_source, baton::any_tag);
            CHECK(m.envelope.tag == 100 + m.envelope.source);
            CHECK(m.envelope.count == static_cast<std::size_t>(m.envelope.source + 1));
            CHECK(m.value == std::vector<int>(m.value.size(), m.envelope.source));
            seen.insert(m.envelope.source);
        }
        CHECK(seen.size() == static_cast<std::size_t>(world.size()));
    });
    (void)t;
    world.barrier();
}

TEST_CASE("probe and iprobe report source, tag and count without receiving") {
    baton::comm world;
    const baton::tag<std::vector<double>> t{200};
    const int to = (world.rank() + 1) % world.size();
    const int from = (world.rank() + world.size() - 1) % world.size();
    world.send(to, t, std::vector<double>(17, 1.0));
    auto e = world.probe(from, t);
    CHECK(e.source == from);
    CHECK(e.tag == 200);
    CHECK(e.count == 17);
    auto bytes = world.probe(from, 200);
    CHECK(bytes.count == 17 * sizeof(double));
    auto again = world.iprobe(baton::any_source, t);
    REQUIRE(again.has_value());
    CHECK(again->count == 17);
    CHECK(world.recv(from, t).size() == 17);
    world.barrier();
    CHECK_FALSE(world.iprobe(baton::any_source, 200).has_value());
}
