#pragma once
// The columns of a loaded dataset: numbers in typed vectors, text in a text_column (no
// allocation per value).

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <baton/dataset/csv_options.hpp>
#include <baton/dataset/detail/growing_array.hpp>
#include <baton/dataset/detail/narrow_integers.hpp>
#include <baton/dataset/detail/text_column.hpp>

namespace baton::detail::csv {

struct column_store {
    std::string name;
    column_type type = column_type::integer;
    bool forced = false;  // the type came from csv_options::types
    narrow_integers integers;
    growing_array<double> reals;
    text_column text;

    std::size_t size() const noexcept {
        switch (type) {
            case column_type::integer:
                return integers.size();
            case column_type::real:
                return reals.size();
            default:
                return text.size();
        }
    }

    void clear() {
        integers.clear();
        reals.clear();
        text.clear();
    }

    /// Appends other's values; both hold the same type (a reader thread's share of the rows).
    void append(column_store&& other) {
        switch (type) {
            case column_type::integer:
                integers.append(other.integers);
                break;
            case column_type::real:
                reals.append(other.reals.data(), other.reals.size());
                break;
            case column_type::text:
                text.append(std::move(other.text));
                break;
        }
        other.clear();
    }

    /// Integer column to real, in place (a missing or fractional value appeared).
    void widen_to_real() {
        reals.resize(integers.size());
        for (std::size_t i = 0; i < integers.size(); ++i) reals[i] = static_cast<double>(integers[i]);
        integers.clear();
        type = column_type::real;
    }
};

}  // namespace baton::detail::csv
