#pragma once
/// @file
/// baton::local_dataset: a table read from a CSV file on this rank's own disk, with
/// pandas.read_csv's rules, much faster.

#include <boost/serialization/access.hpp>
#include <boost/serialization/split_member.hpp>
#include <boost/serialization/string.hpp>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <iomanip>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <baton/dataset/column_view.hpp>
#include <baton/dataset/csv_error.hpp>
#include <baton/dataset/csv_options.hpp>
#include <baton/dataset/detail/column_encoding.hpp>
#include <baton/dataset/detail/node_shared_read.hpp>
#include <baton/dataset/detail/reader.hpp>
#include <baton/dataset/detail/writer.hpp>
#include <baton/error.hpp>

namespace baton {

/// @brief A table of named, typed columns loaded from a CSV file.
/// @code
/// auto ds = baton::local_dataset::read_csv("studentpor_bigger.csv");
/// auto g3 = ds.column<double>("G3");
/// std::cout << ds.head(5);
/// @endcode
class local_dataset {
public:
    /// @brief Reads a CSV file. Every rank that calls it reads its own copy of the file
    /// (with options.partition, its own share of the rows).
    ///
    /// Throws csv_error ("<file>:<line>: <problem>") for a missing or unreadable file, an empty
    /// file, an unterminated quote, a row with more fields than the header, an unknown column.
    /// With options.partition_comm set, it must be called collectively on that communicator.
    /// With options from node_shared, it is collective over that communicator and each node
    /// holds one copy, which its ranks share.
    static local_dataset read_csv(const std::string& path, const csv_options& options = {}) {
        local_dataset ds;
        ds.columns_ = options.node_shared_comm != MPI_COMM_NULL ? detail::csv::node_shared_read(path, options).read()
                                                                : detail::csv::reader(path, options).read();
        ds.rows_ = ds.columns_.empty() ? 0 : ds.columns_.front().size();
        ds.path_ = path;
        return ds;
    }

    /// @brief CSV text from memory (received, generated, decompressed by the program), read by
    /// the same rules as read_csv; errors name it "<text>".
    static local_dataset parse_csv(std::string_view text, const csv_options& options = {}) {
        local_dataset ds;
        ds.columns_ = detail::csv::reader("<text>", text, options).read();
        ds.rows_ = ds.columns_.empty() ? 0 : ds.columns_.front().size();
        ds.path_ = "<text>";
        return ds;
    }

    /// @brief The given rows, in that order (a row may repeat). Throws baton::error naming a
    /// row past the end.
    local_dataset take(const std::vector<std::size_t>& rows) const {
        for (std::size_t r : rows) check_row(r);
        local_dataset out;
        out.path_ = path_;
        out.rows_ = rows.size();
        const detail::csv::na_strings no_na(false, {});
        for (const auto& c : columns_) {
            detail::csv::column_store t;
            t.name = c.name;
            t.type = c.type;
            t.forced = c.forced;
            for (std::size_t r : rows) {
                if (c.type == column_type::integer) {
                    t.integers.push_back(c.integers[r]);
                } else if (c.type == column_type::real) {
                    t.reals.push_back(c.reals[r]);
                } else if (c.text.missing(r)) {
                    t.text.push_missing();
                } else {
                    t.text.push(c.text.value(r), no_na);
                }
            }
            out.columns_.push_back(std::move(t));
        }
        return out;
    }

    /// @brief The named columns, in that order (a braced list of names or a vector). Throws
    /// baton::error naming an unknown column.
    local_dataset select(const std::vector<std::string>& names) const {
        local_dataset out;
        out.path_ = path_;
        out.rows_ = rows_;
        for (const auto& name : names) out.columns_.push_back(get(name));
        return out;
    }

    /// @brief Writes the dataset as CSV (',' between fields, a header of the column names) so
    /// that read_csv, and pandas.read_csv, read back the same names, types and values: fields
    /// with ',', '"' or line breaks are quoted, reals are written with the shortest digits
    /// that read back to the same double and always as reals ("2.0", not "2"), missing values
    /// as empty fields. Throws baton::error if the file cannot be written.
    void write_csv(const std::string& path) const { detail::csv::write_csv(path, columns_, rows_); }

