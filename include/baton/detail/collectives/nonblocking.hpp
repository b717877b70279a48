#pragma once
// The operations behind ibarrier, ibroadcast, iall_gather and iall_reduce. Each is a
// collective_op (state/collective_queue.hpp) that owns every buffer it sends from or receives into,
// so the caller's argument may be a temporary. Where the other ranks cannot know a length
// (vectors, strings, serialized payloads), the lengths go first, on the program's communicator,
// and the data second, on its private duplicate, started in call order by the queue.

#include <mpi.h>

#include <climits>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <baton/detail/byte_buffer.hpp>
#include <baton/detail/codec/payload_traits.hpp>
#include <baton/detail/collectives/builtin_ops.hpp>
#include <baton/detail/collectives/fold.hpp>
#include <baton/detail/collectives/layout.hpp>
#include <baton/detail/collectives/length_bounds.hpp>
#include <baton/detail/collectives/piece_codec.hpp>
#include <baton/detail/mpi/check.hpp>
#include <baton/detail/mpi/count_type.hpp>
#include <baton/detail/state/collective_queue.hpp>
#include <baton/detail/state/comm_state.hpp>
#include <baton/error.hpp>

namespace baton::detail {

/// A collective in flight and the value it produces.
template <class T>
struct collective_result : collective_op {
    T value{};
};
template <>
struct collective_result<void> : collective_op {};

template <class Encoding>
class nonblocking_collectives {
public:
    nonblocking_collectives(MPI_Comm comm, comm_state& state, int rank, int size)
        : comm_(comm), state_(state), rank_(rank), size_(size) {}

    std::shared_ptr<collective_result<void>> ibarrier() const {
        auto op = std::make_shared<collective_result<void>>();
        const MPI_Comm c = comm_;
        op->add_step([c](MPI_Request& r) { check_mpi(MPI_Ibarrier(c, &r), "MPI_Ibarrier"); });
        state_.collectives.start(op);
        return op;
    }

    template <class T>
    std::shared_ptr<collective_result<T>> ibroadcast(const T& value, int root) const {
        if constexpr (kind_v<T> == payload_kind::fixed) {
            auto op = std::make_shared<collective_result<T>>();
            op->value = value;
            T* into = &op->value;
            const MPI_Comm c = comm_;
            op->add_step([into, root, c](MPI_Request& r) {
                check_mpi(MPI_Ibcast(into, static_cast<int>(sizeof(T)), MPI_BYTE, root, c, &r), "MPI_Ibcast");
            });
            state_.collectives.start(op);
            return op;
        } else {
            struct broadcast_op : collective_result<T> {
                piece bytes;  // root: what it sends; others: what they receive
                std::uint64_t size = 0;
                std::optional<count_type> whole;
            };
            auto op = std::make_shared<broadcast_op>();
            broadcast_op* o = op.get();
            if (rank_ == root) {
                o->value = value;
                o->bytes = encode_piece<Encoding>(comm_, o->value);
                o->size = o->bytes.size;
            }
            const MPI_Comm c = comm_, data_comm = state_.internal(comm_);
            const int me = rank_;
            o->add_step([o, root, c](MPI_Request& r) {
                check_mpi(MPI_Ibcast(&o->size, 1, MPI_UINT64_T, root, c, &r), "MPI_Ibcast");
            });
            o->add_step([o, root, me, data_comm](MPI_Request& r) {
                const auto n = static_cast<std::size_t>(o->size);
                char* data = const_cast<char*>(o->bytes.data);  // the root's is only read
                if (me != root) {
                    o->bytes.storage.resize(n);
                    data = o->bytes.storage.data();
                }
                o->whole.emplace(n, MPI_BYTE);
                check_mpi(MPI_Ibcast(data, o->whole->count(), o->whole->type(), root, data_comm, &r), "MPI_Ibcast");
            });
            const MPI_Comm decode_comm = comm_;
            o->on_finish([o, root, me, decode_comm] {
                if (me == root) return;
                decode_piece<Encoding>(decode_comm, o->bytes.storage.data(), o->bytes.storage.size(), o->value, me,
                                       root, "ibroadcast");
            });
            state_.collectives.start(op);
            return op;
        }
    }

    template <class T>
    std::shared_ptr<collective_result<std::vector<T>>> iall_gather(const T& value) const {
        return start_all_gather<std::vector<T>>(
            value, [](std::vector<T>&& all, std::vector<T>& out) { out = std::move(all); });
    }

