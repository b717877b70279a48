#pragma once
/// @file
/// The mapping between C++ types and Python values: how each C++ type is written, which
/// Python values read into it (only those that convert without loss), and how a C++ type is
/// said in Python's words for an error ("a list of float").

#include <array>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

#include <baton/error.hpp>
#include <baton/py/detail/elements.hpp>
#include <baton/py/detail/pickler.hpp>
#include <baton/py/detail/unpickler.hpp>
#include <baton/py/ndarray.hpp>
#include <baton/py/object.hpp>
#include <baton/type_name.hpp>

namespace baton::py::detail {

/// A value that does not convert: what was expected and got, and where inside the whole value
/// (Python's subscripts, "[3]['a']"; empty at the top).
struct mismatch {
    std::string expected;
    std::string got;
    std::string path;
};

// ---- what kind of C++ type ------------------------------------------------------------------
template <class T>
struct is_vector : std::false_type {};
template <class T, class A>
struct is_vector<std::vector<T, A>> : std::true_type {};
template <class T>
struct is_std_array : std::false_type {};
template <class T, std::size_t N>
struct is_std_array<std::array<T, N>> : std::true_type {};
template <class T>
struct is_tuple_like : std::false_type {};
template <class... Ts>
struct is_tuple_like<std::tuple<Ts...>> : std::true_type {};
template <class A, class B>
struct is_tuple_like<std::pair<A, B>> : std::true_type {};
template <class T>
struct is_map : std::false_type {};
template <class K, class V, class C, class A>
struct is_map<std::map<K, V, C, A>> : std::true_type {};
template <class K, class V, class H, class E, class A>
struct is_map<std::unordered_map<K, V, H, E, A>> : std::true_type {};
template <class T>
struct is_set : std::false_type {};
template <class K, class C, class A>
struct is_set<std::set<K, C, A>> : std::true_type {};
template <class K, class H, class E, class A>
struct is_set<std::unordered_set<K, H, E, A>> : std::true_type {};
template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};
template <class T>
struct is_variant : std::false_type {};
template <class... Ts>
struct is_variant<std::variant<Ts...>> : std::true_type {};
template <class T>
struct is_ndarray : std::false_type {};
template <class T>
struct is_ndarray<ndarray<T>> : std::true_type {};

template <class T>
constexpr bool is_byte_vector = std::is_same_v<T, std::vector<std::byte>>;
template <class T>
constexpr bool is_none_type = std::is_same_v<T, std::monostate> || std::is_same_v<T, std::nullptr_t>;
template <class T>
constexpr bool is_integer = std::is_integral_v<T> && !std::is_same_v<T, bool>;
template <class T>
constexpr bool is_text = std::is_same_v<T, std::string> || std::is_same_v<T, std::string_view> ||
                         std::is_same_v<T, const char*> || std::is_same_v<T, char*>;
template <class>
constexpr bool dependent_false = false;

// ---- in Python's words ----------------------------------------------------------------------
template <class T>
std::string describe();

template <class Tuple, std::size_t... I>
std::string describe_items(std::index_sequence<I...>) {
    std::string out;
    ((out += (I ? ", " : "") + describe<std::tuple_element_t<I, Tuple>>()), ...);
    return out;
}

template <class... Ts>
std::string describe_alternatives(std::variant<Ts...>*) {
    std::string out;
    ((out += (out.empty() ? "" : " or ") + describe<Ts>()), ...);
    return out;
}

