#pragma once
/// @file
/// baton::py::object: one Python value of the pickle codec's subset, kept exactly as Python
/// had it (ints of any size, dict insertion order, list against tuple, bytes against bytearray,
/// set against frozenset, an array's dtype, shape and order).
///
/// Containers share their contents between copies of an object until one copy is changed
/// (copy on write), so a value that a pickle referenced twice (one list in two places) is held
/// once and pickled back as one value referenced twice; changing one copy never changes another.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <baton/error.hpp>
#include <baton/py/dtype.hpp>

namespace baton::py {

/// @brief The Python type of a baton::py::object.
enum class kind : std::uint8_t {
    none,       ///< None
    boolean,    ///< bool
    integer,    ///< int, of any size
    floating,   ///< float
    str,        ///< str, held as UTF-8
    bytes,      ///< bytes
    bytearray,  ///< bytearray
    list,       ///< list
    tuple,      ///< tuple
    dict,       ///< dict, in insertion order
    set,        ///< set, in the order read or built
    frozenset,  ///< frozenset, likewise
    ndarray,    ///< numpy.ndarray
    scalar,     ///< a NumPy scalar (numpy.float64, numpy.int32, ...)
};

/// @brief A NumPy array's contents: its dtype, shape, memory order and raw element bytes (in
/// the dtype's byte order; C order unless fortran_order).
struct array_data {
    py::dtype dtype;                 ///< Element type and byte order.
    std::vector<std::size_t> shape;  ///< Length of each dimension.
    bool fortran_order = false;      ///< Whether the elements lie in Fortran (column-major) order.
    std::string data;                ///< The elements' bytes, shape's product times itemsize.

    /// The number of elements: the product of the shape.
    std::size_t element_count() const {
        std::size_t n = 1;
        for (auto d : shape) n *= d;
        return n;
    }
};

/// @brief A NumPy scalar: its dtype and its value's bytes (in the dtype's byte order).
struct scalar_data {
    py::dtype dtype;   ///< Type and byte order.
    std::string data;  ///< itemsize bytes.
};

namespace detail {
class unpickler;
class object_access;
}  // namespace detail

/// @brief One Python value (see the file's comment). Default-constructed it is None.
class object {
public:
    /// A list's, tuple's, set's or frozenset's items.
    using item_list = std::vector<object>;
    /// A dict's entries, in insertion order.
    using dict_items = std::vector<std::pair<object, object>>;

    /// None.
    object() noexcept = default;
    /// None.
    object(std::nullptr_t) noexcept {}
    /// A bool.
    object(bool value) noexcept : kind_(kind::boolean) { scalar_.i = value ? 1 : 0; }
    /// An int from any C++ integer type.
    template <class I, std::enable_if_t<std::is_integral_v<I> && !std::is_same_v<I, bool>, int> = 0>
    object(I value) : kind_(kind::integer) {
        if constexpr (std::is_unsigned_v<I> && sizeof(I) >= sizeof(std::int64_t)) {
            if (value > static_cast<I>(std::numeric_limits<std::int64_t>::max())) {
                std::string bytes;  // little-endian two's complement, with a zero byte for the sign
                for (unsigned long long v = value; v != 0; v >>= 8) bytes.push_back(static_cast<char>(v & 0xff));
                bytes.push_back('\0');
                heap_ = std::make_shared<std::string>(std::move(bytes));
                return;
            }
        }
        scalar_.i = static_cast<std::int64_t>(value);
    }
    /// A float.
    object(double value) noexcept : kind_(kind::floating) { scalar_.f = value; }
    /// A str; the text must be UTF-8 (checked when pickled).
    object(std::string text) : kind_(kind::str), heap_(std::make_shared<std::string>(std::move(text))) {}
    /// A str.
    object(std::string_view text) : object(std::string(text)) {}
    /// A str.
    object(const char* text) : object(std::string(text)) {}

