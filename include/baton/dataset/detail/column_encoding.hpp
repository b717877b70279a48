#pragma once
// How a dataset's columns travel as a message payload: each column as the arrays it is stored
// in (integers at their narrow width, reals, text as its dictionary and one code per row, or
// as its bytes and offsets), each array one block of bytes in the archive. Sending, receiving
// and broadcasting a dataset then costs about a copy of its column data at each end, not a
// string per cell. A broadcast sends the arrays as messages of their own, straight from and
// into the columns (detail/codec/payload_parts.hpp): with `parts` given, an array's count is written
// and the array listed in `parts` instead. What arrives is checked before it is used: sizes
// against the row count on reading the layout, codes against the dictionary and offsets
// against the bytes once the arrays are in (check). A node's shared copy of a dataset
// (shared_arrays.hpp) lists every array, the dictionaries too, and each rank borrows them back
// in place.

#include <algorithm>
#include <boost/serialization/array_wrapper.hpp>
#include <boost/serialization/string.hpp>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include <baton/dataset/detail/growing_array.hpp>
#include <baton/dataset/detail/narrow_integers.hpp>
#include <baton/dataset/detail/shared_arrays.hpp>
#include <baton/dataset/detail/table.hpp>
#include <baton/dataset/detail/text_column.hpp>
#include <baton/detail/codec/payload_parts.hpp>
#include <baton/error.hpp>

namespace baton::detail::csv {

struct column_encoding {
    /// Appends column c (its arrays listed in `parts` instead, if given; with `every_array`, a
    /// text column's dictionary too, which otherwise travels in the archive).
    template <class Archive>
    static void save(Archive& ar, const column_store& c, std::vector<array_part>* parts = nullptr,
                     bool every_array = false) {
        const std::int32_t type = static_cast<std::int32_t>(c.type);
        ar << c.name << type << c.forced;
        c.visit([&](auto, const auto& values) { save(ar, values, parts, every_array); });
    }

    /// Reads a column of a dataset of `rows` rows; throws baton::error naming what is wrong.
    /// With `parts`, the arrays are sized and listed there, and `check` must follow once they
    /// are filled; with `shared`, every array (saved with every_array) is borrowed from it;
    /// otherwise they are read from the archive and checked here.
    template <class Archive>
    static column_store load(Archive& ar, std::size_t rows, std::vector<array_part>* parts = nullptr,
                             shared_arrays* shared = nullptr) {
        column_store c;
        std::int32_t type = 0;
        ar >> c.name >> type >> c.forced;
        if (type < 0 || type >= static_cast<std::int32_t>(column_type_count)) {
            throw error("a received dataset has column '" + c.name + "' of unknown type " + std::to_string(type));
        }
        c.type = static_cast<column_type>(type);
        const auto check = [&](std::size_t n) {
            if (n != rows) {
                throw error("a received dataset has column '" + c.name + "' with " + std::to_string(n) +
                            " values for " + std::to_string(rows) + " rows");
            }
        };
        c.visit([&](auto, auto& values) {
            load(ar, values, rows, c.name, parts, shared);
            check(values.size());
        });
        // A shared copy was written by this job's own reader, and is never appended to: it
        // needs neither the check nor the dictionary's lookup table (which only appending uses).
        if (parts == nullptr && shared == nullptr) check_contents(c);
        return c;
    }

    /// Checks what the arrays of a loaded column hold; throws baton::error naming the problem.
    static void check_contents(column_store& c) {
        if (c.type != column_type::text) return;
        text_column& t = c.text;
        const auto fail = [&](const char* what) {
            throw error("a received dataset has text column '" + c.name + "' with " + what);
        };
        if (t.plain_) {
            check_offsets(t.offsets_.data(), t.offsets_.size(), t.bytes_.size(), fail);
            return;
        }
        const std::size_t entries = t.entry_missing_.size();
        check_offsets(t.entry_offsets_.data(), t.entry_offsets_.size(), t.entry_bytes_.size(), fail);
        static_assert(text_column::missing_code == -1);
        if (!codes_within(t.codes_, entries)) fail("a code outside its dictionary");
        t.rebuild_lookup();
    }

private:
    static constexpr std::uint64_t no_limit = ~std::uint64_t{0};

    template <class Archive, class T>
    static void save_array(Archive& ar, const T* data, std::size_t n, std::vector<array_part>* parts) {
        const std::uint64_t count = n;
        ar << count;
        if (n == 0) return;
        if (parts != nullptr)  // read only: the root's arrays are sent, never written
            parts->push_back(array_part{reinterpret_cast<char*>(const_cast<T*>(data)), n * sizeof(T)});
        else
            ar << boost::serialization::make_array(data, n);
    }
    // Reads an array of T into `into`, or borrows it from `shared`; a count above `limit` is
    // refused before anything is allocated.
    template <class T, class Archive>
    static void load_array(Archive& ar, growing_array<T>& into, std::uint64_t limit, const std::string& column,
                           std::vector<array_part>* parts, shared_arrays* shared) {
        std::uint64_t count = 0;
        ar >> count;
        if (count > limit) {
            throw error("a received dataset has column '" + column + "' with an array of " + std::to_string(count) +
                        " values where at most " + std::to_string(limit) + " fit");
        }
        if (shared != nullptr) {
            into = shared->borrow<T>(static_cast<std::size_t>(count), column);
            return;
        }
        into.resize_for_overwrite(static_cast<std::size_t>(count));
        if (count == 0) return;
        if (parts != nullptr)
            parts->push_back(array_part{reinterpret_cast<char*>(into.data()), into.size() * sizeof(T)});
        else
            ar >> boost::serialization::make_array(into.data(), into.size());
    }

