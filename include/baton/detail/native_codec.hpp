#pragma once
// baton's own encoding of standard-library values: strings, sequences, sets, maps, pairs,
// tuples, optionals and arrays, nested to any depth, with trivially copyable leaves. The
// encoded size is computed first and the bytes written in one pass with no per-value stream
// calls, which makes it several times faster than Boost.Serialization's archives for
// containers of strings. Lengths are 64-bit, so nothing is limited to 2^31.
//
// Decoding trusts nothing: every length is checked against the bytes that remain before
// anything is allocated, and a message with bytes left over is rejected, so a truncated or
// corrupted message is a decode_error, never a crash or a huge allocation.
//
// Like Boost's binary archive, the encoding assumes every rank shares one architecture (byte
// order, type sizes); portable_comm keeps Boost.MPI's packed archive for mixed machines.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <list>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "payload_traits.hpp"

namespace baton::detail {

/// A malformed encoding: what was expected and how many bytes remained.
struct decode_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

template <class T, class = void>
struct native_codec;  // no definition: T is not natively encodable

template <class T, class = void>
inline constexpr bool has_native_codec_v = false;
template <class T>
inline constexpr bool has_native_codec_v<T, std::void_t<decltype(native_codec<T>::min_size)>> =
    native_codec<T>::min_size > 0;

/// Writes into a buffer sized beforehand from native_codec<T>::size.
struct encode_cursor {
    char* p;
    void bytes(const void* data, std::size_t n) noexcept {
        if (n != 0) std::memcpy(p, data, n);
        p += n;
    }
    void count(std::uint64_t n) noexcept { bytes(&n, sizeof n); }
};

class decode_cursor {
public:
    decode_cursor(const char* begin, const char* end) noexcept : begin_(begin), p_(begin), end_(end) {}

    std::size_t remaining() const noexcept { return static_cast<std::size_t>(end_ - p_); }

    [[gnu::always_inline]] void bytes(void* out, std::size_t n, const char* what) {
        if (n != 0) std::memcpy(out, take(n, what), n);
    }

    /// The next n bytes, in place.
    [[gnu::always_inline]] const char* take(std::size_t n, const char* what) {
        if (n > remaining()) truncated(n, what);
        const char* at = p_;
        p_ += n;
        return at;
    }

    /// An element count, checked against the bytes left: each element takes at least
    /// `min_element_size` bytes, so a larger count cannot be genuine.
    [[gnu::always_inline]] std::size_t count(std::size_t min_element_size, const char* what) {
        std::uint64_t n;
        bytes(&n, sizeof n, what);
        std::uint64_t least;
        if (__builtin_mul_overflow(n, std::uint64_t{min_element_size}, &least) || least > remaining()) {
            too_many(n, min_element_size, what);
        }
        return static_cast<std::size_t>(n);
    }

    void finish() const {
        if (p_ != end_) fail(std::to_string(remaining()) + " bytes left over after the value");
    }

    [[noreturn]] void fail(const std::string& problem) const {
        throw decode_error("malformed message at byte " + std::to_string(p_ - begin_) + ": " + problem);
    }

private:
    [[noreturn, gnu::noinline]] void truncated(std::size_t n, const char* what) const {
        fail("truncated " + std::string(what) + ": needs " + std::to_string(n) + " bytes, " +
             std::to_string(remaining()) + " remain");
    }

    [[noreturn, gnu::noinline]] void too_many(std::uint64_t n, std::size_t min_element_size, const char* what) const {
        fail(std::string(what) + " claims " + std::to_string(n) + " elements of at least " +
             std::to_string(min_element_size) + " bytes, but " + std::to_string(remaining()) + " bytes remain");
    }