template <class T>
std::string describe() {
    if constexpr (std::is_same_v<T, object>)
        return "any value";
    else if constexpr (is_none_type<T>)
        return "None";
    else if constexpr (std::is_same_v<T, bool>)
        return "bool";
    else if constexpr (is_integer<T>)
        return "int";
    else if constexpr (std::is_floating_point_v<T>)
        return "float";
    else if constexpr (is_text<T>)
        return "str";
    else if constexpr (is_byte_vector<T>)
        return "bytes";
    else if constexpr (is_optional<T>::value)
        return describe<typename T::value_type>() + " or None";
    else if constexpr (is_vector<T>::value)
        return "a list of " + describe<typename T::value_type>();
    else if constexpr (is_std_array<T>::value)
        return "a tuple of " + std::to_string(std::tuple_size_v<T>) + " " + describe<typename T::value_type>();
    else if constexpr (is_tuple_like<T>::value)
        return "a tuple (" + describe_items<T>(std::make_index_sequence<std::tuple_size_v<T>>{}) + ")";
    else if constexpr (is_map<T>::value)
        return "a dict of " + describe<typename T::key_type>() + " to " + describe<typename T::mapped_type>();
    else if constexpr (is_set<T>::value)
        return "a set of " + describe<typename T::key_type>();
    else if constexpr (is_ndarray<T>::value)
        return "a numpy.ndarray of " +
               dtype::of<typename std::decay_t<decltype(std::declval<T>().values())>::value_type>().name();
    else if constexpr (is_variant<T>::value)
        return describe_alternatives(static_cast<T*>(nullptr));
    else
        static_assert(dependent_false<T>,
                      "baton::py: this C++ type has no Python counterpart (see docs/python.md for the mapping)");
}

// ---- writing --------------------------------------------------------------------------------
inline bool little_endian_host() {
    const std::uint16_t one = 1;
    unsigned char first;
    std::memcpy(&first, &one, 1);
    return first == 1;
}

template <class U>
array_data array_of(const ndarray<U>& a) {
    array_data out{dtype::of<U>(), a.shape(), false, {}};
    const auto& values = a.values();
    if constexpr (std::is_same_v<U, bool>) {
        out.data.resize(values.size());
        for (std::size_t i = 0; i < values.size(); ++i) out.data[i] = values[i] ? 1 : 0;
    } else {
        out.data.resize(values.size() * sizeof(U));
        if (!values.empty()) std::memcpy(&out.data[0], values.data(), out.data.size());
        if (!little_endian_host()) out.dtype.big_endian = true;
    }
    return out;
}

template <class T>
void write(pickler& out, const T& value);

template <class Range>
void write_batches(pickler& out, const Range& items, bool is_set) {
    std::size_t n = 0;
    for (const auto& item : items) {
        if (n % pickler::batch == 0) out.mark();
        write(out, item);
        if (++n % pickler::batch == 0) is_set ? out.additems() : out.appends();
    }
    if (n % pickler::batch != 0) is_set ? out.additems() : out.appends();
}

template <class T>
void write(pickler& out, const T& value) {
    if constexpr (std::is_same_v<T, object>)
        out.value(value);
    else if constexpr (is_none_type<T>)
        out.none();
    else if constexpr (std::is_same_v<T, bool>)
        out.boolean(value);
    else if constexpr (is_integer<T> && std::is_signed_v<T>)
        out.integer(value);
    else if constexpr (is_integer<T>)
        out.unsigned_integer(value);
    else if constexpr (std::is_floating_point_v<T>)
        out.floating(static_cast<double>(value));
    else if constexpr (is_text<T>)
        out.str(std::string_view(value));
    else if constexpr (is_byte_vector<T>)
        out.bytes(std::string_view(reinterpret_cast<const char*>(value.data()), value.size()));
    else if constexpr (is_optional<T>::value) {
        if (value)
            write(out, *value);
        else
            out.none();
    } else if constexpr (is_vector<T>::value) {
        if constexpr (std::is_floating_point_v<typename T::value_type>) {
            out.float_list(value.data(), value.size());
        } else {
            if constexpr (std::is_arithmetic_v<typename T::value_type>)
                out.reserve(value.size() * 9 + value.size() / 500 + 16);
            out.begin_list();
            write_batches(out, value, false);
        }
    } else if constexpr (is_std_array<T>::value || is_tuple_like<T>::value) {
        constexpr std::size_t n = std::tuple_size_v<T>;
        if (n > 3) out.mark();
        std::apply([&out](const auto&... items) { (write(out, items), ...); }, value);
        n > 3 ? out.tuple_at_mark() : out.tuple_of(n);
    } else if constexpr (is_map<T>::value) {
        out.begin_dict();
        std::size_t n = 0;
        for (const auto& [k, v] : value) {
            if (n % pickler::batch == 0) out.mark();
            write(out, k);
            write(out, v);
            if (++n % pickler::batch == 0) out.setitems();
        }
        if (n % pickler::batch != 0) out.setitems();
    } else if constexpr (is_set<T>::value) {
        out.begin_set();
        write_batches(out, value, true);
    } else if constexpr (is_ndarray<T>::value)
        out.array(array_of(value));
    else if constexpr (is_variant<T>::value)
        std::visit([&out](const auto& held) { write(out, held); }, value);
    else
        static_assert(dependent_false<T>,
                      "baton::py: this C++ type has no Python counterpart (see docs/python.md for the mapping)");
}