    /// Number of rows.
    std::size_t rows() const noexcept { return rows_; }
    /// Number of columns.
    std::size_t columns() const noexcept { return columns_.size(); }
    /// Column names in file order.
    std::vector<std::string> column_names() const {
        std::vector<std::string> names;
        for (const auto& c : columns_) names.push_back(c.name);
        return names;
    }
    /// True if a column has that name.
    bool has_column(std::string_view name) const noexcept { return find(name) != nullptr; }
    /// The stored type of a column; throws baton::error if there is no such column.
    column_type type_of(std::string_view name) const { return get(name).type; }

    /// @brief A column as T: std::int64_t (integer columns only), double (integer or real
    /// columns), std::string_view or std::string (text columns).
    /// Throws baton::error naming the column and its type when it cannot be T without loss.
    template <class T>
    column_view<T> column(std::string_view name) const& {
        const auto& c = get(name);
        if constexpr (std::is_same_v<T, std::int64_t>) {
            if (c.type != column_type::integer) refuse<T>(c);
            if (const std::int64_t* wide = c.integers.wide_data()) {
                return column_view<T>(wide, c.integers.size(), c.name);
            }
            return column_view<T>(widened<std::int64_t>(c.integers), c.name);
        } else if constexpr (std::is_same_v<T, double>) {
            if (c.type == column_type::real) return column_view<T>(c.reals.data(), c.reals.size(), c.name);
            if (c.type != column_type::integer) refuse<T>(c);
            return column_view<T>(widened<double>(c.integers), c.name);
        } else if constexpr (std::is_same_v<T, std::string_view> || std::is_same_v<T, std::string>) {
            if (c.type != column_type::text) refuse<T>(c);
            std::vector<T> values;
            values.reserve(rows_);
            for (std::size_t i = 0; i < rows_; ++i) values.emplace_back(c.text.value(i));
            return column_view<T>(std::move(values), c.name);
        } else {
            static_assert(sizeof(T) == 0, "column<T>: T must be std::int64_t, double, std::string_view or std::string");
        }
    }
    /// Not on a temporary dataset: the view would outlive the values it shows. Keep the
    /// dataset in a variable, or copy the column out (`.to_vector()`) while it lives.
    template <class T>
    column_view<T> column(std::string_view name) && = delete;

    /// True where the value was missing (empty or an NA string). For real columns this is
    /// where the value is NaN.
    bool is_missing(std::string_view name, std::size_t row) const {
        const auto& c = get(name);
        check_row(row);
        return c.visit([&](auto traits, const auto& values) { return traits.missing(values, row); });
    }

    /// @brief The named numeric columns, row-major: element (r, k) is at [r * names.size() + k].
    template <class T = double>
    std::vector<T> to_matrix(const std::vector<std::string>& names) const {
        static_assert(std::is_arithmetic_v<T>, "to_matrix<T>: T must be arithmetic");
        std::vector<T> out(rows_ * names.size());
        for (std::size_t k = 0; k < names.size(); ++k) {
            const auto& c = get(names[k]);
            if (c.type == column_type::text) refuse<T>(c);
            if (std::is_integral_v<T> && c.type == column_type::real) refuse<T>(c);
            for (std::size_t r = 0; r < rows_; ++r) {
                out[r * names.size() + k] =
                    c.type == column_type::integer ? static_cast<T>(c.integers[r]) : static_cast<T>(c.reals[r]);
            }
        }
        return out;
    }

    /// The first rows, printable as a table (`std::cout << ds.head(5)`).
    struct preview {
        const local_dataset* dataset;  ///< the dataset shown
        std::size_t rows;              ///< how many rows are shown
        /// Prints the rows as a table.
        friend std::ostream& operator<<(std::ostream& os, const preview& p) {
            return p.dataset->print_head(os, p.rows);
        }
    };
    /// The first n rows (fewer if the dataset has fewer), to print.
    preview head(std::size_t n = 5) const { return preview{this, n < rows_ ? n : rows_}; }

