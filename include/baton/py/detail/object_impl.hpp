#pragma once
/// @file
/// baton::py::object's member functions that are not templates.

#include <algorithm>
#include <cstring>
#include <functional>

#include <baton/py/detail/elements.hpp>
#include <baton/py/detail/python_text.hpp>
#include <baton/py/object.hpp>

namespace baton::py {

namespace detail {

/// What the codec's internals may see of an object's representation.
class object_access {
public:
    static const std::shared_ptr<void>& heap(const object& o) noexcept { return o.heap_; }
    static std::int64_t& meta(object& o) noexcept { return o.scalar_.i; }
    static std::int64_t meta(const object& o) noexcept { return o.scalar_.i; }
    static object make(kind k, std::shared_ptr<void> heap) { return object(k, std::move(heap)); }
    template <class Node>
    static Node& node(object& o) {
        return *static_cast<Node*>(o.heap_.get());
    }
    template <class Node>
    static const Node& node(const object& o) {
        return *static_cast<const Node*>(o.heap_.get());
    }
};

/// The fewest of a two's-complement integer's little-endian bytes that keep its value and sign
/// (none for 0).
inline std::string_view fewest_integer_bytes(std::string_view bytes) {
    while (bytes.size() > 1) {
        auto last = static_cast<unsigned char>(bytes[bytes.size() - 1]);
        auto before = static_cast<unsigned char>(bytes[bytes.size() - 2]);
        if (!((last == 0 && before < 0x80) || (last == 0xff && before >= 0x80))) break;
        bytes.remove_suffix(1);
    }
    if (bytes.size() == 1 && bytes[0] == 0) bytes = {};
    return bytes;
}

/// The value of a NumPy scalar as Python prints the number.
inline std::string scalar_value_repr(const scalar_data& s) {
    element_value v = load_element(s.dtype, s.data.data());
    switch (s.dtype.kind) {
        case 'b':
            return v.as_unsigned ? "True" : "False";
        case 'i':
            return std::to_string(v.as_signed);
        case 'u':
            return std::to_string(v.as_unsigned);
        default:
            return float_repr(v.as_double);
    }
}

inline bool is_sequence(kind k) {
    return k == kind::list || k == kind::tuple || k == kind::set || k == kind::frozenset;
}
inline bool is_container(kind k) {
    return is_sequence(k) || k == kind::dict;
}

/// Whether a value can be a dict key or a set's item, as Python decides.
inline bool hashable(const object& o) {
    switch (o.type()) {
        case kind::list:
        case kind::dict:
        case kind::set:
        case kind::bytearray:
        case kind::ndarray:
            return false;
        case kind::tuple:
            return std::all_of(o.items().begin(), o.items().end(), [](const object& item) { return hashable(item); });
        default:
            return true;
    }
}

/// A hash consistent with ==, for finding repeated keys.
inline std::size_t hash_of(const object& o) {
    std::size_t h = static_cast<std::size_t>(o.type()) * 0x9e3779b97f4a7c15ull;
    auto mix = [&h](std::size_t v) { h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2); };
    switch (o.type()) {
        case kind::boolean:
            mix(o.boolean());
            break;
        case kind::integer:
            mix(std::hash<std::string>{}(o.integer_bytes()));
            break;
        case kind::floating: {
            double d = o.floating();
            mix(d == 0 ? 0 : std::hash<double>{}(d));
            break;
        }
        case kind::str:
        case kind::bytes:
            mix(std::hash<std::string>{}(o.text()));
            break;
        case kind::tuple:
            for (const auto& item : o.items()) mix(hash_of(item));
            break;
        case kind::frozenset: {
            std::size_t sum = 0;  // order-free, as the set's equality is
            for (const auto& item : o.items()) sum += hash_of(item);
            mix(sum);
            break;
        }
        case kind::scalar:
            mix(std::hash<std::string>{}(o.scalar().data));
            break;
        default:
            break;
    }
    return h;
}

/// Throws if two of the keys are equal, or one cannot be a key. `what` names the container.
template <class KeyOf, class Items>
void check_unique_keys(const Items& items, KeyOf key_of, const char* what) {
    for (const auto& item : items) {
        if (!hashable(key_of(item))) {
            throw baton::error(std::string("pickle: a ") + what + " cannot hold an unhashable " +
                               key_of(item).python_type() + " (Python refuses it too)");
        }
    }
    if (items.size() < 2) return;
    std::vector<std::pair<std::size_t, std::size_t>> hashes;  // (hash, index)
    hashes.reserve(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) hashes.emplace_back(hash_of(key_of(items[i])), i);
    std::sort(hashes.begin(), hashes.end());
    for (std::size_t i = 0; i < hashes.size(); ++i) {
        for (std::size_t j = i + 1; j < hashes.size() && hashes[j].first == hashes[i].first; ++j) {
            if (key_of(items[hashes[i].second]) == key_of(items[hashes[j].second])) {
                throw baton::error(std::string("pickle: a ") + what + " holds " +
                                   key_of(items[hashes[j].second]).repr() + " twice");
            }
        }
    }
}

inline const object& self(const object& o) {
    return o;
}
inline const object& first(const std::pair<object, object>& entry) {
    return entry.first;
}

/// Equal as Python's set equality is: the same items in any order.
inline bool same_items_any_order(const object::item_list& a, const object::item_list& b) {
    if (a.size() != b.size()) return false;
    if (std::equal(a.begin(), a.end(), b.begin())) return true;
    std::vector<bool> used(b.size(), false);
    for (const auto& x : a) {
        bool found = false;
        for (std::size_t j = 0; j < b.size() && !found; ++j) {
            if (!used[j] && x == b[j]) used[j] = found = true;
        }
        if (!found) return false;
    }
    return true;
}

}  // namespace detail

