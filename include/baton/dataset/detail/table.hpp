#pragma once
// The columns of a loaded dataset: numbers in typed vectors, text in a text_column (no
// allocation per value), and one row of traits per column_type (its name, where it stands in
// the widening order, its storage, what a missing value is) from which the code that depends
// on a column's type dispatches: a new column type is a storage member, a traits row and a case
// of visit_column_type.

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
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

    /// Calls f(traits, values): the column_traits of this column's type and its values.
    template <class F>
    decltype(auto) visit(F&& f);
    template <class F>
    decltype(auto) visit(F&& f) const;

    std::size_t size() const noexcept;

    void clear() {
        integers.clear();
        reals.clear();
        text.clear();
    }

    /// Appends other's values; both hold the same type (a reader thread's share of the rows).
    void append(column_store&& other);

    /// Integer column to real, in place (a missing or fractional value appeared).
    void widen_to_real() {
        reals.resize(integers.size());
        for (std::size_t i = 0; i < integers.size(); ++i) reals[i] = static_cast<double>(integers[i]);
        integers.clear();
        type = column_type::real;
    }
};

/// How many column types there are.
inline constexpr std::size_t column_type_count = 3;

template <column_type>
struct column_traits;

template <>
struct column_traits<column_type::integer> {
    static constexpr column_type type = column_type::integer;
    static constexpr const char* name = "integer";
    static constexpr int width = 0;  // widening order: a column takes the widest its values need
    static narrow_integers& values(column_store& c) noexcept { return c.integers; }
    static const narrow_integers& values(const column_store& c) noexcept { return c.integers; }
    static bool missing(const narrow_integers&, std::size_t) noexcept { return false; }
    static void append(narrow_integers& to, narrow_integers& from) { to.append(from); }
};

template <>
struct column_traits<column_type::real> {
    static constexpr column_type type = column_type::real;
    static constexpr const char* name = "real";
    static constexpr int width = 1;
    static growing_array<double>& values(column_store& c) noexcept { return c.reals; }
    static const growing_array<double>& values(const column_store& c) noexcept { return c.reals; }
    static bool missing(const growing_array<double>& v, std::size_t r) noexcept { return std::isnan(v[r]); }
    static void append(growing_array<double>& to, growing_array<double>& from) { to.append(from.data(), from.size()); }
};

template <>
struct column_traits<column_type::text> {
    static constexpr column_type type = column_type::text;
    static constexpr const char* name = "text";
    static constexpr int width = 2;
    static text_column& values(column_store& c) noexcept { return c.text; }
    static const text_column& values(const column_store& c) noexcept { return c.text; }
    static bool missing(const text_column& v, std::size_t r) noexcept { return v.missing(r); }
    static void append(text_column& to, text_column& from) { to.append(std::move(from)); }
};

/// Calls f(column_traits<t>{}): the one switch on a column's type.
template <class F>
decltype(auto) visit_column_type(column_type t, F&& f) {
    switch (t) {
        case column_type::integer:
            return f(column_traits<column_type::integer>{});
        case column_type::real:
            return f(column_traits<column_type::real>{});
        default:
            return f(column_traits<column_type::text>{});
    }
}

/// What error messages call a column type.
inline const char* type_name(column_type t) {
    return visit_column_type(t, [](auto traits) { return traits.name; });
}

template <class F>
decltype(auto) column_store::visit(F&& f) {
    return visit_column_type(type, [&](auto traits) -> decltype(auto) { return f(traits, traits.values(*this)); });
}
template <class F>
decltype(auto) column_store::visit(F&& f) const {
    return visit_column_type(type, [&](auto traits) -> decltype(auto) { return f(traits, traits.values(*this)); });
}

inline std::size_t column_store::size() const noexcept {
    return visit([](auto, const auto& values) { return values.size(); });
}

inline void column_store::append(column_store&& other) {
    visit([&](auto traits, auto& values) { traits.append(values, traits.values(other)); });
    other.clear();
}

}  // namespace baton::detail::csv
