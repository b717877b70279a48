#pragma once
// read_csv with node_shared: one copy of the dataset per node. The ranks of the communicator
// are grouped by node (MPI_Comm_split_type, MPI_COMM_TYPE_SHARED); on each node its first rank
// reads the file as a private read would, then writes the columns' arrays into POSIX shared
// memory (shared_segment.hpp: a file a piece, the pieces written side by side by the reader's
// threads, laid out as shared_arrays.hpp says), freeing each column once it is written, and tells
// the node the files' names and the dataset's layout. Every rank of the node, the reader too,
// then builds its dataset from the layout with arrays borrowed from the files, read only. The
// names are unlinked once every rank of the node has mapped them: the memory goes with the last
// dataset that uses it, on whichever rank, with no MPI call (POSIX shared memory rather than an
// MPI window, whose MPI_Win_free is collective).
//
// The other ranks wait for the reader in MPI_Test and sleeps, not in a blocking MPI call that
// polls: they may share the reader's cores. What the reader meets (a CSV error, a node whose
// shared memory is too small) is announced to the node and thrown on each of its ranks with the
// same text; so is a rank's failure to map the block. With a partition, the nodes split the
// rows: the readers read the parts, one a node, collectively over a communicator of readers.

#include <malloc.h>
#include <mpi.h>

#include <chrono>
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <tuple>
#include <vector>

#include <baton/dataset/csv_error.hpp>
#include <baton/dataset/csv_options.hpp>
#include <baton/dataset/detail/column_encoding.hpp>
#include <baton/dataset/detail/reader.hpp>
#include <baton/dataset/detail/shared_arrays.hpp>
#include <baton/dataset/detail/shared_segment.hpp>
#include <baton/dataset/detail/table.hpp>
#include <baton/detail/byte_buffer.hpp>
#include <baton/detail/codec/native_codec.hpp>
#include <baton/detail/mpi/check.hpp>
#include <baton/detail/runtime/communicator_handle.hpp>
#include <baton/error.hpp>
#include <baton/wire/encodings.hpp>

namespace baton::detail::csv {

class node_shared_read {
public:
    node_shared_read(std::string path, const csv_options& options) : path_(std::move(path)), options_(options) {}

    /// The columns, their arrays in the node's shared copy; collective over
    /// options.node_shared_comm. Throws what the reader met, on every rank of the node.
    std::vector<column_store> read() {
        const MPI_Comm comm = options_.node_shared_comm;
        int rank = 0;
        check_mpi(MPI_Comm_rank(comm, &rank), "MPI_Comm_rank (node_shared read)");
        MPI_Comm node = MPI_COMM_NULL;
        check_mpi(MPI_Comm_split_type(comm, MPI_COMM_TYPE_SHARED, rank, MPI_INFO_NULL, &node),
                  "MPI_Comm_split_type (node_shared read)");
        node_ = communicator_handle::own(node);
        check_mpi(MPI_Comm_rank(node, &node_rank_), "MPI_Comm_rank (node_shared read)");
        check_mpi(MPI_Comm_size(node, &node_size_), "MPI_Comm_size (node_shared read)");
        MPI_Comm readers = MPI_COMM_NULL;
        if (partitioned()) {
            check_mpi(MPI_Comm_split(comm, node_rank_ == 0 ? 0 : MPI_UNDEFINED, rank, &readers),
                      "MPI_Comm_split (node_shared read: the nodes' readers)");
            readers_ = communicator_handle::own(readers);
        }

        announcement word{};
        byte_buffer message;
        std::vector<std::shared_ptr<shared_segment>> segments;
        if (node_rank_ == 0) segments = read_and_share(word, message);
        announce(word, message);
        if (word.outcome != outcome_read) throw_announced(word, message);

        // Every rank maps the pieces and borrows its arrays; the names go once all have.
        std::vector<column_store> columns;
        shared_copy copy;
        const auto& names = std::get<0>(copy);
        std::string failure;
        try {
            native_decode(message.data(), message.size(), copy);
            const auto& sizes = std::get<1>(copy);
            if (node_rank_ != 0) {
                for (std::size_t p = 0; p < names.size(); ++p) {
                    segments.push_back(
                        names[p].empty() ? nullptr
                                         : shared_segment::open(names[p], static_cast<std::size_t>(sizes[p]), what()));
                }
            }
            columns = borrow(std::get<3>(copy), segments, std::get<2>(copy));
        } catch (const std::exception& e) {
            failure =
                "rank " + std::to_string(rank) + " could not map the node's shared copy of " + path_ + ": " + e.what();
            columns.clear();
        }
        agree_on(failure);
        if (node_rank_ == 0) {
            for (const auto& name : names) {
                if (!name.empty()) shared_segment::unlink(name);
            }
        }
        if (!failure.empty()) throw error(failure);
        return columns;
    }

private:
    static constexpr std::uint64_t outcome_read = 0, outcome_csv_error = 1, outcome_error = 2;