inline object object::integer_from_bytes(std::string_view bytes) {
    bytes = detail::fewest_integer_bytes(bytes);
    object o;
    o.kind_ = kind::integer;
    if (bytes.size() <= 8) {
        std::uint64_t v = 0;
        for (std::size_t i = 0; i < bytes.size(); ++i)
            v |= std::uint64_t{static_cast<unsigned char>(bytes[i])} << (8 * i);
        if (!bytes.empty() && static_cast<unsigned char>(bytes.back()) >= 0x80 && bytes.size() < 8) {
            v |= ~std::uint64_t{0} << (8 * bytes.size());  // sign extension
        }
        std::memcpy(&o.scalar_.i, &v, sizeof v);
    } else {
        o.heap_ = std::make_shared<std::string>(bytes);
    }
    return o;
}

inline object object::set(item_list items) {
    detail::check_unique_keys(items, detail::self, "set");
    return object(kind::set, std::make_shared<item_list>(std::move(items)));
}

inline object object::frozenset(item_list items) {
    detail::check_unique_keys(items, detail::self, "frozenset");
    return object(kind::frozenset, std::make_shared<item_list>(std::move(items)));
}

inline object object::dict(dict_items entries) {
    detail::check_unique_keys(entries, detail::first, "dict");
    return object(kind::dict, std::make_shared<dict_items>(std::move(entries)));
}

inline object object::array(array_data contents) {
    std::size_t count = 1;
    for (auto d : contents.shape) {
        if (d != 0 && count > std::numeric_limits<std::size_t>::max() / d)
            throw baton::error("numpy array: the shape's size overflows");
        count *= d;
    }
    if (count > std::numeric_limits<std::size_t>::max() / contents.dtype.itemsize ||
        contents.data.size() != count * contents.dtype.itemsize) {
        throw baton::error("numpy array: " + std::to_string(contents.data.size()) + " bytes of data for " +
                           std::to_string(count) + " elements of " + contents.dtype.name());
    }
    return object(kind::ndarray, std::make_shared<array_data>(std::move(contents)));
}

inline object object::scalar(scalar_data contents) {
    if (contents.data.size() != contents.dtype.itemsize) {
        throw baton::error("numpy scalar: " + std::to_string(contents.data.size()) + " bytes for a " +
                           contents.dtype.name());
    }
    return object(kind::scalar, std::make_shared<scalar_data>(std::move(contents)));
}