// ---- reading --------------------------------------------------------------------------------
inline std::string got_of(const object& o) {
    return o.python_type();
}

template <class T>
[[noreturn]] void refuse(const object& o, std::string got = {}) {
    throw mismatch{describe<T>(), got.empty() ? got_of(o) : std::move(got), {}};
}

template <class T>
T read(const object& o);

/// Reads item i of a container, adding its subscript to a failure's path.
template <class T, class Subscript>
T read_at(const object& o, Subscript&& subscript) {
    try {
        return read<T>(o);
    } catch (mismatch& m) {
        m.path = subscript() + m.path;
        throw;
    }
}

template <class T>
T integer_from(const object& o, std::int64_t v, bool is_unsigned, std::uint64_t u) {
    bool fits;
    if (is_unsigned)
        fits = u <= static_cast<std::uint64_t>(std::numeric_limits<T>::max());
    else if constexpr (std::is_signed_v<T>)
        fits = v >= std::numeric_limits<T>::min() && v <= std::numeric_limits<T>::max();
    else
        fits = v >= 0 && static_cast<std::uint64_t>(v) <= std::numeric_limits<T>::max();
    if (!fits)
        refuse<T>(o, o.python_type() + " " + (is_unsigned ? std::to_string(u) : std::to_string(v)) + ", outside " +
                         type_name<T>());
    return is_unsigned ? static_cast<T>(u) : static_cast<T>(v);
}

template <class T>
T read_integer(const object& o) {
    if (o.type() == kind::integer) {
        if (o.fits_int64()) return integer_from<T>(o, o.integer(), false, 0);
        std::string bytes = o.integer_bytes();  // past int64: only uint64 may still hold it
        if constexpr (std::is_unsigned_v<T> && sizeof(T) == 8) {
            if (bytes.size() == 9 && bytes[8] == 0) {
                std::uint64_t u = 0;
                for (std::size_t i = 0; i < 8; ++i) u |= std::uint64_t{static_cast<unsigned char>(bytes[i])} << (8 * i);
                return static_cast<T>(u);
            }
        }
        refuse<T>(o, "int " + o.repr() + ", outside " + type_name<T>());
    }
    if (o.type() == kind::scalar && (o.scalar().dtype.kind == 'i' || o.scalar().dtype.kind == 'u')) {
        auto e = load_element(o.scalar().dtype, o.scalar().data.data());
        return integer_from<T>(o, e.as_signed, o.scalar().dtype.kind == 'u', e.as_unsigned);
    }
    refuse<T>(o);
}

template <class T>
T floating_from(const object& o, double d) {
    if constexpr (sizeof(T) < sizeof(double)) {
        if (std::isfinite(d) && static_cast<double>(static_cast<T>(d)) != d)
            refuse<T>(o, o.python_type() + " " + o.repr() + ", not exact as " + type_name<T>());
    }
    return static_cast<T>(d);
}