    /// The text of one cell as pandas would print it (NaN for missing numbers).
    std::string cell(std::string_view name, std::size_t row) const {
        const auto& c = get(name);
        check_row(row);
        switch (c.type) {
            case column_type::integer:
                return std::to_string(c.integers[row]);
            case column_type::real: {
                if (std::isnan(c.reals[row])) return "NaN";
                std::ostringstream s;
                s << c.reals[row];
                return s.str();
            }
            default:
                return is_missing(name, row) ? "NaN" : std::string(c.text.value(row));
        }
    }

    /// Prints the first n rows as a table, pandas-style; what `os << head(n)` does.
    std::ostream& print_head(std::ostream& os, std::size_t n) const {
        std::vector<std::vector<std::string>> cells(columns_.size());
        std::vector<std::size_t> widths;
        const std::size_t index_width = std::to_string(n == 0 ? 0 : n - 1).size();
        for (std::size_t k = 0; k < columns_.size(); ++k) {
            std::size_t w = columns_[k].name.size();
            for (std::size_t r = 0; r < n; ++r) {
                cells[k].push_back(cell(columns_[k].name, r));
                w = std::max(w, cells[k].back().size());
            }
            widths.push_back(w);
        }
        os << std::string(index_width, ' ');
        for (std::size_t k = 0; k < columns_.size(); ++k)
            os << "  " << std::setw(static_cast<int>(widths[k])) << columns_[k].name;
        os << '\n';
        for (std::size_t r = 0; r < n; ++r) {
            os << std::setw(static_cast<int>(index_width)) << r;
            for (std::size_t k = 0; k < columns_.size(); ++k)
                os << "  " << std::setw(static_cast<int>(widths[k])) << cells[k][r];
            os << '\n';
        }
        return os << "[" << rows_ << " rows x " << columns_.size() << " columns]\n";
    }

private:
    // A local_dataset is a message payload (send, broadcast, gather, ...): its columns travel
    // with their names, types and values, reals bit for bit. The messaging knows nothing of
    // datasets; this is the dataset's own encoding, through Boost.Serialization.
    friend class boost::serialization::access;
    template <class Archive>
    void save(Archive& ar, const unsigned int) const {
        save_columns(ar, nullptr);
    }
    template <class Archive>
    void load(Archive& ar, const unsigned int) {
        load_columns(ar, nullptr);
    }
    BOOST_SERIALIZATION_SPLIT_MEMBER()

    // A broadcast sends the columns' arrays as messages of their own (detail/codec/payload_parts.hpp).
    friend struct detail::parts_access;
    template <class Archive>
    void save_layout(Archive& ar, std::vector<detail::array_part>& arrays) const {
        save_columns(ar, &arrays);
    }
    template <class Archive>
    void load_layout(Archive& ar, std::vector<detail::array_part>& arrays) {
        load_columns(ar, &arrays);
    }
    void check_parts() {
        for (auto& c : columns_) detail::csv::column_encoding::check_contents(c);
    }

    template <class Archive>
    void save_columns(Archive& ar, std::vector<detail::array_part>* arrays) const {
        const std::uint64_t count = columns_.size(), rows = rows_;
        ar << count << rows << path_;
        for (const auto& c : columns_) detail::csv::column_encoding::save(ar, c, arrays);
    }
    template <class Archive>
    void load_columns(Archive& ar, std::vector<detail::array_part>* arrays) {
        std::uint64_t count = 0, rows = 0;
        ar >> count >> rows >> path_;
        columns_.clear();
        rows_ = static_cast<std::size_t>(rows);
        for (std::uint64_t k = 0; k < count; ++k)
            columns_.push_back(detail::csv::column_encoding::load(ar, rows_, arrays));
    }