inline std::string object::python_type() const {
    switch (kind_) {
        case kind::none:
            return "NoneType";
        case kind::boolean:
            return "bool";
        case kind::integer:
            return "int";
        case kind::floating:
            return "float";
        case kind::str:
            return "str";
        case kind::bytes:
            return "bytes";
        case kind::bytearray:
            return "bytearray";
        case kind::list:
            return "list";
        case kind::tuple:
            return "tuple";
        case kind::dict:
            return "dict";
        case kind::set:
            return "set";
        case kind::frozenset:
            return "frozenset";
        case kind::ndarray:
            return "numpy.ndarray";
        case kind::scalar:
            return heap_ ? "numpy." + scalar().dtype.name() : "numpy scalar";
    }
    return "a value being decoded";  // the unpickler's own kinds, which never leave it
}

inline void object::expect(py::kind k, const char* name) const {
    if (kind_ != k) {
        throw baton::type_mismatch("baton::py::object: expected " + std::string(name) + ", got " + python_type(), name,
                                   python_type());
    }
}

inline std::int64_t object::integer() const {
    expect(kind::integer, "int");
    if (heap_) {
        throw baton::type_mismatch("baton::py::object: the int " + repr() + " does not fit std::int64_t",
                                   "std::int64_t", "int");
    }
    return scalar_.i;
}

inline std::string object::integer_bytes() const {
    expect(kind::integer, "int");
    if (heap_) return *static_cast<const std::string*>(heap_.get());
    char bytes[8];
    std::uint64_t v;
    std::memcpy(&v, &scalar_.i, sizeof v);
    for (std::size_t i = 0; i < 8; ++i) bytes[i] = static_cast<char>((v >> (8 * i)) & 0xff);
    return std::string(detail::fewest_integer_bytes(std::string_view(bytes, 8)));
}

inline const std::string& object::text() const {
    if (kind_ != kind::str && kind_ != kind::bytes && kind_ != kind::bytearray)
        expect(kind::str, "str, bytes or bytearray");
    return *static_cast<const std::string*>(heap_.get());
}

inline std::size_t object::size() const {
    switch (kind_) {
        case kind::str:
            return detail::code_points(text());
        case kind::bytes:
        case kind::bytearray:
            return text().size();
        case kind::dict:
            return entries().size();
        case kind::ndarray:
            return array().shape.empty() ? 0 : array().shape[0];
        default:
            return items().size();
    }
}

inline const object::item_list& object::items() const {
    if (!detail::is_sequence(kind_)) expect(kind::list, "list, tuple, set or frozenset");
    return *static_cast<const item_list*>(heap_.get());
}

inline const object& object::operator[](std::size_t i) const {
    if (kind_ != kind::list && kind_ != kind::tuple) expect(kind::list, "list or tuple");
    const auto& all = items();
    if (i >= all.size()) {
        throw baton::usage_error("baton::py::object: index " + std::to_string(i) + " past the end of a " +
                                 python_type() + " of " + std::to_string(all.size()));
    }
    return all[i];
}

inline const object::dict_items& object::entries() const {
    expect(kind::dict, "dict");
    return *static_cast<const dict_items*>(heap_.get());
}

inline object::item_list object::keys() const {
    item_list out;
    for (const auto& entry : entries()) out.push_back(entry.first);
    return out;
}

inline const object* object::find(const object& key) const {
    for (const auto& entry : entries()) {
        if (entry.first == key) return &entry.second;
    }
    return nullptr;
}

inline const object& object::at(const object& key) const {
    if (const object* value = find(key)) return *value;
    throw baton::error("baton::py::object: the dict has no key " + key.repr());
}

inline const array_data& object::array() const {
    expect(kind::ndarray, "numpy.ndarray");
    return *static_cast<const array_data*>(heap_.get());
}

inline const scalar_data& object::scalar() const {
    expect(kind::scalar, "a numpy scalar");
    return *static_cast<const scalar_data*>(heap_.get());
}

template <class Node>
Node& object::mutable_node() {
    if (heap_.use_count() > 1) heap_ = std::make_shared<Node>(*static_cast<const Node*>(heap_.get()));
    return *static_cast<Node*>(heap_.get());
}

inline void object::append(object item) {
    expect(kind::list, "list");
    mutable_node<item_list>().push_back(std::move(item));
}

