// Large contiguous payloads travel as a 15-byte header message and a body on the
// communicator's private duplicate (wire/header_message.hpp) where separate_body_from() says so
// (MPICH by default, every MPI under the eager_bodies variant), and otherwise with the header in
// one message through a two-block datatype (Open MPI by default, every MPI under the
// one_message variant). A receive must always get the header and the payload of the same send,
// whatever mix of sizes, sources, tags, receive kinds, probes and deadlines meets them.
#include <doctest/doctest.h>
#include <mpi.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include <baton/baton.hpp>

namespace {

using wire = baton::comm::wire_type;

/// The fewest payload bytes of a contiguous value that are not copied next to the header.
std::size_t large_from() {
    return wire::first_uncopied_payload();
}

/// Whether a contiguous payload of `bytes` travels as a header message and a body (on a
/// communicator with a body channel).
bool apart(std::size_t bytes) {
    return bytes >= wire::separate_body_from();
}

/// Elements of a vector<double> that takes the large path (apart, or in two blocks).
std::size_t big() {
    return large_from() / sizeof(double) + 5;
}

/// A vector whose every element says who sent it and which message it is.
std::vector<double> stamped(int from, int index, std::size_t n) {
    std::vector<double> v(n);
    for (std::size_t k = 0; k < n; ++k) v[k] = from * 1e9 + index * 1e5 + static_cast<double>(k % 1000);
    return v;
}

/// The size of the index-th message of a stream: small and large alternate irregularly.
std::size_t size_of(int index) {
    return index % 3 == 1 ? 7 : big() + static_cast<std::size_t>(index);
}

/// "n elements from rank r, message i" for a stamped vector, so that a failed check says
/// which message arrived instead.
std::string describe(const std::vector<double>& v) {
    if (v.empty()) return "an empty vector";
    const double first = v.front();
    const int from = static_cast<int>(first / 1e9);
    const int index = static_cast<int>((first - from * 1e9) / 1e5 + 0.5);
    return std::to_string(v.size()) + " elements from rank " + std::to_string(from) + ", message " +
           std::to_string(index);
}

int bytes_of(const MPI_Status& status) {
    int n = 0;
    MPI_Get_count(&status, MPI_BYTE, &n);
    return n;
}

}  // namespace

TEST_CASE("header messages: raw sizes show the path taken, on world and on baton-made communicators") {
    baton::comm world;
    if (world.size() == 1) return;  // messages to oneself always carry their payload
    for (baton::comm c : {world, world.dup()}) {
        const int to = (c.rank() + 1) % c.size();
        const int from = (c.rank() + c.size() - 1) % c.size();
        const baton::tag<std::vector<double>> t{5};
        // even ranks send first; odd ones receive first (no two blocking sends face each other)
        auto exchange = [&](std::size_t n) {
            std::vector<double> got;
            if (c.rank() % 2 == 1) {
                MPI_Status status;
                MPI_Probe(from, 5, c.native(), &status);
                const int raw = bytes_of(status);
                if (apart(n * sizeof(double))) {
                    CHECK(raw == 15);
                } else {
                    CHECK(raw == static_cast<int>(16 + n * sizeof(double)));
                }
                CHECK(c.probe(from, t).count == n);
                got = c.recv(from, t);
            }
            c.send(to, t, stamped(c.rank(), 1, n));
            if (c.rank() % 2 == 0) got = c.recv(from, t);
            CHECK(got == stamped(from, 1, n));
        };
        exchange(10);
        exchange(big());
        c.barrier();
    }
}

TEST_CASE("a communicator the program made itself keeps the header in front of the payload") {
    baton::comm world;
    if (world.size() == 1) return;
    MPI_Comm mine = MPI_COMM_NULL;
    MPI_Comm_dup(world.native(), &mine);
    {
        baton::comm c(mine);
        const baton::tag<std::vector<double>> t{6};
        if (c.rank() == 1) c.send(0, t, stamped(1, 2, big()));
        if (c.rank() == 0) {
            MPI_Status status;
            MPI_Probe(1, 6, mine, &status);
            CHECK(bytes_of(status) == static_cast<int>(16 + big() * sizeof(double)));
            CHECK(c.recv(1, t) == stamped(1, 2, big()));
        }
        c.barrier();
    }
    MPI_Comm_free(&mine);
}

