#pragma once
/// @file
/// Reads a pickle (protocols 2 to 5) into a baton::py::object without running anything: the
/// only globals it accepts are the constructors of the codec's data types, and each of those is
/// carried out by baton's own code on checked arguments.

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <baton/config.hpp>
#include <baton/error.hpp>
#include <baton/py/detail/opcodes.hpp>
#include <baton/py/detail/python_text.hpp>
#include <baton/py/detail/unpickler_state.hpp>
#include <baton/py/object.hpp>

namespace baton::py::detail {

/// The globals the unpickler accepts.
enum class accepted_global : std::int64_t {
    set,
    frozenset,
    bytearray,
    bytes,
    codecs_encode,
    numpy_dtype,
    numpy_ndarray,
    reconstruct,
    scalar,
    frombuffer,
};

class unpickler : unpickler_state {
public:
    explicit unpickler(std::string_view bytes) : unpickler_state(bytes) {}

    /// The value the pickle holds; throws baton::error saying what is wrong and where.
    object load() {
        try {
            object result = run();
            if (shared_) {
                check_graph(result);
                // A container left in the memo may hold itself without being part of the
                // value: empty those the value does not reach, so no cycle outlives the read.
                for (auto& o : created_) {
                    if (!reached_.count(object_access::heap(o).get())) clear(o);
                }
            }
            for (auto& keyed : keyed_) check_keys(keyed);
            release();
            return result;
        } catch (...) {
            dismantle();
            throw;
        }
    }