    /// bytes holding data.
    static object bytes(std::string data) {
        return object(kind::bytes, std::make_shared<std::string>(std::move(data)));
    }
    /// A bytearray holding data.
    static object bytearray(std::string data) {
        return object(kind::bytearray, std::make_shared<std::string>(std::move(data)));
    }
    /// An int of any size from its little-endian two's-complement bytes (as pickle's LONG1
    /// carries it; empty is 0).
    static object integer_from_bytes(std::string_view little_endian);
    /// A list.
    static object list(item_list items = {}) {
        return object(kind::list, std::make_shared<item_list>(std::move(items)));
    }
    /// A tuple.
    static object tuple(item_list items = {}) {
        return object(kind::tuple, std::make_shared<item_list>(std::move(items)));
    }
    /// A set; throws baton::error if two items are equal or one cannot be a set's item.
    static object set(item_list items = {});
    /// A frozenset; likewise.
    static object frozenset(item_list items = {});
    /// A dict; throws baton::error if a key repeats or cannot be a key.
    static object dict(dict_items entries = {});
    /// A numpy.ndarray; throws baton::error if data's size does not match shape and dtype.
    static object array(array_data contents);
    /// A NumPy scalar; throws baton::error if data's size is not the dtype's itemsize.
    static object scalar(scalar_data contents);
    /// The object for a C++ value, converted as baton::py::pickle converts it.
    template <class T>
    static object from(const T& value);

    /// The Python type.
    py::kind type() const noexcept { return kind_; }
    /// Python's name of the type: "NoneType", "bool", "int", "float", "str", "bytes",
    /// "bytearray", "list", "tuple", "dict", "set", "frozenset", "numpy.ndarray", or a NumPy
    /// scalar's ("numpy.float64").
    std::string python_type() const;
    /// Whether this is None.
    bool is_none() const noexcept { return kind_ == kind::none; }
    /// The value as T, converted as baton::py::unpickle<T> converts; throws baton::type_mismatch.
    template <class T>
    T as() const;

    /// A bool's value; throws baton::type_mismatch for any other type.
    bool boolean() const {
        expect(kind::boolean, "bool");
        return scalar_.i != 0;
    }
    /// A float's value; throws baton::type_mismatch for any other type.
    double floating() const {
        expect(kind::floating, "float");
        return scalar_.f;
    }
    /// Whether an int's value fits std::int64_t (false for any other type).
    bool fits_int64() const noexcept { return kind_ == kind::integer && !heap_; }
    /// An int's value; throws baton::type_mismatch for any other type or one past int64's range.
    std::int64_t integer() const;
    /// An int's little-endian two's-complement bytes, the fewest that hold it (empty for 0).
    std::string integer_bytes() const;
    /// A str's UTF-8 text, or the contents of bytes or a bytearray.
    const std::string& text() const;

    /// len(): the items of a list, tuple, set, frozenset or dict, the bytes of bytes or a
    /// bytearray, the code points of a str, the first dimension of an array.
    std::size_t size() const;
    /// The items of a list, tuple, set or frozenset.
    const item_list& items() const;
    /// Item i of a list or tuple; throws baton::usage_error past the end.
    const object& operator[](std::size_t i) const;
    /// A dict's entries in insertion order.
    const dict_items& entries() const;
    /// A dict's keys in insertion order.
    item_list keys() const;
    /// The value under key in a dict, or nullptr.
    const object* find(const object& key) const;
    /// The value under key in a dict; throws baton::error naming the key if it is absent.
    const object& at(const object& key) const;
    /// An array's contents.
    const array_data& array() const;
    /// A NumPy scalar's contents.
    const scalar_data& scalar() const;

    /// Appends to a list.
    void append(object item);
    /// Adds to a set or frozenset (nothing if an equal item is there).
    void add(object item);
    /// Sets key to value in a dict: replaced where the key is, appended where it is new.
    void set_item(object key, object value);

    /// Python's repr() of the value, as Python 3 prints it (for NumPy values, a form close to
    /// NumPy's).
    std::string repr() const;

    /// Same type and equal value: 1 and 1.0 differ, as do a list and a tuple; dicts and sets
    /// compare regardless of order, floats as IEEE numbers (NaN differs from itself).
    friend bool operator==(const object& a, const object& b);
    /// Not ==.
    friend bool operator!=(const object& a, const object& b) { return !(a == b); }

private:
    friend class detail::unpickler;
    friend class detail::object_access;

    object(py::kind k, std::shared_ptr<void> heap) noexcept : kind_(k), heap_(std::move(heap)) {}
    void expect(py::kind k, const char* name) const;
    template <class Node>
    Node& mutable_node();  // copies a shared node first

    py::kind kind_ = kind::none;
    union {
        std::int64_t i;
        double f;
    } scalar_ = {0};              // bool, small int, float; for a container while it is decoded, its height
    std::shared_ptr<void> heap_;  // std::string, item_list, dict_items, array_data or scalar_data
};

}  // namespace baton::py

// The member functions' bodies: first those that are not templates, then as<T> and from<T>,
// which need the whole codec.
#include <baton/py/detail/object_impl.hpp>
//
#include <baton/py/detail/conversion.hpp>