template <class T>
T read_floating(const object& o) {
    if (o.type() == kind::floating) return floating_from<T>(o, o.floating());
    if (o.type() == kind::scalar && o.scalar().dtype.kind == 'f')
        return floating_from<T>(o, load_element(o.scalar().dtype, o.scalar().data.data()).as_double);
    if (o.type() == kind::integer) {  // Python lists of floats often hold a 1
        if (o.fits_int64()) {
            std::int64_t v = o.integer();
            auto d = static_cast<T>(v);
            if (std::abs(v) < (std::int64_t{1} << 53) && static_cast<std::int64_t>(d) == v) return d;
        }
        refuse<T>(o, "int " + o.repr() + ", not exact as " + type_name<T>());
    }
    refuse<T>(o);
}

/// An element of a NumPy array as U, by the scalar rules.
template <class U>
U read_element(const dtype& type, const char* p, std::size_t index) {
    object as_scalar = object::scalar(scalar_data{type, std::string(p, type.itemsize)});
    return read_at<U>(as_scalar, [index] { return "[" + std::to_string(index) + "]"; });
}

template <class T>
T read_sequence(const object& o) {
    using U = typename T::value_type;
    T out;
    if (o.type() == kind::list || o.type() == kind::tuple) {
        const auto& items = o.items();
        out.reserve(items.size());
        if constexpr (std::is_same_v<U, double>) {
            for (const auto& item : items) {  // the common case: floats, without the call
                if (item.type() == kind::floating)
                    out.push_back(item.floating());
                else
                    out.push_back(read_at<U>(item, [&] { return "[" + std::to_string(out.size()) + "]"; }));
            }
        } else {
            for (const auto& item : items)
                out.push_back(read_at<U>(item, [&] { return "[" + std::to_string(out.size()) + "]"; }));
        }
        return out;
    }
    if (o.type() == kind::ndarray && o.array().shape.size() == 1) {
        const auto& a = o.array();
        std::size_t n = a.shape[0];
        if constexpr (std::is_arithmetic_v<U> && !std::is_same_v<U, bool>) {
            if (a.dtype == dtype::of<U>() && little_endian_host()) {
                out.resize(n);
                if (n) std::memcpy(out.data(), a.data.data(), n * sizeof(U));
                return out;
            }
        }
        if constexpr (std::is_arithmetic_v<U> || std::is_same_v<U, object>) {
            out.reserve(n);
            for (std::size_t i = 0; i < n; ++i)
                out.push_back(read_element<U>(a.dtype, a.data.data() + i * a.dtype.itemsize, i));
            return out;
        }
    }
    if constexpr (std::is_same_v<U, std::uint8_t>) {
        if (o.type() == kind::bytes || o.type() == kind::bytearray) return T(o.text().begin(), o.text().end());
    }
    refuse<T>(o, o.type() == kind::ndarray
                     ? "numpy.ndarray of " + std::to_string(o.array().shape.size()) + " dimensions"
                     : got_of(o));
}

template <class T, std::size_t... I>
T read_tuple(const object& o, std::index_sequence<I...>) {
    constexpr std::size_t n = sizeof...(I);
    if ((o.type() != kind::tuple && o.type() != kind::list) || o.items().size() != n) {
        refuse<T>(o, o.type() == kind::tuple || o.type() == kind::list
                         ? o.python_type() + " of " + std::to_string(o.items().size())
                         : got_of(o));
    }
    const auto& items = o.items();
    if constexpr (is_std_array<T>::value) {
        return T{read_at<typename T::value_type>(items[I], [] { return "[" + std::to_string(I) + "]"; })...};
    } else {
        return T{read_at<std::tuple_element_t<I, T>>(items[I], [] { return "[" + std::to_string(I) + "]"; })...};
    }
}