    // The reader's word to its node, a fixed size so that the others can wait for it with a
    // non-blocking broadcast; the message that follows describes the shared copy, or the error.
    struct announcement {
        std::uint64_t outcome;
        std::uint64_t message_bytes;
    };
    // Each piece's file name ("" for a piece of no bytes), its size and its first column; the
    // dataset's layout.
    using shared_copy =
        std::tuple<std::vector<std::string>, std::vector<std::uint64_t>, std::vector<std::uint64_t>, std::string>;
    using csv_problem =
        std::tuple<std::string, std::uint64_t, std::string, std::string>;  // file, line, column, problem

    bool partitioned() const noexcept {
        return options_.partition.count > 1 || options_.partition.index != 0 ||
               options_.partition_comm != MPI_COMM_NULL;
    }

    std::string what() const { return "the dataset of " + path_; }

    /// The node's reader: reads, lays out, writes the pieces. Fills word and message with
    /// what to announce, an error included.
    std::vector<std::shared_ptr<shared_segment>> read_and_share(announcement& word, byte_buffer& message) {
        std::vector<std::shared_ptr<shared_segment>> segments;
        try {
            std::vector<column_store> columns = reader(path_, reader_options()).read();
            std::vector<array_part> parts;
            std::vector<std::size_t> parts_of_column;  // where each column's parts end
            byte_buffer layout;
            wire::native_encoding::save(MPI_COMM_SELF, layout, layout_writer{&columns, &parts, &parts_of_column});
            const auto plan = shared_arrays::cut(parts, parts_of_column, writing_threads(), min_piece_bytes);
            std::uint64_t total = 0;
            for (auto b : plan.bytes) total += b;
            shared_segment::check_room(static_cast<std::size_t>(total), what());
            std::vector<std::string> names;
            for (auto b : plan.bytes) names.push_back(b == 0 ? "" : shared_segment::unique_name());
            segments = write_pieces(columns, parts, parts_of_column, plan, names, what());
            columns.clear();
#ifdef __GLIBC__
            ::malloc_trim(0);  // the private columns' memory back to the kernel, not kept in the heap
#endif
            word.outcome = outcome_read;
            native_encode(message,
                          shared_copy(names, plan.bytes, plan.first_column, std::string(layout.data(), layout.size())));
        } catch (const csv_error& e) {
            segments.clear();
            word.outcome = outcome_csv_error;
            message.clear();
            native_encode(message, csv_problem(e.file(), e.line(), e.column(), problem_of(e)));
        } catch (const std::exception& e) {
            segments.clear();
            word.outcome = outcome_error;
            message.clear();
            native_encode(message, std::string(e.what()));
        }
        word.message_bytes = message.size();
        return segments;
    }

    /// The threads that write the pieces: the reader's, or as many as the node has ranks (up to
    /// its hardware threads), for those ranks only wait meanwhile and leave their cores free.
    unsigned writing_threads() const {
        const unsigned hardware = std::max(1u, std::thread::hardware_concurrency());
        const unsigned reading = options_.threads != 0 ? options_.threads : hardware;
        return std::max(reading, std::min(hardware, static_cast<unsigned>(node_size_)));
    }
    // Below this a piece's own thread and file cost more than they save.
    static constexpr std::size_t min_piece_bytes = std::size_t{4} << 20;

