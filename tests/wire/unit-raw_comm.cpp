// raw_comm sends plain MPI messages: what it sends, raw MPI receives, and the other way round.
#include <doctest/doctest.h>

#include <map>
#include <vector>

#include <baton/baton.hpp>

TEST_CASE("raw_comm messages are plain MPI_DOUBLE arrays") {
    baton::raw_comm raw;
    const int me = raw.rank();
    raw.send(me, 500, std::vector<double>{1.0, 2.0, 3.0});
    double buffer[3] = {0, 0, 0};
    MPI_Recv(buffer, 3, MPI_DOUBLE, me, 500, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    CHECK(buffer[2] == 3.0);

    const int sent[4] = {4, 3, 2, 1};
    MPI_Request request;
    MPI_Isend(sent, 4, MPI_INT, me, 501, MPI_COMM_WORLD, &request);
    CHECK(raw.recv<std::vector<int>>(me, 501) == std::vector<int>{4, 3, 2, 1});
    MPI_Wait(&request, MPI_STATUS_IGNORE);
}

TEST_CASE("raw_comm refuses a message that does not fit the type instead of truncating it") {
    baton::raw_comm raw;
    const int me = raw.rank();
    raw.send(me, 502, std::vector<double>{1.0, 2.0});
    CHECK_THROWS_WITH_AS((void)raw.recv<double>(me, 502), doctest::Contains("holds 2 units"), baton::message_error);
    raw.send(me, 503, std::vector<char>{'a', 'b', 'c'});
    CHECK_THROWS_AS((void)raw.recv<std::vector<double>>(me, 503), baton::message_error);
    raw.send(me, 504, std::map<int, int>{{1, 2}});
    const auto m = raw.recv<std::map<int, int>>(me, 504);
    CHECK(m.at(1) == 2);
}
