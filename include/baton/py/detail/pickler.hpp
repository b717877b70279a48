#pragma once
/// @file
/// Writes pickle opcodes (protocol 5, which Python 3.8 and later read) into a string: the
/// scalars, containers and NumPy values of the codec, and whole baton::py::objects.

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>

#include <baton/error.hpp>
#include <baton/py/detail/opcodes.hpp>
#include <baton/py/detail/python_text.hpp>
#include <baton/py/object.hpp>

namespace baton::py::detail {

class pickler {
public:
    /// Python's own pickler puts at most this many items under one MARK.
    static constexpr std::size_t batch = 1000;

    pickler() {
        out_.push_back(static_cast<char>(op::proto));
        out_.push_back(5);
    }
    /// The pickle, after its last value.
    std::string finish() {
        out_.push_back(static_cast<char>(op::stop));
        return std::move(out_);
    }
    /// Room for n more bytes (growing geometrically, so that nested calls stay linear).
    void reserve(std::size_t n) {
        if (out_.size() + n > out_.capacity()) out_.reserve(std::max(out_.size() + n, 2 * out_.capacity()));
    }

    void none() { code(op::none); }
    void boolean(bool v) { code(v ? op::newtrue : op::newfalse); }
    void integer(std::int64_t v) {
        if (v >= 0 && v < 256) {
            code(op::binint1);
            out_.push_back(static_cast<char>(v));
        } else if (v >= 0 && v < 65536) {
            code(op::binint2);
            little(static_cast<std::uint64_t>(v), 2);
        } else if (v >= INT32_MIN && v <= INT32_MAX) {
            code(op::binint);
            little(static_cast<std::uint32_t>(static_cast<std::int32_t>(v)), 4);
        } else {
            std::uint64_t bits;
            std::memcpy(&bits, &v, sizeof v);
            char bytes[8];
            for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>((bits >> (8 * i)) & 0xff);
            big_integer(fewest_integer_bytes(std::string_view(bytes, 8)));
        }
    }
    void unsigned_integer(std::uint64_t v) {
        if (v <= static_cast<std::uint64_t>(INT64_MAX)) return integer(static_cast<std::int64_t>(v));
        std::string bytes;
        for (std::uint64_t x = v; x != 0; x >>= 8) bytes.push_back(static_cast<char>(x & 0xff));
        bytes.push_back('\0');  // the sign
        big_integer(bytes);
    }
    /// An int from its fewest little-endian two's-complement bytes.
    void big_integer(std::string_view bytes) {
        if (bytes.size() < 256) {
            code(op::long1);
            out_.push_back(static_cast<char>(bytes.size()));
        } else {
            code(op::long4);
            little(bytes.size(), 4);
        }
        out_.append(bytes);
    }
    void floating(double v) {
        std::uint64_t bits;
        std::memcpy(&bits, &v, sizeof v);
        char at[9];
        at[0] = static_cast<char>(op::binfloat);
        for (int i = 0; i < 8; ++i) at[1 + i] = static_cast<char>((bits >> (56 - 8 * i)) & 0xff);
        out_.append(at, 9);
    }
    /// A list of floats, written in batches straight into the output.
    template <class F>
    void float_list(const F* values, std::size_t n) {
        reserve(2 + 9 * n + 2 * (n / batch + 1));  // one allocation: page faults cost more than the writing
        begin_list();
        for (std::size_t i = 0; i < n; i += batch) {
            std::size_t k = std::min(batch, n - i);
            char* at = grow(2 + 9 * k);
            *at++ = static_cast<char>(op::mark);
            for (std::size_t j = 0; j < k; ++j) {
                double d = static_cast<double>(values[i + j]);
                std::uint64_t bits;
                std::memcpy(&bits, &d, sizeof d);
                *at++ = static_cast<char>(op::binfloat);
                for (int b = 0; b < 8; ++b) *at++ = static_cast<char>((bits >> (56 - 8 * b)) & 0xff);
            }
            *at = static_cast<char>(op::appends);
        }
    }
    /// A str; throws baton::error if text is not UTF-8 (Python could not read it back).
    void str(std::string_view text) {
        if (auto bad = invalid_utf8_at(text); bad != std::string_view::npos) {
            throw baton::error("baton::py::pickle: a string that is not UTF-8 (its byte " + std::to_string(bad) +
                               ") cannot be a Python str; send it as bytes (std::vector<std::byte>)");
        }
        counted(text, op::short_binunicode, op::binunicode, op::binunicode8);
    }
    void bytes(std::string_view data) { counted(data, op::short_binbytes, op::binbytes, op::binbytes8); }
    void bytearray(std::string_view data) {
        code(op::bytearray8);
        little(data.size(), 8);
        out_.append(data);
    }