    /// Writes each piece's columns into a file of its own, a thread a piece, freeing each column
    /// once it is written (the reader then holds little more than one copy at a time); returns
    /// the pieces mapped. If any write fails, no file is left and its error is thrown.
    static std::vector<std::shared_ptr<shared_segment>> write_pieces(std::vector<column_store>& columns,
                                                                     const std::vector<array_part>& parts,
                                                                     const std::vector<std::size_t>& parts_of_column,
                                                                     const shared_arrays::plan& plan,
                                                                     const std::vector<std::string>& names,
                                                                     const std::string& what) {
        const std::size_t count = plan.bytes.size();
        std::vector<std::optional<shared_segment::writer>> files(count);
        std::vector<std::exception_ptr> failed(count);
        auto write_piece = [&](std::size_t p) {
            try {
                const std::size_t first = static_cast<std::size_t>(plan.first_column[p]);
                const std::size_t last =
                    p + 1 < count ? static_cast<std::size_t>(plan.first_column[p + 1]) : columns.size();
                if (plan.bytes[p] != 0) {
                    auto& out = files[p].emplace(
                        names[p], static_cast<std::size_t>(plan.bytes[p]),
                        what + " (piece " + std::to_string(p + 1) + " of " + std::to_string(count) + ")");
                    shared_arrays::copy(
                        [&](std::size_t at, const char* data, std::size_t n) { out.write(at, data, n); }, parts,
                        parts_of_column, first, last);
                }
                for (std::size_t k = first; k < last; ++k) columns[k] = column_store();
            } catch (...) {
                failed[p] = std::current_exception();
            }
        };
        std::vector<std::thread> helpers;
        for (std::size_t p = 1; p < count; ++p) {
            try {
                helpers.emplace_back(write_piece, p);
            } catch (const std::system_error&) {
                write_piece(p);  // no thread for it: this one writes it
            }
        }
        if (count != 0) write_piece(0);
        for (auto& h : helpers) h.join();
        for (auto& f : failed) {
            if (f) std::rethrow_exception(f);  // the writers remove their files as they go
        }
        std::vector<std::shared_ptr<shared_segment>> segments;
        for (auto& f : files) segments.push_back(f ? f->map() : nullptr);
        return segments;
    }

    /// The options of the node's reader: a private read, or its node's part of a partition.
    csv_options reader_options() const {
        csv_options o = options_;
        o.node_shared_comm = MPI_COMM_NULL;
        if (partitioned()) {
            int index = 0, count = 1;
            check_mpi(MPI_Comm_rank(readers_->get(), &index), "MPI_Comm_rank (node_shared read)");
            check_mpi(MPI_Comm_size(readers_->get(), &count), "MPI_Comm_size (node_shared read)");
            o.partition = partition{index, count};
            o.partition_comm = readers_->get();
        }
        return o;
    }

    /// The reader's announcement reaches every rank of the node; the others wait for it
    /// without keeping a core busy.
    void announce(announcement& word, byte_buffer& message) const {
        const MPI_Comm node = node_->get();
        MPI_Request request = MPI_REQUEST_NULL;
        check_mpi(MPI_Ibcast(&word, 2, MPI_UINT64_T, 0, node, &request), "MPI_Ibcast (node_shared read)");
        wait_quietly(request);
        if (node_rank_ != 0) message.resize(static_cast<std::size_t>(word.message_bytes));
        if (word.message_bytes != 0) {
            check_mpi(MPI_Bcast(message.data(), static_cast<int>(word.message_bytes), MPI_BYTE, 0, node),
                      "MPI_Bcast (node_shared read)");
        }
    }

    /// MPI_Test with sleeps that grow to a millisecond: a rank waiting for a long read costs
    /// about nothing, and sees the end of it within a millisecond.
    static void wait_quietly(MPI_Request& request) {
        auto pause = std::chrono::microseconds(20);
        for (;;) {
            int done = 0;
            check_mpi(MPI_Test(&request, &done, MPI_STATUS_IGNORE), "MPI_Test (node_shared read)");
            if (done != 0) return;
            std::this_thread::sleep_for(pause);
            if (pause < std::chrono::milliseconds(1)) pause *= 2;
        }
    }

