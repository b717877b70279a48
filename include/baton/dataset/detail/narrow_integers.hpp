#pragma once
// A growing array of 64-bit integers stored in the narrowest width (1, 2, 4 or 8 bytes) that
// holds every value so far. CSV integer columns are mostly small (ages, grades, counts,
// category codes); storing them in 1 byte instead of 8 means an eighth of the memory to
// allocate, fault in and zero, and that memory traffic dominates a load of many small
// integers (docs/performance.md). A value that does not fit widens the whole array once (at
// most three times in all).

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include <baton/dataset/detail/growing_array.hpp>

namespace baton::detail::csv {

class narrow_integers {
public:
    std::size_t size() const noexcept {
        switch (width_) {
            case 1:
                return i8_.size();
            case 2:
                return i16_.size();
            case 4:
                return i32_.size();
            default:
                return i64_.size();
        }
    }

    /// Bytes per value now: 1, 2, 4 or 8.
    unsigned width() const noexcept { return width_; }

    std::int64_t operator[](std::size_t i) const noexcept {
        switch (width_) {
            case 1:
                return i8_[i];
            case 2:
                return i16_[i];
            case 4:
                return i32_[i];
            default:
                return i64_[i];
        }
    }

    /// The values as stored, when they are 8 bytes wide; nullptr otherwise.
    const std::int64_t* wide_data() const noexcept { return width_ == 8 ? i64_.data() : nullptr; }

    [[gnu::always_inline]] void push_back(std::int64_t v) {
        switch (width_) {
            case 1:
                if (fits<std::int8_t>(v)) return i8_.push_back(static_cast<std::int8_t>(v));
                break;
            case 2:
                if (fits<std::int16_t>(v)) return i16_.push_back(static_cast<std::int16_t>(v));
                break;
            case 4:
                if (fits<std::int32_t>(v)) return i32_.push_back(static_cast<std::int32_t>(v));
                break;
            default:
                return i64_.push_back(v);
        }
        push_back_widening(v);
    }

    void reserve(std::size_t n) {
        reserved_ = n;
        switch (width_) {
            case 1:
                i8_.reserve(n);
                break;
            case 2:
                i16_.reserve(n);
                break;
            case 4:
                i32_.reserve(n);
                break;
            default:
                i64_.reserve(n);
                break;
        }
    }

    void clear() { *this = narrow_integers(); }

    /// Appends other's values (a reader thread's share of the rows).
    void append(const narrow_integers& other) {
        if (other.size() == 0) return;
        if (other.width_ > width_) widen_to(other.width_);
        switch (width_) {
            case 1:
                return append_into(i8_, other);
            case 2:
                return append_into(i16_, other);
            case 4:
                return append_into(i32_, other);
            default:
                return append_into(i64_, other);
        }
    }

    /// Appends map[v] for each value v of other, and -1 for each -1 (text codes: see text_column).
    void append_mapped(const narrow_integers& other, const std::vector<std::uint32_t>& map) {
        switch (other.width_) {
            case 1:
                return append_mapped(other.i8_, map);
            case 2:
                return append_mapped(other.i16_, map);
            case 4:
                return append_mapped(other.i32_, map);
            default:
                return append_mapped(other.i64_, map);
        }
    }

private:
    friend struct column_encoding;  // a dataset payload carries the arrays as stored
    template <class T>
    static bool fits(std::int64_t v) noexcept {
        return v >= std::numeric_limits<T>::min() && v <= std::numeric_limits<T>::max();
    }

    [[gnu::noinline]] void push_back_widening(std::int64_t v) {
        widen_for(v);
        push_back(v);
    }

    void widen_for(std::int64_t v) { widen_to(fits<std::int16_t>(v) ? 2 : fits<std::int32_t>(v) ? 4 : 8); }

    void widen_to(unsigned needed) {
        if (needed <= width_) return;
        switch (needed) {
            case 2:
                copy_into(i16_);
                break;
            case 4:
                copy_into(i32_);
                break;
            default:
                copy_into(i64_);
                break;
        }
        i8_.clear();
        if (needed > 2) i16_.clear();
        if (needed > 4) i32_.clear();
        width_ = needed;
    }

    template <class T>
    void append_mapped(const growing_array<T>& values, const std::vector<std::uint32_t>& map) {
        reserve(size() + values.size());
        for (const T v : values) push_back(v < 0 ? std::int64_t{-1} : std::int64_t{map[static_cast<std::size_t>(v)]});
    }

    template <class T>
    void append_into(growing_array<T>& mine, const narrow_integers& other) {
        const std::size_t n = other.size();
        if (other.width_ == sizeof(T)) {
            switch (other.width_) {
                case 1:
                    return mine.append(reinterpret_cast<const T*>(other.i8_.data()), n);
                case 2:
                    return mine.append(reinterpret_cast<const T*>(other.i16_.data()), n);
                case 4:
                    return mine.append(reinterpret_cast<const T*>(other.i32_.data()), n);
                default:
                    return mine.append(reinterpret_cast<const T*>(other.i64_.data()), n);
            }
        }
        mine.reserve(mine.size() + n);
        for (std::size_t i = 0; i < n; ++i) mine.push_back(static_cast<T>(other[i]));
    }

    template <class T>
    void copy_into(growing_array<T>& wider) const {
        const std::size_t n = size();
        wider.reserve(std::max(reserved_, n + 1));
        for (std::size_t i = 0; i < n; ++i) wider.push_back(static_cast<T>((*this)[i]));
    }

    unsigned width_ = 1;
    std::size_t reserved_ = 0;
    growing_array<std::int8_t> i8_;
    growing_array<std::int16_t> i16_;
    growing_array<std::int32_t> i32_;
    growing_array<std::int64_t> i64_;
};

}  // namespace baton::detail::csv