template <class T>
T read_ndarray(const object& o) {
    using U = typename std::decay_t<decltype(std::declval<T>().values())>::value_type;
    dtype want = dtype::of<U>();
    if (o.type() != kind::ndarray) refuse<T>(o);
    const auto& a = o.array();
    if (a.dtype.kind != want.kind || a.dtype.itemsize != want.itemsize)
        refuse<T>(o, "numpy.ndarray of " + a.dtype.name());
    std::size_t n = a.element_count();
    std::vector<U> values(n);
    // The element in C order at position c lies at the Fortran position of the same index.
    std::vector<std::size_t> index(a.shape.size(), 0);
    for (std::size_t c = 0; c < n; ++c) {
        std::size_t source = c;
        if (a.fortran_order && a.shape.size() > 1) {
            source = 0;
            std::size_t stride = 1;
            for (std::size_t d = 0; d < a.shape.size(); ++d) {
                source += index[d] * stride;
                stride *= a.shape[d];
            }
            for (std::size_t d = a.shape.size(); d-- > 0;) {  // next C-order index
                if (++index[d] < a.shape[d]) break;
                index[d] = 0;
            }
        }
        auto e = load_element(a.dtype, a.data.data() + source * a.dtype.itemsize);
        if constexpr (std::is_same_v<U, bool>)
            values[c] = e.as_unsigned != 0;
        else if constexpr (std::is_floating_point_v<U>)
            values[c] = static_cast<U>(e.as_double);
        else if constexpr (std::is_signed_v<U>)
            values[c] = static_cast<U>(e.as_signed);
        else
            values[c] = static_cast<U>(e.as_unsigned);
    }
    return T(a.shape, std::move(values));
}

/// Whether o is of the Python type T writes: the first choice for a variant.
template <class T>
bool natural(const object& o) {
    kind k = o.type();
    if constexpr (std::is_same_v<T, object>)
        return true;
    else if constexpr (is_none_type<T>)
        return k == kind::none;
    else if constexpr (std::is_same_v<T, bool>)
        return k == kind::boolean;
    else if constexpr (is_integer<T>)
        return k == kind::integer;
    else if constexpr (std::is_floating_point_v<T>)
        return k == kind::floating;
    else if constexpr (is_text<T>)
        return k == kind::str;
    else if constexpr (is_byte_vector<T>)
        return k == kind::bytes;
    else if constexpr (is_optional<T>::value)
        return k == kind::none || natural<typename T::value_type>(o);
    else if constexpr (is_vector<T>::value)
        return k == kind::list;
    else if constexpr (is_std_array<T>::value || is_tuple_like<T>::value)
        return k == kind::tuple;
    else if constexpr (is_map<T>::value)
        return k == kind::dict;
    else if constexpr (is_set<T>::value)
        return k == kind::set;
    else if constexpr (is_ndarray<T>::value)
        return k == kind::ndarray;
    else
        return false;
}

template <class V, std::size_t I = 0>
bool read_alternative(const object& o, bool natural_only, std::optional<V>& out) {
    if constexpr (I == std::variant_size_v<V>) {
        return false;
    } else {
        using A = std::variant_alternative_t<I, V>;
        if (!natural_only || natural<A>(o)) {
            try {
                out.emplace(std::in_place_index<I>, read<A>(o));
                return true;
            } catch (const mismatch&) {
            }
        }
        return read_alternative<V, I + 1>(o, natural_only, out);
    }
}