    // Containers: the opening, the items written between, then the closing.
    void begin_list() { code(op::empty_list); }
    void begin_dict() { code(op::empty_dict); }
    void begin_set() { code(op::empty_set); }
    void mark() { code(op::mark); }
    /// After every `batch` items of a list, set or dict (counting a dict's pairs once): close the
    /// batch and open the next.
    void appends() { code(op::appends); }
    void setitems() { code(op::setitems); }
    void additems() { code(op::additems); }
    void frozenset() { code(op::frozenset); }
    /// A tuple of the n values written since its mark (a mark only where n > 3).
    void tuple_of(std::size_t n) {
        static const unsigned char small[] = {op::empty_tuple, op::tuple1, op::tuple2, op::tuple3};
        code(n < 4 ? small[n] : op::tuple);
    }
    /// A tuple of the values written since the last mark.
    void tuple_at_mark() { code(op::tuple); }
    void memoize() { code(op::memoize); }
    void get(std::size_t index) {
        if (index < 256) {
            code(op::binget);
            out_.push_back(static_cast<char>(index));
        } else {
            code(op::long_binget);
            little(index, 4);
        }
    }

    /// numpy's dtype object for an element type.
    void dtype(const py::dtype& type) {
        global("numpy", "dtype");
        str(type.code());
        boolean(false);
        boolean(true);
        tuple_of(3);
        code(op::reduce);
        // NumPy's dtype state: version 3, byte order, no subarray, names or fields, elsize and
        // alignment -1 (taken from the type), no flags
        mark();
        integer(3);
        str(std::string(1, type.byte_order()));
        none();
        none();
        none();
        integer(-1);
        integer(-1);
        integer(0);
        tuple_at_mark();
        code(op::build);
    }
    /// An array as NumPy 1.x writes it at protocol 5: _frombuffer(buffer, dtype, shape, order).
    void array(const array_data& a) {
        global("numpy.core.numeric", "_frombuffer");
        mark();
        bytearray(a.data);
        dtype(a.dtype);
        mark();
        for (auto d : a.shape) unsigned_integer(d);
        tuple_at_mark();
        str(a.fortran_order ? "F" : "C");
        tuple_at_mark();
        code(op::reduce);
    }
    void scalar(const scalar_data& s) {
        global("numpy.core.multiarray", "scalar");
        dtype(s.dtype);
        bytes(s.data);
        tuple_of(2);
        code(op::reduce);
    }

    /// A whole object; a container that several places share is written once and referenced.
    void value(const object& o) {
        switch (o.type()) {
            case kind::none:
                return none();
            case kind::boolean:
                return boolean(o.boolean());
            case kind::integer:
                return o.fits_int64() ? integer(o.integer()) : big_integer(o.integer_bytes());
            case kind::floating:
                return floating(o.floating());
            case kind::str:
                return str(o.text());
            case kind::bytes:
                return bytes(o.text());
            case kind::bytearray:
                return bytearray(o.text());
            case kind::ndarray:
                return array(o.array());
            case kind::scalar:
                return scalar(o.scalar());
            default:
                break;
        }
        const auto& heap = object_access::heap(o);
        const bool shared = heap.use_count() > 1;
        if (shared) {
            if (auto it = memo_.find(heap.get()); it != memo_.end()) return get(it->second);
        }
        auto remember = [&] {
            if (!shared) return;
            memo_.emplace(heap.get(), memo_.size());
            memoize();
        };
        switch (o.type()) {
            case kind::list:
            case kind::set: {
                o.type() == kind::list ? begin_list() : begin_set();
                remember();
                const auto& items = o.items();
                for (std::size_t i = 0; i < items.size(); i += batch) {
                    mark();
                    for (std::size_t j = i; j < items.size() && j < i + batch; ++j) value(items[j]);
                    o.type() == kind::list ? appends() : additems();
                }
                return;
            }
            case kind::dict: {
                begin_dict();
                remember();
                const auto& entries = o.entries();
                for (std::size_t i = 0; i < entries.size(); i += batch) {
                    mark();
                    for (std::size_t j = i; j < entries.size() && j < i + batch; ++j) {
                        value(entries[j].first);
                        value(entries[j].second);
                    }
                    setitems();
                }
                return;
            }
            case kind::tuple:
            case kind::frozenset: {
                const auto& items = o.items();
                bool marked = o.type() == kind::frozenset || items.size() > 3;
                if (marked) mark();
                for (const auto& item : items) value(item);
                o.type() == kind::tuple ? tuple_of(items.size()) : frozenset();
                remember();
                return;
            }
            default:
                throw baton::error("baton::py::pickle: a value of an unknown kind");
        }
    }

private:
    void code(unsigned char c) { out_.push_back(static_cast<char>(c)); }
    char* grow(std::size_t n) {
        out_.resize(out_.size() + n);
        return &out_[out_.size() - n];
    }
    void little(std::uint64_t v, int n) {
        char* at = grow(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) at[i] = static_cast<char>((v >> (8 * i)) & 0xff);
    }
    void counted(std::string_view data, unsigned char short_code, unsigned char code4, unsigned char code8) {
        if (data.size() < 256) {
            char* at = grow(2 + data.size());
            at[0] = static_cast<char>(short_code);
            at[1] = static_cast<char>(data.size());
            std::memcpy(at + 2, data.data(), data.size());
            return;
        }
        if (data.size() <= UINT32_MAX) {
            code(code4);
            little(data.size(), 4);
        } else {
            code(code8);
            little(data.size(), 8);
        }
        out_.append(data);
    }
    void global(std::string_view module, std::string_view name) {
        str(module);
        str(name);
        code(op::stack_global);
    }

    std::string out_;
    std::unordered_map<const void*, std::size_t> memo_;
};

}  // namespace baton::py::detail
