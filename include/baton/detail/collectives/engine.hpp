#pragma once
// The collective operations behind basic_comm's collectives, a file per family. Plain values
// map straight onto MPI's collectives. Contiguous containers travel as their bytes and
// serialized payloads as their encoding (the comm's Encoding), with the lengths exchanged for
// the caller. A piece too long for MPI's int counts goes in rounds, each small enough that every
// count and displacement of the round fits an int.

#include <baton/detail/collectives/reduce.hpp>

namespace baton::detail {

/// Every collective of one communicator: broadcast (broadcast.hpp), scatter (scatter.hpp),
/// all_to_all (all_to_all.hpp), gather and all_gather (gather.hpp), reduce, all_reduce, scan and
/// exscan (reduce.hpp). Each family builds on the ones before it (a reduction may gather), and
/// all share the context and the byte rounds (base.hpp, byte_rounds.hpp).
template <class Encoding>
class collectives : public reduce_family<Encoding> {
public:
    using reduce_family<Encoding>::reduce_family;
};

}  // namespace baton::detail