TEST_CASE("wildcard source and tag: several senders, sizes on both sides of the threshold") {
    baton::comm world;
    const int per_sender = 12;
    auto send_stream = [&] {
        for (int i = 0; i < per_sender; ++i) {
            world.send(0, baton::tag<std::vector<double>>{20 + i % 3}, stamped(world.rank(), i, size_of(i)));
        }
    };
    // every rank sends root a stream with tags 20..22; root sends its own to itself first
    // (a send to oneself never blocks)
    if (world.rank() != 0) send_stream();
    world.on_root([&] {
        send_stream();
        std::map<std::pair<int, int>, int> last;  // (source, tag) -> the last index received
        for (int k = 0; k < per_sender * world.size(); ++k) {
            auto m = world.recv_message<std::vector<double>>(baton::any_source, baton::any_tag);
            REQUIRE(!m.value.empty());
            const int from = m.envelope.source;
            const int index = static_cast<int>((m.value[0] - from * 1e9) / 1e5 + 0.5);
            CHECK(m.envelope.tag == 20 + index % 3);
            CHECK(m.envelope.count == size_of(index));
            CHECK(m.value == stamped(from, index, size_of(index)));
            const auto key = std::make_pair(from, m.envelope.tag);
            if (last.count(key)) CHECK(last[key] < index);  // MPI's order per sender and tag
            last[key] = index;
        }
    });
    world.barrier();
}

TEST_CASE("receives by tag out of send order, irecvs posted before and after, wait_any") {
    baton::comm world;
    if (world.size() == 1) return;
    // pairs (0,1), (2,3): the even rank sends, the odd one receives
    if (world.rank() % 2 == 0 && world.rank() + 1 < world.size()) {
        const int to = world.rank() + 1;
        world.send(to, baton::tag<std::vector<double>>{31}, stamped(world.rank(), 0, big()));      // A
        world.send(to, baton::tag<std::vector<double>>{32}, stamped(world.rank(), 1, big() + 1));  // B
        world.send(to, baton::tag<std::vector<double>>{31}, stamped(world.rank(), 2, 3));          // C
        world.send(to, baton::tag<std::vector<double>>{31}, stamped(world.rank(), 3, big() + 3));  // D
        world.send(to, baton::tag<std::vector<double>>{33}, stamped(world.rank(), 4, big() + 4));  // E
        world.send(to, baton::tag<std::vector<double>>{33}, stamped(world.rank(), 5, big() + 5));  // F
    }
    if (world.rank() % 2 == 1) {
        const int from = world.rank() - 1;
        // tag 32 is asked for first, and a receive for tag 31 posted before the messages exist
        std::vector<baton::recv_request<std::vector<double>>> r;
        r.push_back(world.irecv(from, baton::tag<std::vector<double>>{32}));
        r.push_back(world.irecv(from, baton::tag<std::vector<double>>{31}));
        r.push_back(world.irecv(from, baton::tag<std::vector<double>>{31}));
        std::map<std::size_t, std::vector<double>> got;
        for (int k = 0; k < 3; ++k) {
            const std::size_t i = baton::wait_any(r);
            got[i] = *r[i].test();
        }
        INFO("irecv 0 got " << describe(got[0]) << "; irecv 1 got " << describe(got[1]) << "; irecv 2 got "
                            << describe(got[2]));
        CHECK(got[0] == stamped(from, 1, big() + 1));
        CHECK(got[1] == stamped(from, 0, big()));
        CHECK(got[2] == stamped(from, 2, 3));
        // a blocking receive behind an irecv posted before it, and one posted after
        auto before = world.irecv(from, baton::tag<std::vector<double>>{31});
        CHECK(world.recv(from, baton::tag<std::vector<double>>{33}) == stamped(from, 4, big() + 4));
        auto after = world.irecv(from, baton::tag<std::vector<double>>{33});
        CHECK(after.wait() == stamped(from, 5, big() + 5));
        CHECK(before.wait() == stamped(from, 3, big() + 3));
    }
    world.barrier();
}

TEST_CASE("probe and iprobe report a header message's payload; the message stays receivable") {
    baton::comm world;
    const int to = (world.rank() + 1) % world.size();
    const int from = (world.rank() + world.size() - 1) % world.size();
    const baton::tag<std::vector<double>> t{40};
    auto receive = [&] {
        const auto e = world.probe(from, t);
        CHECK(e.source == from);
        CHECK(e.tag == 40);
        CHECK(e.count == big() + 2);
        CHECK(world.probe(baton::any_source, 40).count == (big() + 2) * sizeof(double));
        auto any = world.iprobe(baton::any_source, baton::any_tag);
        REQUIRE(any.has_value());
        CHECK(any->count == (big() + 2) * sizeof(double));
        CHECK(world.iprobe(from, t)->count == big() + 2);
        CHECK(world.recv(from, t) == stamped(from, 7, big() + 2));
        CHECK(world.recv(from, t) == stamped(from, 8, 2));
    };
    if (world.rank() % 2 == 1) receive();
    world.send(to, t, stamped(world.rank(), 7, big() + 2));
    world.send(to, t, stamped(world.rank(), 8, 2));
    if (world.rank() % 2 == 0) receive();
    world.barrier();
    CHECK_FALSE(world.iprobe(baton::any_source, baton::any_tag).has_value());
}