    // Whether every code is an entry of a dictionary of `entries`, or missing (-1).
    template <class T>
    static bool codes_within(const growing_array<T>& codes, std::size_t entries) {
        bool ok = true;
        for (const T code : codes)
            ok &= code >= -1 && static_cast<std::int64_t>(code) < static_cast<std::int64_t>(entries);
        return ok;
    }
    static bool codes_within(const narrow_integers& v, std::size_t entries) {
        switch (v.width_) {
            case 1:
                return codes_within(v.i8_, entries);
            case 2:
                return codes_within(v.i16_, entries);
            case 4:
                return codes_within(v.i32_, entries);
            default:
                return codes_within(v.i64_, entries);
        }
    }

    template <class Archive>
    static void save(Archive& ar, const growing_array<double>& v, std::vector<array_part>* parts, bool) {
        save_array(ar, v.data(), v.size(), parts);
    }
    template <class Archive>
    static void load(Archive& ar, growing_array<double>& v, std::uint64_t rows, const std::string& column,
                     std::vector<array_part>* parts, shared_arrays* shared) {
        load_array(ar, v, rows, column, parts, shared);
    }

    template <class Archive>
    static void save(Archive& ar, const narrow_integers& v, std::vector<array_part>* parts, bool = false) {
        const std::uint8_t width = static_cast<std::uint8_t>(v.width_);
        ar << width;
        switch (v.width_) {
            case 1:
                return save_array(ar, v.i8_.data(), v.i8_.size(), parts);
            case 2:
                return save_array(ar, v.i16_.data(), v.i16_.size(), parts);
            case 4:
                return save_array(ar, v.i32_.data(), v.i32_.size(), parts);
            default:
                return save_array(ar, v.i64_.data(), v.i64_.size(), parts);
        }
    }
    template <class Archive>
    static void load(Archive& ar, narrow_integers& v, std::uint64_t rows, const std::string& column,
                     std::vector<array_part>* parts, shared_arrays* shared) {
        std::uint8_t width = 0;
        ar >> width;
        v = narrow_integers();
        v.width_ = width;
        switch (width) {
            case 1:
                return load_array(ar, v.i8_, rows, column, parts, shared);
            case 2:
                return load_array(ar, v.i16_, rows, column, parts, shared);
            case 4:
                return load_array(ar, v.i32_, rows, column, parts, shared);
            case 8:
                return load_array(ar, v.i64_, rows, column, parts, shared);
            default:
                throw error("a received dataset has column '" + column + "' with integers " + std::to_string(width) +
                            " bytes wide");
        }
    }

    template <class Archive>
    static void save(Archive& ar, const text_column& t, std::vector<array_part>* parts, bool every_array) {
        ar << t.plain_;
        if (t.plain_) {
            save_array(ar, t.bytes_.data(), t.bytes_.size(), parts);
            save_array(ar, t.offsets_.data(), t.offsets_.size(), parts);
            save_array(ar, t.missing_.data(), t.missing_.size(), parts);
        } else {
            // The dictionary is small: it travels in the layout, but for a shared copy.
            save(ar, t.codes_, parts);
            std::vector<array_part>* dictionary = every_array ? parts : nullptr;
            save_array(ar, t.entry_bytes_.data(), t.entry_bytes_.size(), dictionary);
            save_array(ar, t.entry_offsets_.data(), t.entry_offsets_.size(), dictionary);
            save_array(ar, t.entry_missing_.data(), t.entry_missing_.size(), dictionary);
        }
    }
    template <class Archive>
    static void load(Archive& ar, text_column& t, std::uint64_t rows, const std::string& column,
                     std::vector<array_part>* parts, shared_arrays* shared) {
        t = text_column();
        ar >> t.plain_;
        const auto fail = [&](const char* what) {
            throw error("a received dataset has text column '" + column + "' with " + what);
        };
        if (t.plain_) {
            load_array(ar, t.bytes_, no_limit, column, parts, shared);
            load_array(ar, t.offsets_, rows + 1, column, parts, shared);
            load_array(ar, t.missing_, rows, column, parts, shared);
            if (t.offsets_.empty()) fail("no offsets");
            if (!t.missing_.empty() && t.missing_.size() + 1 != t.offsets_.size()) fail("missing flags for other rows");
        } else {
            load(ar, t.codes_, rows, column, parts, shared);
            load_array(ar, t.entry_bytes_, no_limit, column, nullptr, shared);
            load_array(ar, t.entry_offsets_, rows + 1, column, nullptr, shared);
            load_array(ar, t.entry_missing_, rows, column, nullptr, shared);
            const std::size_t entries = t.entry_missing_.size();
            if (t.entry_offsets_.size() != entries + 1) fail("a dictionary whose offsets and flags differ in number");
            if (entries >= text_column::max_distinct) fail("too many distinct values");
        }
    }

    template <class Fail>
    static void check_offsets(const std::uint64_t* offsets, std::size_t n, std::size_t bytes, const Fail& fail) {
        if (offsets[0] != 0) fail("offsets that do not start at 0");
        for (std::size_t i = 1; i < n; ++i) {
            if (offsets[i] < offsets[i - 1]) fail("offsets that go backwards");
        }
        if (offsets[n - 1] != bytes) fail("offsets that do not end at its bytes' end");
    }
};

}  // namespace baton::detail::csv
