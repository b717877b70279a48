#pragma once
// The arrays of a dataset laid out one after another in a node's shared copy of it
// (shared_segment.hpp), in the order its layout lists them, each at a 64-byte boundary: the
// alignment of any element type, and no two arrays on one cache line. The reading rank writes
// the arrays in (copy); every rank of the node then borrows them back in the same order
// (borrow), reading them in place.

#include <cstddef>
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

    /// The bytes that `parts`, laid out in order, take.
    static std::size_t size_of(const std::vector<array_part>& parts) noexcept {
        std::size_t end = 0;
        for (const array_part& p : parts) end = start_after(end) + p.size;
        return end;
    }

    /// Writes parts [first, last), after the ones before them, with write(offset, data, size);
    /// returns where the next goes.
    template <class Write>
    static std::size_t copy(Write&& write, std::size_t end, const array_part* first, const array_part* last) {
        for (; first != last; ++first) {
            const std::size_t at = start_after(end);
            write(at, first->data, first->size);
            end = at + first->size;
        }
        return end;
    }

    /// Reading the arrays back from [base, base + size), kept alive by owner.
    shared_arrays(const char* base, std::size_t size, std::shared_ptr<const void> owner)
        : base_(base), size_(size), owner_(std::move(owner)) {}

    /// The next array: `count` values of T, borrowed in place. Throws baton::error if it would
    /// reach past the end (a layout that does not describe this memory).
    template <class T>
    growing_array<T> borrow(std::size_t count, const std::string& column) {
        if (count == 0) return {};
        const std::size_t at = start_after(next_);
        if (at > size_ || count > (size_ - at) / sizeof(T)) {
            throw error("the node's shared copy has no room for column '" + column + "''s array of " +
                        std::to_string(count) + " values at byte " + std::to_string(at) + " of " +
                        std::to_string(size_));
        }
        next_ = at + count * sizeof(T);
        return growing_array<T>::borrowed(reinterpret_cast<const T*>(base_ + at), count, owner_);
    }

private:
    const char* base_;
    std::size_t size_;
    std::shared_ptr<const void> owner_;
    std::size_t next_ = 0;
};

}  // namespace baton::detail::csv