TEST_CASE("a deadline that passes while a body is in flight still delivers that body") {
    baton::comm world;
    if (world.size() == 1) return;
    const baton::tag<std::vector<double>> t{50};
    const std::size_t n = std::size_t{4} << 20;  // 32 MiB: its body takes far longer than the deadline
    if (world.rank() == 0) {
        world.send(1, t, stamped(0, 9, n));
        world.send(1, t, stamped(0, 10, 9));
    }
    if (world.rank() == 1) {
        while (!world.iprobe(0, t)) {
        }
        // matched at once; the body then takes milliseconds, far past the deadline
        CHECK(world.recv(0, t, std::chrono::microseconds(1)) == stamped(0, 9, n));
        CHECK(world.recv(0, t, std::chrono::seconds(30)) == stamped(0, 10, 9));
        CHECK_THROWS_AS(world.recv(0, t, std::chrono::milliseconds(5)), baton::timeout_error);
    }
    world.barrier();
}

TEST_CASE("a header message of another type is refused and its body taken, not left for the next receive") {
    baton::comm world;
    if (world.size() == 1) return;
    if (world.rank() == 0) {
        world.send(1, 60, stamped(0, 11, big()));                // vector<double>
        world.send(1, 60, std::vector<float>(big(), 2.5f));      // then vector<float>, both large
        world.send(1, 60, std::vector<float>(2 * big(), 3.5f));  // as many bytes as big() doubles
        world.send(1, 60, std::vector<float>(3, 1.5f));
    }
    if (world.rank() == 1) {
        CHECK_THROWS_WITH_AS(world.recv<std::vector<float>>(0, 60),
                             "rank 1 expected std::vector<float> from rank 0 tag 60, got std::vector<double>",
                             baton::type_mismatch);
        CHECK(world.recv<std::vector<float>>(0, 60) == std::vector<float>(big(), 2.5f));
        // refused into a vector it already holds: kept as it was, or emptied where the message
        // was received into it (a two-block message), never left holding the other type's bytes
        const std::vector<double> before(4, 9.0);
        std::vector<double> kept = before;
        CHECK_THROWS_AS(world.recv_into(0, baton::tag<std::vector<double>>{60}, kept), baton::type_mismatch);
        CHECK((kept == before || kept.empty()));
        auto r = world.irecv<std::vector<double>>(0, 60);
        CHECK_THROWS_AS(r.wait(), baton::type_mismatch);
    }
    world.barrier();
}

TEST_CASE("sends to oneself, large and small, mixed with sends from others") {
    baton::comm world;
    const baton::tag<std::vector<double>> t{70};
    world.send(world.rank(), t, stamped(world.rank(), 12, big() + 12));
    world.send(world.rank(), t, stamped(world.rank(), 13, 5));
    if (world.size() > 1) {
        const int to = (world.rank() + 1) % world.size();
        const int from = (world.rank() + world.size() - 1) % world.size();
        // odd ranks receive first: an irecv matches only when tested or waited on, so two
        // ranks blocked in large sends to each other would wait forever (as with MPI_Send)
        if (world.rank() % 2 == 1) CHECK(world.recv(from, t) == stamped(from, 14, big() + 14));
        world.send(to, t, stamped(world.rank(), 14, big() + 14));
        if (world.rank() % 2 == 0) CHECK(world.recv(from, t) == stamped(from, 14, big() + 14));
    }
    CHECK(world.recv(world.rank(), t) == stamped(world.rank(), 12, big() + 12));
    CHECK(world.recv(world.rank(), t) == stamped(world.rank(), 13, 5));
    world.barrier();
}

TEST_CASE("a large struct and a large string take the same path") {
    struct block {
        double values[4096];
    };
    baton::comm world;
    const int to = (world.rank() + 1) % world.size();
    const int from = (world.rank() + world.size() - 1) % world.size();
    block mine{};
    for (int k = 0; k < 4096; ++k) mine.values[k] = world.rank() + k;
    const std::string text(large_from() + 3, static_cast<char>('a' + world.rank()));
    auto receive = [&] {
        const block got = world.recv<block>(from, 80);
        CHECK(got.values[4095] == from + 4095);
        CHECK(world.recv<std::string>(from, 81) == std::string(large_from() + 3, static_cast<char>('a' + from)));
    };
    if (world.rank() % 2 == 1) receive();
    world.send(to, 80, mine);
    world.send(to, 81, text);
    if (world.rank() % 2 == 0) receive();
    world.barrier();
}