inline void object::add(object item) {
    if (kind_ != kind::frozenset) expect(kind::set, "set or frozenset");
    if (!detail::hashable(item))
        throw baton::error("baton::py::object: a " + python_type() + " cannot hold an unhashable " +
                           item.python_type());
    for (const auto& present : items()) {
        if (present == item) return;
    }
    mutable_node<item_list>().push_back(std::move(item));
}

inline void object::set_item(object key, object value) {
    expect(kind::dict, "dict");
    if (!detail::hashable(key))
        throw baton::error("baton::py::object: a dict key cannot be an unhashable " + key.python_type());
    auto& all = mutable_node<dict_items>();
    for (auto& entry : all) {
        if (entry.first == key) {
            entry.second = std::move(value);
            return;
        }
    }
    all.emplace_back(std::move(key), std::move(value));
}

inline bool operator==(const object& a, const object& b) {
    if (a.kind_ != b.kind_) return false;
    if (a.heap_ == b.heap_ && a.heap_) return a.kind_ != kind::floating;  // the same node
    switch (a.kind_) {
        case kind::none:
            return true;
        case kind::boolean:
            return a.scalar_.i == b.scalar_.i;
        case kind::integer:
            return a.heap_ || b.heap_ ? a.integer_bytes() == b.integer_bytes() : a.scalar_.i == b.scalar_.i;
        case kind::floating:
            return a.scalar_.f == b.scalar_.f;
        case kind::str:
        case kind::bytes:
        case kind::bytearray:
            return a.text() == b.text();
        case kind::list:
        case kind::tuple:
            return a.items() == b.items();
        case kind::set:
        case kind::frozenset:
            return detail::same_items_any_order(a.items(), b.items());
        case kind::dict: {
            if (a.entries().size() != b.entries().size()) return false;
            for (const auto& entry : a.entries()) {
                const object* other = b.find(entry.first);
                if (!other || !(*other == entry.second)) return false;
            }
            return true;
        }
        case kind::ndarray: {
            const auto &x = a.array(), &y = b.array();
            return x.dtype == y.dtype && x.shape == y.shape && x.fortran_order == y.fortran_order && x.data == y.data;
        }
        case kind::scalar:
            return a.scalar().dtype == b.scalar().dtype && a.scalar().data == b.scalar().data;
    }
    return false;
}

inline std::string object::repr() const {
    switch (kind_) {
        case kind::none:
            return "None";
        case kind::boolean:
            return scalar_.i ? "True" : "False";
        case kind::integer:
            return detail::decimal(integer_bytes());
        case kind::floating:
            return detail::float_repr(scalar_.f);
        case kind::str:
            return detail::str_repr(text());
        case kind::bytes:
            return detail::bytes_repr(text());
        case kind::bytearray:
            return "bytearray(" + detail::bytes_repr(text()) + ")";
        case kind::list:
        case kind::tuple:
        case kind::set:
        case kind::frozenset: {
            const auto& all = items();
            if (all.empty())
                return kind_ == kind::list    ? "[]"
                       : kind_ == kind::tuple ? "()"
                       : kind_ == kind::set   ? "set()"
                                              : "frozenset()";
            std::string out = kind_ == kind::list    ? "["
                              : kind_ == kind::tuple ? "("
                              : kind_ == kind::set   ? "{"
                                                     : "frozenset({";
            for (std::size_t i = 0; i < all.size(); ++i) out += (i ? ", " : "") + all[i].repr();
            if (kind_ == kind::tuple && all.size() == 1) out += ",";
            return out + (kind_ == kind::list ? "]" : kind_ == kind::tuple ? ")" : kind_ == kind::set ? "}" : "})");
        }
        case kind::dict: {
            std::string out = "{";
            for (const auto& entry : entries())
                out += (out.size() > 1 ? ", " : "") + entry.first.repr() + ": " + entry.second.repr();
            return out + "}";
        }
        case kind::ndarray: {
            std::string shape;
            for (auto d : array().shape) shape += (shape.empty() ? "" : ", ") + std::to_string(d);
            if (array().shape.size() == 1) shape += ",";
            return "numpy.ndarray(shape=(" + shape + "), dtype=" + array().dtype.name() + ")";
        }
        case kind::scalar:
            return "numpy." + scalar().dtype.name() + "(" + detail::scalar_value_repr(scalar()) + ")";
    }
    return python_type();
}

}  // namespace baton::py