template <class T>
T read(const object& o) {
    if constexpr (std::is_same_v<T, object>)
        return o;
    else if constexpr (is_none_type<T>) {
        if (!o.is_none()) refuse<T>(o);
        return T{};
    } else if constexpr (std::is_same_v<T, bool>) {
        if (o.type() == kind::boolean) return o.boolean();
        if (o.type() == kind::scalar && o.scalar().dtype.kind == 'b') return o.scalar().data[0] != 0;
        refuse<T>(o);
    } else if constexpr (is_integer<T>)
        return read_integer<T>(o);
    else if constexpr (std::is_floating_point_v<T>)
        return read_floating<T>(o);
    else if constexpr (std::is_same_v<T, std::string>) {
        if (o.type() != kind::str) refuse<T>(o);
        return o.text();
    } else if constexpr (is_byte_vector<T>) {
        if (o.type() != kind::bytes && o.type() != kind::bytearray) refuse<T>(o);
        const auto& s = o.text();
        T out(s.size());
        if (!s.empty()) std::memcpy(out.data(), s.data(), s.size());
        return out;
    } else if constexpr (is_optional<T>::value) {
        if (o.is_none()) return T{};
        return T{read<typename T::value_type>(o)};
    } else if constexpr (is_vector<T>::value)
        return read_sequence<T>(o);
    else if constexpr (is_std_array<T>::value || is_tuple_like<T>::value)
        return read_tuple<T>(o, std::make_index_sequence<std::tuple_size_v<T>>{});
    else if constexpr (is_map<T>::value) {
        if (o.type() != kind::dict) refuse<T>(o);
        T out;
        for (const auto& entry : o.entries()) {
            const object& k = entry.first;
            const object& v = entry.second;
            auto key = read_at<typename T::key_type>(k, [&] { return "[" + k.repr() + "] (the key)"; });
            auto value = read_at<typename T::mapped_type>(v, [&] { return "[" + k.repr() + "]"; });
            if (!out.emplace(std::move(key), std::move(value)).second) {
                throw mismatch{
                    describe<T>(),
                    "dict whose keys " + k.repr() + " and another are one " + type_name<typename T::key_type>(),
                    {}};
            }
        }
        return out;
    } else if constexpr (is_set<T>::value) {
        if (o.type() != kind::set && o.type() != kind::frozenset) refuse<T>(o);
        T out;
        for (const auto& item : o.items()) {
            if (!out.insert(read_at<typename T::key_type>(item, [&] { return "{" + item.repr() + "}"; })).second) {
                throw mismatch{
                    describe<T>(),
                    "set whose items " + item.repr() + " and another are one " + type_name<typename T::key_type>(),
                    {}};
            }
        }
        return out;
    } else if constexpr (is_ndarray<T>::value)
        return read_ndarray<T>(o);
    else if constexpr (is_variant<T>::value) {
        std::optional<T> out;
        if (read_alternative<T>(o, true, out) || read_alternative<T>(o, false, out)) return std::move(*out);
        refuse<T>(o);
    } else
        static_assert(dependent_false<T>,
                      "baton::py: this C++ type has no Python counterpart (see docs/python.md for the mapping)");
}

/// read<T>, with a failure turned into baton::type_mismatch naming both sides in both languages:
/// "expected std::vector<double> (a list of float), got dict".
template <class T>
T convert(const object& o) {
    try {
        return read<T>(o);
    } catch (const mismatch& m) {
        std::string expected = type_name<T>();
        std::string words = describe<T>();
        std::string message = "expected " + expected + (words == expected ? "" : " (" + words + ")") + ", got " +
                              (m.path.empty() ? m.got
                                              : o.python_type() + " whose item " + m.path + " is " + m.got + " where " +
                                                    m.expected + " was expected");
        throw baton::type_mismatch(message, expected, m.path.empty() ? m.got : o.python_type());
    }
}

}  // namespace baton::py::detail

namespace baton::py {

template <class T>
T object::as() const {
    return detail::convert<T>(*this);
}

template <class T>
object object::from(const T& value) {
    if constexpr (std::is_same_v<T, object>) {
        return value;
    } else {
        detail::pickler out;
        detail::write(out, value);
        return detail::unpickler(out.finish()).load();
    }
}

}  // namespace baton::py