namespace {
/// A vector<string> whose encoding is longer than any message a checked comm sends whole.
std::vector<std::string> many_names(int from, int index) {
    std::vector<std::string> v;
    for (int k = 0; k < 3000; ++k) v.push_back("name " + std::to_string(from) + "/" + std::to_string(index + k));
    return v;
}
}  // namespace

// Where receives skip the probe, no checked message may be longer than longest_whole_message;
// elsewhere a serialized payload travels whole, its header in front, however long.
TEST_CASE(
    "a serialized payload longer than a whole message travels as a header message where receives skip the probe") {
    baton::comm world;
    const int to = (world.rank() + 1) % world.size();
    const int from = (world.rank() + world.size() - 1) % world.size();
    const baton::tag<std::vector<std::string>> t{90};
    const std::vector<std::string> small{"a", "bc"};
    auto receive = [&] {
        MPI_Status status;
        MPI_Probe(from, 90, world.native(), &status);
        // probe reports the same payload bytes as the receive's envelope
        const std::size_t probed = world.probe(from, t).count;
        CHECK(bytes_of(status) == (baton::config::receive_without_probe ? 15 : static_cast<int>(16 + probed)));
        const auto got = world.recv_message(from, t);
        CHECK(got.envelope.count == probed);
        CHECK(probed > wire::longest_whole_message);
        CHECK(got.value == many_names(from, 1));
        const std::size_t small_probed = world.probe(from, t).count;
        const auto got_small = world.recv_message(from, t);
        CHECK(got_small.envelope.count == small_probed);
        CHECK(got_small.value == small);
    };
    if (world.rank() % 2 == 1) receive();
    world.send(to, t, many_names(world.rank(), 1));
    world.send(to, t, small);
    if (world.rank() % 2 == 0) receive();
    world.barrier();
}

TEST_CASE("isend frames large payloads the same way; irecvs, wait_any and any_source take them whole") {
    baton::comm world;
    const int to = (world.rank() + 1) % world.size();
    const baton::tag<std::vector<std::string>> names{91};
    const baton::tag<std::vector<double>> values{92};
    auto a = world.isend(to, names, many_names(world.rank(), 2));
    auto b = world.isend(to, values, stamped(world.rank(), 3, big() + 30));
    auto c = world.isend(to, names, std::vector<std::string>{"tail"});
    MPI_Status status;
    MPI_Probe(baton::any_source, 91, world.native(), &status);
    if (baton::config::receive_without_probe) CHECK(bytes_of(status) == 15);
    const int from = status.MPI_SOURCE;
    std::vector<baton::recv_request<std::vector<std::string>>> r;
    r.push_back(world.irecv(baton::any_source, names));
    r.push_back(world.irecv(from, names));
    std::map<std::size_t, std::vector<std::string>> got;
    for (int k = 0; k < 2; ++k) {
        const std::size_t i = baton::wait_any(r);
        got[i] = *r[i].test();
    }
    CHECK(got[0] == many_names(from, 2));
    CHECK(got[1] == std::vector<std::string>{"tail"});
    CHECK(world.recv(baton::any_source, values) == stamped(from, 3, big() + 30));
    baton::wait_all(a, b, c);
    world.barrier();
}

TEST_CASE("the framing limits from the environment: a whole number of bytes, or an error naming it") {
    // Both BATON_SEPARATE_BODY_FROM and BATON_COPIED_MESSAGE_LIMIT are read this way (once).
    const char* name = "BATON_TEST_FRAMING_BYTES";
    unsetenv(name);
    CHECK(baton::config::bytes_from_environment(name, 4096) == 4096);
    setenv(name, "", 1);
    CHECK(baton::config::bytes_from_environment(name, 4096) == 4096);
    setenv(name, "64", 1);
    CHECK(baton::config::bytes_from_environment(name, 4096) == 64);
    setenv(name, "64k", 1);
    CHECK_THROWS_WITH_AS(baton::config::bytes_from_environment(name, 4096),
                         "BATON_TEST_FRAMING_BYTES=64k: expected a whole number of bytes", baton::usage_error);
    setenv(name, "-1", 1);
    CHECK_THROWS_AS(baton::config::bytes_from_environment(name, 4096), baton::usage_error);
    unsetenv(name);
}