    [[noreturn]] void throw_announced(const announcement& word, const byte_buffer& message) const {
        if (word.outcome == outcome_csv_error) {
            csv_problem p;
            native_decode(message.data(), message.size(), p);
            throw csv_error(std::get<0>(p), static_cast<std::size_t>(std::get<1>(p)), std::get<2>(p), std::get<3>(p));
        }
        std::string text;
        native_decode(message.data(), message.size(), text);
        throw error(text);
    }

    /// What follows csv_error's "<file>:<line>: column '<c>': " in its text.
    static std::string problem_of(const csv_error& e) {
        const std::string prefix = csv_error(e.file(), e.line(), e.column(), "").what();
        const std::string text = e.what();
        return text.compare(0, prefix.size(), prefix) == 0 ? text.substr(prefix.size()) : text;
    }

    /// The columns of the layout, their arrays borrowed from the pieces.
    std::vector<column_store> borrow(const std::string& layout,
                                     const std::vector<std::shared_ptr<shared_segment>>& segments,
                                     const std::vector<std::uint64_t>& first_column) const {
        std::vector<shared_arrays::piece> pieces;
        for (const auto& s : segments) pieces.push_back({s ? s->data() : nullptr, s ? s->size() : 0, s});
        shared_arrays arrays(std::move(pieces), first_column);
        std::vector<column_store> columns;
        layout_reader reader{&columns, &arrays};
        wire::native_encoding::load(MPI_COMM_SELF, layout.data(), layout.size(), reader);
        return columns;
    }

    /// A failure on any rank of the node is every rank's: the lowest failing rank's text.
    void agree_on(std::string& failure) const {
        const MPI_Comm node = node_->get();
        const int mine = failure.empty() ? node_size_ : node_rank_;
        int first = node_size_;
        check_mpi(MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, node), "MPI_Allreduce (node_shared read)");
        if (first == node_size_) return;
        std::uint64_t length = failure.size();
        check_mpi(MPI_Bcast(&length, 1, MPI_UINT64_T, first, node), "MPI_Bcast (node_shared read)");
        failure.resize(static_cast<std::size_t>(length));
        check_mpi(MPI_Bcast(failure.data(), static_cast<int>(length), MPI_CHAR, first, node),
                  "MPI_Bcast (node_shared read)");
    }

    // The layout: the row count, then each column as column_encoding saves it with every
    // array listed (and none in the archive).
    struct layout_writer {
        std::vector<column_store>* columns;
        std::vector<array_part>* parts;
        std::vector<std::size_t>* parts_of_column;
        ~layout_writer() {}  // not trivially copyable: the encoding calls serialize()
        template <class Archive>
        void serialize(Archive& ar, unsigned) {
            const std::uint64_t count = columns->size();
            const std::uint64_t rows = columns->empty() ? 0 : columns->front().size();
            ar << count << rows;
            for (const column_store& c : *columns) {
                column_encoding::save(ar, c, parts, true);
                parts_of_column->push_back(parts->size());
            }
        }
    };
    struct layout_reader {
        std::vector<column_store>* columns;
        shared_arrays* arrays;
        ~layout_reader() {}  // as layout_writer
        template <class Archive>
        void serialize(Archive& ar, unsigned) {
            std::uint64_t count = 0, rows = 0;
            ar >> count >> rows;
            for (std::uint64_t k = 0; k < count; ++k) {
                arrays->begin_column(static_cast<std::size_t>(k));
                columns->push_back(column_encoding::load(ar, static_cast<std::size_t>(rows), nullptr, arrays));
            }
        }
    };

    std::string path_;
    csv_options options_;
    std::shared_ptr<communicator_handle> node_;
    std::shared_ptr<communicator_handle> readers_;
    int node_rank_ = 0;
    int node_size_ = 1;
};

}  // namespace baton::detail::csv
