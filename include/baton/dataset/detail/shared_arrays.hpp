#pragma once
// The arrays of a dataset laid out in a node's shared copy of it (shared_segment.hpp). The
// columns are cut into pieces of about equal bytes, runs of whole columns, one shared-memory
// file a piece, so that the reader's threads can write the pieces side by side (writes to one
// file take its lock in turn). In a piece, the arrays of its columns follow one another in the
// order the dataset's layout lists them, each at a 64-byte boundary: the alignment of any
// element type, and no two arrays on one cache line. The reading rank writes the arrays in
// (copy); every rank of the node then borrows them back in the same order (borrow), reading
// them in place.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <baton/dataset/detail/growing_array.hpp>
#include <baton/detail/codec/payload_parts.hpp>
#include <baton/error.hpp>

namespace baton::detail::csv {

class shared_arrays {
public:
    static constexpr std::size_t alignment = 64;

    /// Where an array goes that follows one ending at `end`.
    static std::size_t start_after(std::size_t end) noexcept { return (end + alignment - 1) / alignment * alignment; }

    /// The cut of the columns into pieces.
    struct plan {
        std::vector<std::uint64_t> first_column;  // of each piece
        std::vector<std::uint64_t> bytes;         // of each piece
    };

    /// Cuts the columns, whose arrays are `parts` (column k's end at parts_of_column[k]), into
    /// at most `pieces` pieces of at least `min_bytes` each (the last may be smaller); none if
    /// the arrays hold no bytes.
    static plan cut(const std::vector<array_part>& parts, const std::vector<std::size_t>& parts_of_column,
                    unsigned pieces, std::size_t min_bytes) {
        std::vector<std::size_t> column_bytes(parts_of_column.size(), 0);
        std::size_t total = 0;
        for (std::size_t k = 0, i = 0; k < parts_of_column.size(); ++k) {
            std::size_t end = 0;
            for (; i < parts_of_column[k]; ++i) end = start_after(end) + parts[i].size;
            column_bytes[k] = end;
            total += end;
        }
        plan p;
        if (total == 0) return p;
        const std::size_t count =
            std::max<std::size_t>(1, std::min<std::size_t>(pieces, total / std::max<std::size_t>(min_bytes, 1)));
        const std::size_t target = (total + count - 1) / count;
        std::size_t in_piece = 0;
        for (std::size_t k = 0; k < column_bytes.size(); ++k) {
            if (p.first_column.empty() || (in_piece >= target && p.first_column.size() < count)) {
                p.first_column.push_back(k);
                p.bytes.push_back(0);
                in_piece = 0;
            }
            p.bytes.back() = start_after(p.bytes.back()) + column_bytes[k];
            in_piece += column_bytes[k];
        }
        return p;
    }

    /// Writes the arrays of columns [first, last) into their piece with write(offset, data,
    /// size), from its start.
    template <class Write>
    static void copy(Write&& write, const std::vector<array_part>& parts,
                     const std::vector<std::size_t>& parts_of_column, std::size_t first, std::size_t last) {
        std::size_t end = 0;
        for (std::size_t i = first == 0 ? 0 : parts_of_column[first - 1]; i < parts_of_column[last - 1]; ++i) {
            const std::size_t at = start_after(end);
            write(at, parts[i].data, parts[i].size);
            end = at + parts[i].size;
        }
    }

    /// A piece mapped on this rank: its memory, kept alive by owner.
    struct piece {
        const char* base;
        std::size_t size;
        std::shared_ptr<const void> owner;
    };

    /// Reading the arrays back from the pieces, piece p holding the columns from
    /// first_column[p] on.
    shared_arrays(std::vector<piece> pieces, std::vector<std::uint64_t> first_column)
        : pieces_(std::move(pieces)), first_column_(std::move(first_column)) {}

    /// Before borrowing column k's arrays.
    void begin_column(std::size_t k) noexcept {
        while (current_ + 1 < first_column_.size() && first_column_[current_ + 1] <= k) {
            ++current_;
            next_ = 0;
        }
    }

    /// The next array: `count` values of T, borrowed in place. Throws baton::error if it would
    /// reach past its piece's end (a layout that does not describe this memory).
    template <class T>
    growing_array<T> borrow(std::size_t count, const std::string& column) {
        if (count == 0) return {};
        const std::size_t at = start_after(next_);
        const piece* p = current_ < pieces_.size() ? &pieces_[current_] : nullptr;
        if (p == nullptr || at > p->size || count > (p->size - at) / sizeof(T)) {
            throw error("the node's shared copy has no room for column '" + column + "''s array of " +
                        std::to_string(count) + " values at byte " + std::to_string(at) + " of its piece");
        }
        next_ = at + count * sizeof(T);
        return growing_array<T>::borrowed(reinterpret_cast<const T*>(p->base + at), count, p->owner);
    }

private:
    std::vector<piece> pieces_;
    std::vector<std::uint64_t> first_column_;
    std::size_t current_ = 0;
    std::size_t next_ = 0;
};

}  // namespace baton::detail::csv