    /// Whether the pickle referenced one mutable container from two places (a typed read then
    /// guards against a small pickle expanding into a huge value).
    bool had_shared_containers() const { return shared_; }

private:
    // ---- globals and calls -------------------------------------------------------------
    object find_global(std::string_view module, std::string_view name) {
        auto is = [&](std::string_view m, std::string_view n) { return module == m && name == n; };
        auto builtin = [&](std::string_view n) {
            return (module == "builtins" || module == "__builtin__") && name == n;
        };
        auto numpy_core = [&](std::string_view sub, std::string_view n) {
            return name == n &&
                   (module == "numpy.core." + std::string(sub) || module == "numpy._core." + std::string(sub));
        };
        accepted_global which;
        if (builtin("set"))
            which = accepted_global::set;
        else if (builtin("frozenset"))
            which = accepted_global::frozenset;
        else if (builtin("bytearray"))
            which = accepted_global::bytearray;
        else if (builtin("bytes"))
            which = accepted_global::bytes;
        else if (is("_codecs", "encode"))
            which = accepted_global::codecs_encode;
        else if (is("numpy", "dtype"))
            which = accepted_global::numpy_dtype;
        else if (is("numpy", "ndarray"))
            which = accepted_global::numpy_ndarray;
        else if (numpy_core("multiarray", "_reconstruct"))
            which = accepted_global::reconstruct;
        else if (numpy_core("multiarray", "scalar"))
            which = accepted_global::scalar;
        else if (numpy_core("numeric", "_frombuffer"))
            which = accepted_global::frombuffer;
        else {
            std::string spelled = module == "__builtin__" ? "builtins" : std::string(module);
            fail("refused the global " + spelled + "." + std::string(name) +
                 ": baton reads data only (None, bool, int, float, str, bytes, bytearray, list, tuple, dict, set, "
                 "frozenset, NumPy arrays and scalars) and calls nothing else");
        }
        object o = object_access::make(static_cast<kind>(transient::callable), nullptr);
        object_access::meta(o) = static_cast<std::int64_t>(which);
        return o;
    }
    static const char* global_name(accepted_global g) {
        switch (g) {
            case accepted_global::set:
                return "builtins.set";
            case accepted_global::frozenset:
                return "builtins.frozenset";
            case accepted_global::bytearray:
                return "builtins.bytearray";
            case accepted_global::bytes:
                return "builtins.bytes";
            case accepted_global::codecs_encode:
                return "_codecs.encode";
            case accepted_global::numpy_dtype:
                return "numpy.dtype";
            case accepted_global::numpy_ndarray:
                return "numpy.ndarray";
            case accepted_global::reconstruct:
                return "numpy.core.multiarray._reconstruct";
            case accepted_global::scalar:
                return "numpy.core.multiarray.scalar";
            case accepted_global::frombuffer:
                return "numpy.core.numeric._frombuffer";
        }
        return "?";
    }
    std::string latin1(const object& text) const {  // str -> the bytes of its code points, each below 256
        std::string out;
        const std::string& s = text.text();
        out.reserve(s.size());
        for (std::size_t i = 0; i < s.size(); ++i) {
            auto c = static_cast<unsigned char>(s[i]);
            if (c < 0x80) {
                out += static_cast<char>(c);
            } else if ((c == 0xc2 || c == 0xc3) && i + 1 < s.size()) {
                out += static_cast<char>(((c & 0x03) << 6) | (static_cast<unsigned char>(s[++i]) & 0x3f));
            } else {
                fail("a latin-1 encoding of a str holding a code point past U+00FF");
            }
        }
        return out;
    }
    py::dtype dtype_of(const object& o, const char* call) const {
        if (o.type() != static_cast<kind>(transient::dtype_value))
            fail(std::string(call) + " given a " + describe(o) + " for its dtype");
        return object_access::node<py::dtype>(o);
    }
    std::vector<std::size_t> shape_of(const object& o, const char* call) const {
        if (o.type() != kind::tuple) fail(std::string(call) + " given a " + describe(o) + " for its shape");
        std::vector<std::size_t> shape;
        for (const auto& d : o.items()) {
            if (!d.fits_int64() || d.integer() < 0) fail(std::string(call) + " given a shape holding " + d.repr());
            shape.push_back(static_cast<std::size_t>(d.integer()));
        }
        return shape;
    }
    object make_array(py::dtype type, std::vector<std::size_t> shape, bool fortran, std::string data,
                      const char* call) const {
        try {
            return object::array(array_data{type, std::move(shape), fortran, std::move(data)});
        } catch (const baton::error& e) {
            fail(std::string(call) + ": " + e.what());
        }
    }
    object call(const object& callable, const object& args) {
        if (callable.type() != static_cast<kind>(transient::callable)) fail("REDUCE calls a " + describe(callable));
        auto which = static_cast<accepted_global>(object_access::meta(callable));
        const char* name = global_name(which);
        if (args.type() != kind::tuple)
            fail(std::string(name) + " called with a " + describe(args) + " for its arguments");
        const auto& a = args.items();
        auto bad = [&]() -> object { fail(std::string(name) + " called with arguments outside what Python writes"); };
        auto is_text = [](const object& o) { return o.type() == kind::str; };
        auto is_binary = [](const object& o) { return o.type() == kind::bytes || o.type() == kind::bytearray; };
        switch (which) {
            case accepted_global::set:
            case accepted_global::frozenset: {
                object::item_list items;
                if (a.size() == 1 &&
                    (a[0].type() == kind::list || a[0].type() == kind::tuple || a[0].type() == kind::set)) {
                    items = a[0].items();
                } else if (!a.empty()) {
                    return bad();
                }
                object s = new_container(which == accepted_global::set ? kind::set : kind::frozenset);
                for (auto& item : items) {
                    check_storable(item, "set");
                    grow(s, item);
                }
                object_access::node<object::item_list>(s) = std::move(items);
                return s;
            }
            case accepted_global::bytearray:
            case accepted_global::bytes: {
                std::string data;
                if (a.size() == 1 && is_binary(a[0]))
                    data = a[0].text();
                else if (a.size() == 2 && is_text(a[0]) && is_text(a[1]) &&
                         (a[1].text() == "latin-1" || a[1].text() == "latin1"))
                    data = latin1(a[0]);
                else if (!a.empty())
                    return bad();
                return which == accepted_global::bytes ? object::bytes(std::move(data))
                                                       : object::bytearray(std::move(data));
            }
            case accepted_global::codecs_encode:
                if (a.size() != 2 || !is_text(a[0]) || !is_text(a[1]) ||
                    (a[1].text() != "latin1" && a[1].text() != "latin-1"))
                    return bad();
                return object::bytes(latin1(a[0]));
            case accepted_global::numpy_dtype: {
                if (a.empty() || !is_text(a[0])) return bad();
                std::string_view code = a[0].text();
                bool big = false;
                if (!code.empty() && (code[0] == '<' || code[0] == '>' || code[0] == '|' || code[0] == '=')) {
                    big = code[0] == '>';
                    code.remove_prefix(1);
                }
                py::dtype type;
                try {
                    type = py::dtype::from_code(code);
                } catch (const baton::error& e) {
                    fail(e.what());
                }
                type.big_endian = big;
                return object_access::make(static_cast<kind>(transient::dtype_value),
                                           std::make_shared<py::dtype>(type));
            }
            case accepted_global::numpy_ndarray:
                fail("numpy.ndarray called directly (NumPy writes arrays through _reconstruct or _frombuffer)");
            case accepted_global::reconstruct: {
                if (a.size() != 3 || a[0].type() != static_cast<kind>(transient::callable) ||
                    static_cast<accepted_global>(object_access::meta(a[0])) != accepted_global::numpy_ndarray) {
                    fail("numpy.core.multiarray._reconstruct called for a type other than numpy.ndarray");
                }
                object o =
                    object_access::make(static_cast<kind>(transient::pending_array), std::make_shared<array_data>());
                return o;
            }
            case accepted_global::scalar: {
                if (a.size() != 2 || !is_binary(a[1])) return bad();
                try {
                    return object::scalar(scalar_data{dtype_of(a[0], name), a[1].text()});
                } catch (const baton::error& e) {
                    fail(e.what());
                }
            }
            case accepted_global::frombuffer: {
                if (a.size() != 4 || !is_binary(a[0]) || !is_text(a[3]) || (a[3].text() != "C" && a[3].text() != "F"))
                    return bad();
                return make_array(dtype_of(a[1], name), shape_of(a[2], name), a[3].text() == "F", a[0].text(), name);
            }
        }
        return bad();
    }
    void build() {
        object state = pop();
        object& target = top();
        if (target.type() == static_cast<kind>(transient::dtype_value)) {
            // (version, byte order, subdescr, names, fields, elsize, alignment, flags[, metadata])
            if (state.type() != kind::tuple || state.items().size() < 8 || state[1].type() != kind::str) {
                fail("numpy.dtype given a state NumPy does not write");
            }
            for (std::size_t i = 2; i < 5; ++i) {
                if (!state[i].is_none())
                    fail("numpy.dtype with fields or a subarray (structured dtypes are not supported)");
            }
            const std::string& order = state[1].text();
            if (order != "<" && order != ">" && order != "|" && order != "=")
                fail("numpy.dtype with the byte order '" + order + "'");
            object_access::node<py::dtype>(target).big_endian = order == ">";
            return;
        }
        if (target.type() == static_cast<kind>(transient::pending_array)) {
            // (version, shape, dtype, is_fortran, raw data)
            const char* name = "numpy.ndarray's state";
            if (state.type() != kind::tuple || state.items().size() != 5 || state[3].type() != kind::boolean ||
                (state[4].type() != kind::bytes && state[4].type() != kind::bytearray)) {
                fail("a numpy.ndarray given a state NumPy does not write for the supported dtypes");
            }
            object built = make_array(dtype_of(state[2], name), shape_of(state[1], name), state[3].boolean(),
                                      state[4].text(), name);
            auto& node = object_access::node<array_data>(target);
            node = object_access::node<array_data>(built);
            built_.insert(object_access::heap(target).get());
            target = object_access::make(kind::ndarray, object_access::heap(target));
            return;
        }
        fail("BUILD on a " + describe(target) + " (it sets attributes only on NumPy values here)");
    }