    const detail::csv::column_store* find(std::string_view name) const noexcept {
        for (const auto& c : columns_) {
            if (c.name == name) return &c;
        }
        return nullptr;
    }
    const detail::csv::column_store& get(std::string_view name) const {
        if (const auto* c = find(name)) return *c;
        std::string names;
        for (const auto& c : columns_) names += (names.empty() ? "" : ", ") + c.name;
        throw error(path_ + ": no column '" + std::string(name) + "'; the columns are " + names);
    }
    void check_row(std::size_t row) const {
        if (row >= rows_) {
            throw error(path_ + ": row " + std::to_string(row) + " is out of range (" + std::to_string(rows_) +
                        " rows)");
        }
    }
    template <class T>
    static std::vector<T> widened(const detail::csv::narrow_integers& values) {
        std::vector<T> out(values.size());
        for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<T>(values[i]);
        return out;
    }
    template <class T>
    [[noreturn]] void refuse(const detail::csv::column_store& c) const {
        throw error(path_ + ": column '" + c.name + "' is " + detail::csv::type_name(c.type) +
                    " and cannot be read as " + type_name_for<T>() + " without loss" + first_offender(c));
    }
    /// Where a column first holds what makes it its type: for text, the first value that is not
    /// a number; for reals, the first that is not a whole number; else the first value.
    std::string first_offender(const detail::csv::column_store& c) const {
        auto at = [](std::size_t row, const std::string& value) {
            return "; the first such value is in data row " + std::to_string(row) + ": " + value;
        };
        for (std::size_t r = 0; r < rows_; ++r) {
            if (c.type == column_type::text) {
                if (c.text.missing(r)) continue;
                const std::string v(c.text.value(r));
                char* end = nullptr;
                (void)std::strtod(v.c_str(), &end);
                if (v.empty() || end == v.c_str() || *end != '\0' || c.forced) return at(r, "'" + v + "'");
            } else if (c.type == column_type::real) {
                const double v = c.reals[r];
                if (std::isnan(v) || v != std::floor(v))
                    return at(r, std::isnan(v) ? "NaN (missing)" : cell(c.name, r));
            } else {
                return at(r, cell(c.name, r));
            }
        }
        return "";
    }
    template <class T>
    static const char* type_name_for() {
        if constexpr (std::is_same_v<T, std::int64_t>)
            return "std::int64_t";
        else if constexpr (std::is_same_v<T, double>)
            return "double";
        else if constexpr (std::is_floating_point_v<T>)
            return "a floating-point type";
        else if constexpr (std::is_integral_v<T>)
            return "an integer type";
        else
            return "text";
    }

    std::vector<detail::csv::column_store> columns_;
    std::size_t rows_ = 0;
    std::string path_;
};

/// @brief Options for a partitioned read in which each rank of `comm` reads its own share
/// (collective: every rank of comm must call read_csv with them).
template <class Comm>
csv_options partitioned(const Comm& comm, csv_options options = {}) {
    options.partition = partition{comm.rank(), comm.size()};
    options.partition_comm = comm.native();
    return options;
}

/// @brief Options for a read of which each node holds one copy (collective: every rank of
/// `comm` must call read_csv with them). On each node one rank of comm reads the file (with
/// options.threads), while the node's other ranks wait without keeping a core busy; then every
/// rank of the node gets a local_dataset equal to a private read's, its columns in memory that
/// the node's ranks share, read only. The memory goes when the node's last dataset using it
/// does, with no MPI call. What makes a new dataset from it (take, select, a copy, a received
/// one) makes an ordinary private one. A CSV error is thrown on every rank of the node with the
/// reader's text; a node whose shared memory (/dev/shm) cannot hold the dataset gets a
/// baton::error saying how much it needs and how much is free. With a partition
/// (`node_shared(comm, partitioned(comm))`), the nodes split the rows: each node reads its
/// share once, all its ranks holding that share. See docs/dataset.md.
/// @code
/// auto ds = baton::local_dataset::read_csv("studentpor_bigger.csv", baton::node_shared(comm));
/// @endcode
template <class Comm>
csv_options node_shared(const Comm& comm, csv_options options = {}) {
    options.node_shared_comm = comm.native();
    return options;
}

}  // namespace baton