    template <class T, class Op>
    std::shared_ptr<collective_result<T>> iall_reduce(const T& value, Op op) const {
        using E = typename unit_of<T>::type;
        if constexpr (kind_v<T> != payload_kind::serialized && builtin_reduction<Op, E>::available) {
            struct reduce_op : collective_result<T> {
                T in{};
                length_bounds lengths{};
            };
            auto r = std::make_shared<reduce_op>();
            reduce_op* o = r.get();
            o->in = value;
            o->value = value;
            const MPI_Comm c = comm_;
            const MPI_Datatype type = builtin_reduction<Op, E>::type();
            const MPI_Op mpi_op = builtin_reduction<Op, E>::op();
            if constexpr (kind_v<T> == payload_kind::fixed) {
                o->add_step([o, c, type, mpi_op](MPI_Request& req) {
                    check_mpi(MPI_Iallreduce(&o->in, &o->value, 1, type, mpi_op, c, &req), "MPI_Iallreduce");
                });
            } else {
                // element-wise: every rank must contribute the same length
                o->lengths = length_bounds::of(value.size());
                const MPI_Comm data_comm = state_.internal(comm_);
                const int me = rank_;
                o->add_step([o, c](MPI_Request& req) {
                    check_mpi(MPI_Iallreduce(MPI_IN_PLACE, &o->lengths, 2, MPI_UINT64_T, MPI_MAX, c, &req),
                              "MPI_Iallreduce");
                });
                o->add_step([o, data_comm, type, mpi_op, me](MPI_Request& req) {
                    if (!o->lengths.agree() || o->in.size() > static_cast<std::size_t>(INT_MAX)) {
                        throw usage_error("rank " + std::to_string(me) +
                                          ": element-wise iall_reduce needs vectors of one length (at most "
                                          "INT_MAX) on every rank; this rank has " +
                                          std::to_string(o->in.size()));
                    }
                    check_mpi(MPI_Iallreduce(o->in.data(), o->value.data(), static_cast<int>(o->in.size()), type,
                                             mpi_op, data_comm, &req),
                              "MPI_Iallreduce");
                });
            }
            state_.collectives.start(r);
            return r;
        } else {
            // Any other operation: gathered, then folded in rank order, as all_reduce does.
            return start_all_gather<T>(value, [op](std::vector<T>&& all, T& out) mutable {
                const std::size_t count = all.size();
                out = fold_in_rank_order(std::move(all), op, count);
            });
        }
    }

private:
    /// An all-gather whose gathered values `finish(values, result)` turns into the result.
    template <class R, class T, class Finish>
    std::shared_ptr<collective_result<R>> start_all_gather(const T& value, Finish finish) const {
        struct gather_op : collective_result<R> {
            std::vector<T> gathered;
            T mine_fixed{};
            piece mine;
            std::uint64_t my_size = 0;
            std::vector<std::uint64_t> sizes;
            std::vector<int> counts, displacements;
            byte_buffer all;
        };
        auto op = std::make_shared<gather_op>();
        gather_op* o = op.get();
        const MPI_Comm c = comm_;
        const int n = size_, me = rank_;
        o->gathered.resize(static_cast<std::size_t>(n));
        if constexpr (kind_v<T> == payload_kind::fixed) {
            o->mine_fixed = value;
            o->add_step([o, c](MPI_Request& r) {
                const int bytes = static_cast<int>(sizeof(T));
                check_mpi(MPI_Iallgather(&o->mine_fixed, bytes, MPI_BYTE, o->gathered.data(), bytes, MPI_BYTE, c, &r),
                          "MPI_Iallgather");
            });
        } else {
            o->mine = encode_piece<Encoding>(comm_, value);
            o->mine.keep_a_copy();  // the caller's value may go away before the collective ends
            o->my_size = o->mine.size;
            o->sizes.resize(static_cast<std::size_t>(n));
            const MPI_Comm data_comm = state_.internal(comm_);
            o->add_step([o, c](MPI_Request& r) {
                check_mpi(MPI_Iallgather(&o->my_size, 1, MPI_UINT64_T, o->sizes.data(), 1, MPI_UINT64_T, c, &r),
                          "MPI_Iallgather");
            });
            o->add_step([o, data_comm, me](MPI_Request& r) {
                std::vector<std::size_t> offsets;
                const std::size_t total = one_after_another(o->sizes, offsets);
                if (total > static_cast<std::size_t>(INT_MAX)) {
                    throw usage_error("rank " + std::to_string(me) +
                                      ": iall_gather of more than INT_MAX bytes in all; use all_gather, "
                                      "which sends them in rounds");
                }
                o->counts.assign(o->sizes.begin(), o->sizes.end());
                o->displacements.assign(offsets.begin(), offsets.end());
                o->all.resize(total);
                check_mpi(MPI_Iallgatherv(o->mine.data, static_cast<int>(o->mine.size), MPI_BYTE, o->all.data(),
                                          o->counts.data(), o->displacements.data(), MPI_BYTE, data_comm, &r),
                          "MPI_Iallgatherv");
            });
        }
        const MPI_Comm decode_comm = comm_;
        o->on_finish([o, me, decode_comm, finish]() mutable {
            (void)me;  // used only to decode what is not plain memory
            (void)decode_comm;
            if constexpr (kind_v<T> != payload_kind::fixed) {
                for (std::size_t i = 0; i < o->gathered.size(); ++i) {
                    decode_piece<Encoding>(decode_comm, o->all.data() + o->displacements[i],
                                           static_cast<std::size_t>(o->counts[i]), o->gathered[i], me,
                                           static_cast<int>(i), "iall_gather");
                }
            }
            finish(std::move(o->gathered), o->value);
        });
        state_.collectives.start(op);
        return op;
    }

    MPI_Comm comm_;
    comm_state& state_;
    int rank_;
    int size_;
};

}  // namespace baton::detail