    // ---- the opcode loop ---------------------------------------------------------------
    object run() {
        while (true) {
            opcode_at_ = offset();
            if (p_ >= end_) fail("truncated: the pickle ends before its STOP");
            unsigned char code = *p_++;
            switch (code) {
                case op::proto: {
                    auto version = *take(1, "PROTO");
                    if (version > 5) fail("protocol " + std::to_string(version) + " is newer than 5");
                    break;
                }
                case op::frame:
                    little_endian(8, "FRAME");
                    break;
                case op::stop: {
                    object result = pop();
                    if (is_transient(result)) fail("the pickle's value is a " + describe(result));
                    return result;
                }
                case op::mark:
                    marks_.push_back(stack_.size());
                    break;
                case op::pop:
                    if (!marks_.empty() && marks_.back() == stack_.size())
                        marks_.pop_back();
                    else
                        pop();
                    break;
                case op::pop_mark:
                    stack_.resize(pop_mark());
                    break;
                case op::dup: {
                    object copy = top();
                    if (copy.type() == kind::list || copy.type() == kind::dict || copy.type() == kind::set)
                        shared_ = true;
                    stack_.push_back(std::move(copy));
                    break;
                }
                case op::none:
                    stack_.emplace_back();
                    break;
                case op::newtrue:
                    stack_.emplace_back(true);
                    break;
                case op::newfalse:
                    stack_.emplace_back(false);
                    break;
                case op::binint:
                    stack_.emplace_back(
                        static_cast<std::int32_t>(static_cast<std::uint32_t>(little_endian(4, "BININT"))));
                    break;
                case op::binint1:
                    stack_.emplace_back(static_cast<int>(*take(1, "BININT1")));
                    break;
                case op::binint2:
                    stack_.emplace_back(static_cast<int>(little_endian(2, "BININT2")));
                    break;
                case op::long1:
                    stack_.push_back(object::integer_from_bytes(counted(1, "LONG1")));
                    break;
                case op::long4: {
                    const unsigned char* at = p_;
                    auto n = static_cast<std::int32_t>(static_cast<std::uint32_t>(little_endian(4, "LONG4")));
                    if (n < 0) fail("LONG4 with a negative length");
                    p_ = at;
                    stack_.push_back(object::integer_from_bytes(counted(4, "LONG4")));
                    break;
                }
                case op::binfloat: {
                    const unsigned char* at = take(8, "BINFLOAT");
                    std::uint64_t bits = 0;
                    for (int i = 0; i < 8; ++i) bits = (bits << 8) | at[i];
                    double d;
                    std::memcpy(&d, &bits, sizeof d);
                    stack_.emplace_back(d);
                    break;
                }
                case op::short_binunicode:
                    push_text(counted(1, "SHORT_BINUNICODE"));
                    break;
                case op::binunicode:
                    push_text(counted(4, "BINUNICODE"));
                    break;
                case op::binunicode8:
                    push_text(counted(8, "BINUNICODE8"));
                    break;
                case op::short_binbytes:
                    stack_.push_back(object::bytes(std::string(counted(1, "SHORT_BINBYTES"))));
                    break;
                case op::binbytes:
                    stack_.push_back(object::bytes(std::string(counted(4, "BINBYTES"))));
                    break;
                case op::binbytes8:
                    stack_.push_back(object::bytes(std::string(counted(8, "BINBYTES8"))));
                    break;
                case op::bytearray8:
                    stack_.push_back(object::bytearray(std::string(counted(8, "BYTEARRAY8"))));
                    break;
                case op::empty_list:
                    stack_.push_back(new_container(kind::list));
                    break;
                case op::empty_dict:
                    stack_.push_back(new_container(kind::dict));
                    break;
                case op::empty_set:
                    stack_.push_back(new_container(kind::set));
                    break;
                case op::empty_tuple:
                    stack_.push_back(make_tuple(stack_.size()));
                    break;
                case op::tuple1:
                case op::tuple2:
                case op::tuple3: {
                    std::size_t n = code - op::tuple1 + 1u;
                    if (stack_.size() < floor() + n) fail("TUPLE" + std::to_string(n) + " on a stack of fewer items");
                    stack_.push_back(make_tuple(stack_.size() - n));
                    break;
                }
                case op::tuple: {
                    std::size_t m = pop_mark();
                    stack_.push_back(make_tuple(m));
                    break;
                }
                case op::frozenset: {
                    std::size_t m = pop_mark();
                    object s = new_container(kind::frozenset);
                    move_items(s, m, "frozenset");
                    stack_.push_back(std::move(s));
                    break;
                }
                case op::append: {
                    object item = pop();
                    object& list = top();
                    contents<object::item_list>(list, kind::list, "APPEND");
                    check_storable(item, "list");
                    grow(list, item);
                    object_access::node<object::item_list>(list).push_back(std::move(item));
                    break;
                }
                case op::appends:
                case op::additems: {
                    std::size_t m = pop_mark();
                    if (m == 0 || m <= floor()) fail("APPENDS or ADDITEMS with nothing below its MARK");
                    object& target = stack_[m - 1];
                    contents<object::item_list>(target, code == op::appends ? kind::list : kind::set,
                                                code == op::appends ? "APPENDS" : "ADDITEMS");
                    move_items(target, m, code == op::appends ? "list" : "set");
                    break;
                }
                case op::setitem: {
                    object value = pop();
                    object key = pop();
                    object& dict = top();
                    auto& entries = contents<object::dict_items>(dict, kind::dict, "SETITEM");
                    check_storable(key, "dict");
                    check_storable(value, "dict");
                    grow(dict, key);
                    grow(dict, value);
                    entries.emplace_back(std::move(key), std::move(value));
                    break;
                }
                case op::setitems: {
                    std::size_t m = pop_mark();
                    if (m == 0 || m <= floor()) fail("SETITEMS with nothing below its MARK");
                    if ((stack_.size() - m) % 2 != 0) fail("SETITEMS with a key that has no value");
                    object& dict = stack_[m - 1];
                    auto& entries = contents<object::dict_items>(dict, kind::dict, "SETITEMS");
                    for (std::size_t i = m; i < stack_.size(); i += 2) {
                        check_storable(stack_[i], "dict");
                        check_storable(stack_[i + 1], "dict");
                        grow(dict, stack_[i]);
                        grow(dict, stack_[i + 1]);
                        entries.emplace_back(std::move(stack_[i]), std::move(stack_[i + 1]));
                    }
                    stack_.resize(m);
                    break;
                }
                case op::binput:
                    memo_put(*take(1, "BINPUT"), top());
                    break;
                case op::long_binput:
                    memo_put(little_endian(4, "LONG_BINPUT"), top());
                    break;
                case op::memoize:
                    memo_put(memo_.size(), top());
                    break;
                case op::binget:
                    stack_.push_back(memo_get(*take(1, "BINGET")));
                    break;
                case op::long_binget:
                    stack_.push_back(memo_get(little_endian(4, "LONG_BINGET")));
                    break;
                case op::global: {
                    std::string module(line("GLOBAL's module"));
                    std::string name(line("GLOBAL's name"));
                    stack_.push_back(find_global(module, name));
                    break;
                }
                case op::stack_global: {
                    object name = pop();
                    object module = pop();
                    if (name.type() != kind::str || module.type() != kind::str)
                        fail("STACK_GLOBAL given a module and name that are not str");
                    stack_.push_back(find_global(module.text(), name.text()));
                    break;
                }
                case op::reduce: {
                    object args = pop();
                    object callable = pop();
                    stack_.push_back(call(callable, args));
                    break;
                }
                case op::build:
                    build();
                    break;
                default: {
                    const char* refused = op::refused_name(code);
                    char hex[8];
                    std::snprintf(hex, sizeof hex, "0x%02x", code);
                    fail(refused ? std::string("opcode ") + refused + " is not supported"
                                 : std::string("unknown opcode ") + hex + ": not a pickle, or a corrupt one");
                }
            }
        }
    }
};

/// Throws baton::error if the value, with every shared container counted each time it is
/// referenced, holds more than limit values.
inline void check_expansion(const object& root, std::size_t limit) {
    std::size_t count = 0;
    std::vector<const object*> todo{&root};
    while (!todo.empty()) {
        const object* o = todo.back();
        todo.pop_back();
        if (++count > limit) {
            throw baton::error("pickle: its shared references expand to more than " + std::to_string(limit) +
                               " values; read it as a baton::py::object, which keeps them shared");
        }
        if (o->type() == kind::dict) {
            for (const auto& entry : o->entries()) {
                todo.push_back(&entry.first);
                todo.push_back(&entry.second);
            }
        } else if (is_container(o->type())) {
            for (const auto& item : o->items()) todo.push_back(&item);
        }
    }
}

}  // namespace baton::py::detail