    const char* begin_;
    const char* p_;
    const char* end_;
};

// ---- leaves: trivially copyable values -------------------------------------------------

template <class T>
struct native_codec<T, std::enable_if_t<is_fixed_v<T>>> {
    static constexpr std::size_t min_size = sizeof(T);
    static std::size_t size(const T&) noexcept { return sizeof(T); }
    static void save(encode_cursor& out, const T& value) noexcept { out.bytes(&value, sizeof(T)); }
    static void load(decode_cursor& in, T& value) { in.bytes(&value, sizeof(T), "value"); }
};

// ---- contiguous runs of leaves: strings and vectors --------------------------------------

template <class C, class E>
struct native_contiguous_codec {
    static constexpr std::size_t min_size = sizeof(std::uint64_t);
    static std::size_t size(const C& c) noexcept { return sizeof(std::uint64_t) + c.size() * sizeof(E); }
    static void save(encode_cursor& out, const C& c) noexcept {
        out.count(c.size());
        out.bytes(c.data(), c.size() * sizeof(E));
    }
    static void load(decode_cursor& in, C& c) {
        const std::size_t n = in.count(sizeof(E), "length");
        const char* data = in.take(n * sizeof(E), "elements");
        if constexpr (std::is_same_v<E, char>) {
            c.assign(data, data + n);  // one call, no zero-fill first (strings and vector<char>)
        } else {
            c.resize(n);
            if (n != 0) std::memcpy(static_cast<void*>(c.data()), data, n * sizeof(E));
        }
    }
};

template <class Ch, class Tr, class A>
struct native_codec<std::basic_string<Ch, Tr, A>, std::enable_if_t<is_fixed_v<Ch>>>
    : native_contiguous_codec<std::basic_string<Ch, Tr, A>, Ch> {};

template <class E, class A>
struct native_codec<std::vector<E, A>, std::enable_if_t<is_fixed_v<E> && !std::is_same_v<E, bool>>>
    : native_contiguous_codec<std::vector<E, A>, E> {};

// ---- element by element: other sequences, sets, maps -------------------------------------

/// Decodes one E as a new value (a string is built from its bytes directly, not resized and
/// then filled).
template <class E>
E native_read(decode_cursor& in) {
    if constexpr (std::is_same_v<E, std::string>) {
        const std::size_t n = in.count(1, "length");
        return std::string(in.take(n, "characters"), n);
    } else {
        E e{};
        native_codec<E>::load(in, e);
        return e;
    }
}

template <class C, class E>
struct native_sequence_codec {
    static constexpr std::size_t min_size = sizeof(std::uint64_t);
    static std::size_t size(const C& c) noexcept {
        std::size_t n = sizeof(std::uint64_t);
        for (const auto& e : c) n += native_codec<E>::size(e);
        return n;
    }
    static void save(encode_cursor& out, const C& c) noexcept {
        out.count(static_cast<std::uint64_t>(c.size()));
        for (const auto& e : c) native_codec<E>::save(out, e);
    }
    static void load(decode_cursor& in, C& c) {
        const std::size_t n = in.count(native_codec<E>::min_size, "element count");
        c.clear();
        if constexpr (std::is_same_v<C, std::vector<E, typename C::allocator_type>>) {
            c.resize(n);  // measured faster than reserve and push_back for vectors of strings
            for (auto& e : c) native_codec<E>::load(in, e);
        } else {
            for (std::size_t i = 0; i < n; ++i) c.insert(c.end(), native_read<E>(in));
        }
    }
};

template <class E, class A>
struct native_codec<std::vector<E, A>, std::enable_if_t<!is_fixed_v<E> && has_native_codec_v<E>>>
    : native_sequence_codec<std::vector<E, A>, E> {};
template <class E, class A>
struct native_codec<std::deque<E, A>, std::enable_if_t<has_native_codec_v<E>>> : native_sequence_codec<std::deque<E, A>, E> {};
template <class E, class A>
struct native_codec<std::list<E, A>, std::enable_if_t<has_native_codec_v<E>>> : native_sequence_codec<std::list<E, A>, E> {};
template <class K, class Cmp, class A>
struct native_codec<std::set<K, Cmp, A>, std::enable_if_t<has_native_codec_v<K>>>
    : native_sequence_codec<std::set<K, Cmp, A>, K> {};
template <class K, class Cmp, class A>
struct native_codec<std::multiset<K, Cmp, A>, std::enable_if_t<has_native_codec_v<K>>>
    : native_sequence_codec<std::multiset<K, Cmp, A>, K> {};
template <class K, class H, class Eq, class A>
struct native_codec<std::unordered_set<K, H, Eq, A>, std::enable_if_t<has_native_codec_v<K>>>
    : native_sequence_codec<std::unordered_set<K, H, Eq, A>, K> {};

/// Maps travel as their (key, value) pairs; the key is decoded without const.
template <class C, class K, class V>
struct native_map_codec {
    using entry = std::pair<K, V>;
    static constexpr std::size_t min_size = sizeof(std::uint64_t);
    static std::size_t size(const C& c) noexcept {
        std::size_t n = sizeof(std::uint64_t);
        for (const auto& [k, v] : c) n += native_codec<K>::size(k) + native_codec<V>::size(v);
        return n;
    }
    static void save(encode_cursor& out, const C& c) noexcept {
        out.count(static_cast<std::uint64_t>(c.size()));
        for (const auto& [k, v] : c) {
            native_codec<K>::save(out, k);
            native_codec<V>::save(out, v);
        }
    }
    static void load(decode_cursor& in, C& c) {
        const std::size_t n = in.count(native_codec<K>::min_size + native_codec<V>::min_size, "entry count");
        c.clear();
        for (std::size_t i = 0; i < n; ++i) {
            K key = native_read<K>(in);
            c.insert(c.end(), entry(std::move(key), native_read<V>(in)));
        }
    }
};

template <class K, class V, class Cmp, class A>
struct native_codec<std::map<K, V, Cmp, A>, std::enable_if_t<has_native_codec_v<K> && has_native_codec_v<V>>>
    : native_map_codec<std::map<K, V, Cmp, A>, K, V> {};
template <class K, class V, class Cmp, class A>
struct native_codec<std::multimap<K, V, Cmp, A>, std::enable_if_t<has_native_codec_v<K> && has_native_codec_v<V>>>
    : native_map_codec<std::multimap<K, V, Cmp, A>, K, V> {};
template <class K, class V, class H, class Eq, class A>
struct native_codec<std::unordered_map<K, V, H, Eq, A>, std::enable_if_t<has_native_codec_v<K> && has_native_codec_v<V>>>
    : native_map_codec<std::unordered_map<K, V, H, Eq, A>, K, V> {};

// ---- std::vector<bool>: a byte per element ------------------------------------------------

template <class A>
struct native_codec<std::vector<bool, A>> {
    static constexpr std::size_t min_size = sizeof(std::uint64_t);
    static std::size_t size(const std::vector<bool, A>& c) noexcept { return sizeof(std::uint64_t) + c.size(); }
    static void save(encode_cursor& out, const std::vector<bool, A>& c) noexcept {
        out.count(c.size());
        for (bool b : c) *out.p++ = b ? 1 : 0;
    }
    static void load(decode_cursor& in, std::vector<bool, A>& c) {
        c.assign(in.count(1, "length"), false);
        for (std::size_t i = 0; i < c.size(); ++i) {
            unsigned char b;
            in.bytes(&b, 1, "element");
            if (b > 1) in.fail("a bool that is neither 0 nor 1");
            c[i] = b == 1;
        }
    }
};

// ---- pairs, tuples, optionals, arrays of non-trivial values ----------------------------------

template <class... E>
struct native_tuple_codec {
    static constexpr std::size_t min_size = (std::size_t{0} + ... + native_codec<E>::min_size);
    template <class Tuple>
    static std::size_t size(const Tuple& t) noexcept {
        return std::apply([](const auto&... e) { return (std::size_t{0} + ... + native_codec<E>::size(e)); }, t);
    }
    template <class Tuple>
    static void save(encode_cursor& out, const Tuple& t) noexcept {
        std::apply([&](const auto&... e) { (native_codec<E>::save(out, e), ...); }, t);
    }
    template <class Tuple>
    static void load(decode_cursor& in, Tuple& t) {
        std::apply([&](auto&... e) { (native_codec<E>::load(in, e), ...); }, t);
    }
};

template <class A, class B>
struct native_codec<std::pair<A, B>, std::enable_if_t<!is_fixed_v<std::pair<A, B>> && has_native_codec_v<A> &&
                                                      has_native_codec_v<B>>> : native_tuple_codec<A, B> {};
template <class... E>
struct native_codec<std::tuple<E...>, std::enable_if_t<!is_fixed_v<std::tuple<E...>> && sizeof...(E) != 0 &&
                                                       (has_native_codec_v<E> && ...)>> : native_tuple_codec<E...> {};

template <class E, std::size_t N>
struct native_codec<std::array<E, N>, std::enable_if_t<!is_fixed_v<std::array<E, N>> && N != 0 && has_native_codec_v<E>>> {
    static constexpr std::size_t min_size = N * native_codec<E>::min_size;
    static std::size_t size(const std::array<E, N>& a) noexcept {
        std::size_t n = 0;
        for (const auto& e : a) n += native_codec<E>::size(e);
        return n;
    }
    static void save(encode_cursor& out, const std::array<E, N>& a) noexcept {
        for (const auto& e : a) native_codec<E>::save(out, e);
    }
    static void load(decode_cursor& in, std::array<E, N>& a) {
        for (auto& e : a) native_codec<E>::load(in, e);
    }
};

template <class E>
struct native_codec<std::optional<E>, std::enable_if_t<!is_fixed_v<std::optional<E>> && has_native_codec_v<E>>> {
    static constexpr std::size_t min_size = 1;
    static std::size_t size(const std::optional<E>& o) noexcept { return 1 + (o ? native_codec<E>::size(*o) : 0); }
    static void save(encode_cursor& out, const std::optional<E>& o) noexcept {
        *out.p++ = o ? 1 : 0;
        if (o) native_codec<E>::save(out, *o);
    }
    static void load(decode_cursor& in, std::optional<E>& o) {
        unsigned char present;
        in.bytes(&present, 1, "optional flag");
        if (present > 1) in.fail("an optional's flag is neither 0 nor 1");
        o.reset();
        if (present == 1) native_codec<E>::load(in, o.emplace());
    }
};

// ---- entry points ---------------------------------------------------------------------------

/// Appends the encoding of value to out.
template <class T>
void native_encode(std::vector<char>& out, const T& value) {
    const std::size_t at = out.size();
    out.resize(at + native_codec<T>::size(value));
    encode_cursor cursor{out.data() + at};
    native_codec<T>::save(cursor, value);
}

/// Decodes all of [data, data + size) as one T; throws decode_error if it is not exactly that.
template <class T>
void native_decode(const char* data, std::size_t size, T& value) {
    decode_cursor cursor(data, data + size);
    native_codec<T>::load(cursor, value);
    cursor.finish();
}

}  // namespace baton::detail
