#pragma once
// baton's own encoding of standard-library values: strings, sequences, sets, maps, pairs,
// tuples, optionals and arrays, nested to any depth, with trivially copyable leaves. Values
// are written in one pass into a buffer that grows as needed, and lengths and counts are
// variable-length integers (7 bits a byte: one byte below 128), so a short string costs one
// byte more than its characters. Nothing is limited to 2^31.
//
// Decoding trusts nothing: every length is checked against the bytes that remain before
// anything is allocated, and a message with bytes left over is rejected, so a truncated or
// corrupted message is a decode_error, never a crash or a huge allocation.
//
// Like Boost's binary archive, the encoding assumes every rank shares one architecture (byte
// order, type sizes); portable_comm keeps Boost.MPI's packed archive for mixed machines.

#include <algorithm>
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
#include <variant>
#include <vector>

#include <baton/detail/byte_buffer.hpp>
#include <baton/detail/codec/payload_traits.hpp>

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

/// The most bytes a count takes: ceil(64 / 7).
inline constexpr std::size_t max_count_bytes = 10;

/// Appends to a byte_buffer, growing it geometrically; writes go through a raw pointer checked
/// against the end only once per value.
class encode_cursor {
public:
    explicit encode_cursor(byte_buffer& out) : out_(out) {
        // Sized by what is written, not by the capacity left from an earlier large message:
        // resizing still visits every byte in unoptimized builds.
        const std::size_t at = out.size();
        out.resize(std::max(at + 256, std::min(out.capacity(), at + 4096)));
        p_ = out.data() + at;
        end_ = out.data() + out.size();
    }
    encode_cursor(const encode_cursor&) = delete;
    encode_cursor& operator=(const encode_cursor&) = delete;

    /// Makes room for n more bytes.
    [[gnu::always_inline]] void room(std::size_t n) {
        if (static_cast<std::size_t>(end_ - p_) < n) grow(n);
    }
    void bytes(const void* data, std::size_t n) {
        room(n);
        if (n != 0) std::memcpy(p_, data, n);
        p_ += n;
    }
    [[gnu::always_inline]] void count(std::uint64_t n) {
        room(max_count_bytes);
        put_count(n);
    }
    /// A count and then n elements of `size` bytes each, copied from data.
    [[gnu::always_inline]] void counted_bytes(const void* data, std::size_t n, std::size_t size) {
        const std::size_t total = n * size;
        room(max_count_bytes + total);
        put_count(n);
        copy(p_, static_cast<const char*>(data), total);
        p_ += total;
    }
    /// One byte; room() must have been made.
    void byte(char b) noexcept { *p_++ = b; }

    /// A run of char strings, each a count and its characters. The position stays in locals:
    /// every character stored may alias the cursor's members, which would otherwise be
    /// reloaded after each store.
    template <class It>
    void strings(It first, It last) {
        char* p = p_;
        char* end = end_;
        for (; first != last; ++first) {
            const std::size_t n = first->size();
            // Room for 32 bytes of characters, so that a short string's copy may overrun n.
            if (static_cast<std::size_t>(end - p) < max_count_bytes + std::max<std::size_t>(n, 32)) {
                p_ = p;
                grow(max_count_bytes + std::max<std::size_t>(n, 32));
                p = p_;
                end = end_;
            }
            p = put_count(p, n);
            const char* from = first->data();
            if (n <= 32 && first->capacity() >= 15) {
                // The characters of a string with room for 15 lie in at least 16 readable bytes
                // (its own buffer, or its allocation of capacity() + 1): two 16-byte moves, the
                // second ending at n (or repeating the first), with no branch on n to mispredict
                // on strings of mixed lengths (memcpy's branches cost more there:
                // docs/performance.md, "Decoding floors").
                const std::size_t tail = n > 16 ? n - 16 : 0;
                char head_bytes[16], tail_bytes[16];
                std::memcpy(head_bytes, from, 16);
                std::memcpy(tail_bytes, from + tail, 16);
                std::memcpy(p, head_bytes, 16);
                std::memcpy(p + tail, tail_bytes, 16);
            } else {
                copy(p, from, n);
            }
            p += n;
        }
        p_ = p;
    }

    /// Shrinks the buffer to what was written.
    void finish() { out_.resize(static_cast<std::size_t>(p_ - out_.data())); }

private:
    [[gnu::always_inline]] void put_count(std::uint64_t n) noexcept { p_ = put_count(p_, n); }
    [[gnu::always_inline]] static char* put_count(char* p, std::uint64_t n) noexcept {
        while (n >= 0x80) {
            *p++ = static_cast<char>(n | 0x80);
            n >>= 7;
        }
        *p++ = static_cast<char>(n);
        return p;
    }

    /// Most strings are short; copying them with two overlapping fixed-size moves avoids a
    /// call to memcpy per string.
    [[gnu::always_inline]] static void copy(char* to, const char* from, std::size_t n) noexcept {
        if (n >= 8 && n <= 16) {
            std::uint64_t head, tail;
            std::memcpy(&head, from, 8);
            std::memcpy(&tail, from + n - 8, 8);
            std::memcpy(to, &head, 8);
            std::memcpy(to + n - 8, &tail, 8);
        } else if (n != 0) {
            std::memcpy(to, from, n);
        }
    }

    [[gnu::noinline]] void grow(std::size_t n) {
        const std::size_t at = static_cast<std::size_t>(p_ - out_.data());
        out_.resize(std::max(2 * out_.size(), at + n));
        p_ = out_.data() + at;
        end_ = out_.data() + out_.size();
    }

    byte_buffer& out_;
    char* p_;
    char* end_;
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
        return count_at(p_, min_element_size, what);
    }

    /// Reads `count` char strings in a row, calling place(characters, length, readable) for
    /// each, where `readable` is how many bytes may be read from `characters` (at least
    /// `length`); the position stays in locals (see encode_cursor::strings).
    template <class Place>
    void strings(std::size_t count, Place&& place) {
        const char* p = p_;
        for (std::size_t i = 0; i < count; ++i) {
            const std::size_t n = count_at(p, 1, "length");
            place(p, n, static_cast<std::size_t>(end_ - p));
            p += n;
        }
        p_ = p;
    }

    void finish() const {
        if (p_ != end_) fail(std::to_string(remaining()) + " bytes left over after the value");
    }

    [[noreturn]] void fail(const std::string& problem) const {
        throw decode_error("malformed message at byte " + std::to_string(p_ - begin_) + ": " + problem);
    }

private:
    /// count() reading at `p`, which is p_ itself or a copy of it held in a local.
    [[gnu::always_inline]] std::size_t count_at(const char*& p, std::size_t min_element_size, const char* what) {
        std::uint64_t n;
        if (p != end_ && static_cast<unsigned char>(*p) < 0x80) {
            n = static_cast<unsigned char>(*p++);
        } else {
            p_ = p;
            n = long_count(what);
            p = p_;
        }
        std::uint64_t least;
        if (__builtin_mul_overflow(n, std::uint64_t{min_element_size}, &least) ||
            least > static_cast<std::size_t>(end_ - p)) {
            p_ = p;
            too_many(n, min_element_size, what);
        }
        return static_cast<std::size_t>(n);
    }

    [[gnu::noinline]] std::uint64_t long_count(const char* what) {
        std::uint64_t n = 0;
        for (unsigned shift = 0;; shift += 7) {
            if (p_ == end_) fail("truncated " + std::string(what) + ": the count ends early");
            const auto b = static_cast<unsigned char>(*p_++);
            if (shift == 63 && b > 1) fail(std::string(what) + ": a count beyond 64 bits");
            n |= std::uint64_t{b & 0x7Fu} << shift;
            if (b < 0x80) return n;
        }
    }

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
    static void save(encode_cursor& out, const T& value) { out.bytes(&value, sizeof(T)); }
    static void load(decode_cursor& in, T& value) { in.bytes(&value, sizeof(T), "value"); }
};

// ---- contiguous runs of leaves: strings and vectors --------------------------------------

template <class C, class E>
struct native_contiguous_codec {
    static constexpr std::size_t min_size = 1;
    static void save(encode_cursor& out, const C& c) { out.counted_bytes(c.data(), c.size(), sizeof(E)); }
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

/// Decodes one E as a new value.
template <class E>
E native_read(decode_cursor& in) {
    E e{};
    native_codec<E>::load(in, e);
    return e;
}

/// Constructs the next E in place from its encoding: a char string straight from its
/// characters, anything else decoded into the new element.
template <class Tr, class A, class Place>
void native_place(decode_cursor& in, std::basic_string<char, Tr, A>*, Place&& place) {
    const std::size_t n = in.count(1, "length");
    place(in.take(n, "characters"), n);
}
template <class E, class Place>
void native_place(decode_cursor& in, E*, Place&& place) {
    place(native_read<E>(in));
}

template <class C, class = void>
inline constexpr bool has_reserve_v = false;
template <class C>
inline constexpr bool has_reserve_v<C, std::void_t<decltype(std::declval<C&>().reserve(std::size_t{}))>> = true;
template <class C, class = void>
inline constexpr bool has_emplace_back_v = false;
template <class C>
inline constexpr bool has_emplace_back_v<C, std::void_t<decltype(std::declval<C&>().emplace_back())>> = true;

template <class T>
inline constexpr bool is_char_string_v = false;
template <class Tr, class A>
inline constexpr bool is_char_string_v<std::basic_string<char, Tr, A>> = true;

template <class C, class E>
struct native_sequence_codec {
    static constexpr std::size_t min_size = 1;
    static constexpr bool of_strings = is_char_string_v<E>;
    /// The longest string std::string keeps in place (libstdc++ and libc++ keep 15 or more).
    static constexpr std::size_t short_string = 15;
    static void save(encode_cursor& out, const C& c) {
        out.count(static_cast<std::uint64_t>(c.size()));
        if constexpr (of_strings) {
            out.strings(c.begin(), c.end());
        } else {
            for (const auto& e : c) native_codec<E>::save(out, e);
        }
    }
    static void load(decode_cursor& in, C& c) {
        const std::size_t n = in.count(native_codec<E>::min_size, "element count");
        c.clear();
        // The count was checked against the bytes left, so this reserves at most a few bytes of
        // elements per byte of message.
        if constexpr (has_reserve_v<C>) c.reserve(n);
        if constexpr (of_strings && has_emplace_back_v<C>) {
            in.strings(n, [&](const char* data, std::size_t length, std::size_t readable) {
                if (length <= short_string && readable >= short_string) {
                    // A copy of constant length is inlined; std::string's own copy of `length`
                    // bytes is a call to memcpy per string. The tail beyond `length` is cut off.
                    c.emplace_back(data, short_string);
                    c.back().erase(length);
                } else {
                    c.emplace_back(data, length);
                }
            });
        } else {
            for (std::size_t i = 0; i < n; ++i) {
                if constexpr (has_emplace_back_v<C>) {
                    native_place(in, static_cast<E*>(nullptr),
                                 [&](auto&&... args) { c.emplace_back(std::forward<decltype(args)>(args)...); });
                } else {
                    native_place(in, static_cast<E*>(nullptr), [&](auto&&... args) {
                        c.emplace_hint(c.end(), std::forward<decltype(args)>(args)...);
                    });
                }
            }
        }
    }
};

template <class E, class A>
struct native_codec<std::vector<E, A>, std::enable_if_t<!is_fixed_v<E> && has_native_codec_v<E>>>
    : native_sequence_codec<std::vector<E, A>, E> {};
template <class E, class A>
struct native_codec<std::deque<E, A>, std::enable_if_t<has_native_codec_v<E>>>
    : native_sequence_codec<std::deque<E, A>, E> {};
template <class E, class A>
struct native_codec<std::list<E, A>, std::enable_if_t<has_native_codec_v<E>>>
    : native_sequence_codec<std::list<E, A>, E> {};
template <class K, class Cmp, class A>
struct native_codec<std::set<K, Cmp, A>, std::enable_if_t<has_native_codec_v<K>>>
    : native_sequence_codec<std::set<K, Cmp, A>, K> {};
template <class K, class Cmp, class A>
struct native_codec<std::multiset<K, Cmp, A>, std::enable_if_t<has_native_codec_v<K>>>
    : native_sequence_codec<std::multiset<K, Cmp, A>, K> {};
template <class K, class H, class Eq, class A>
struct native_codec<std::unordered_set<K, H, Eq, A>, std::enable_if_t<has_native_codec_v<K>>>
    : native_sequence_codec<std::unordered_set<K, H, Eq, A>, K> {};

/// Maps travel as their (key, value) pairs. Each entry is built in its node: the key from its
/// encoding, then the value (pair members are constructed in order), with the end as the hint,
/// which costs two comparisons per entry in libstdc++ (one to accept the hint, one to link the
/// node) when the sender's map was in the same order.
template <class C, class K, class V>
struct native_map_codec {
    static constexpr std::size_t min_size = 1;
    static void save(encode_cursor& out, const C& c) {
        out.count(static_cast<std::uint64_t>(c.size()));
        for (const auto& [k, v] : c) {
            native_codec<K>::save(out, k);
            native_codec<V>::save(out, v);
        }
    }
    static void load(decode_cursor& in, C& c) {
        const std::size_t n = in.count(native_codec<K>::min_size + native_codec<V>::min_size, "entry count");
        c.clear();
        if constexpr (has_reserve_v<C>) c.reserve(n);
        for (std::size_t i = 0; i < n; ++i) {
            native_place(in, static_cast<K*>(nullptr), [&](auto&&... key) {
                c.emplace_hint(c.end(), std::piecewise_construct,
                               std::forward_as_tuple(std::forward<decltype(key)>(key)...),
                               std::forward_as_tuple(value_reader{in}));
            });
        }
    }

private:
    /// Decodes the value where the node's pair constructs it.
    struct value_reader {
        decode_cursor& in;
        operator V() const { return native_read<V>(in); }
    };
};

template <class K, class V, class Cmp, class A>
struct native_codec<std::map<K, V, Cmp, A>, std::enable_if_t<has_native_codec_v<K> && has_native_codec_v<V>>>
    : native_map_codec<std::map<K, V, Cmp, A>, K, V> {};
template <class K, class V, class Cmp, class A>
struct native_codec<std::multimap<K, V, Cmp, A>, std::enable_if_t<has_native_codec_v<K> && has_native_codec_v<V>>>
    : native_map_codec<std::multimap<K, V, Cmp, A>, K, V> {};
template <class K, class V, class H, class Eq, class A>
struct native_codec<std::unordered_map<K, V, H, Eq, A>,
                    std::enable_if_t<has_native_codec_v<K> && has_native_codec_v<V>>>
    : native_map_codec<std::unordered_map<K, V, H, Eq, A>, K, V> {};

// ---- std::vector<bool>: a byte per element ------------------------------------------------

template <class A>
struct native_codec<std::vector<bool, A>> {
    static constexpr std::size_t min_size = 1;
    static void save(encode_cursor& out, const std::vector<bool, A>& c) {
        out.count(c.size());
        out.room(c.size());
        for (bool b : c) out.byte(b ? 1 : 0);
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
    static void save(encode_cursor& out, const Tuple& t) {
        std::apply([&](const auto&... e) { (native_codec<E>::save(out, e), ...); }, t);
    }
    template <class Tuple>
    static void load(decode_cursor& in, Tuple& t) {
        std::apply([&](auto&... e) { (native_codec<E>::load(in, e), ...); }, t);
    }
};

template <class A, class B>
struct native_codec<std::pair<A, B>,
                    std::enable_if_t<!is_fixed_v<std::pair<A, B>> && has_native_codec_v<A> && has_native_codec_v<B>>>
    : native_tuple_codec<A, B> {};
template <class... E>
struct native_codec<std::tuple<E...>, std::enable_if_t<!is_fixed_v<std::tuple<E...>> && sizeof...(E) != 0 &&
                                                       (has_native_codec_v<E> && ...)>> : native_tuple_codec<E...> {};

template <class E, std::size_t N>
struct native_codec<std::array<E, N>,
                    std::enable_if_t<!is_fixed_v<std::array<E, N>> && N != 0 && has_native_codec_v<E>>> {
    static constexpr std::size_t min_size = N * native_codec<E>::min_size;
    static void save(encode_cursor& out, const std::array<E, N>& a) {
        for (const auto& e : a) native_codec<E>::save(out, e);
    }
    static void load(decode_cursor& in, std::array<E, N>& a) {
        for (auto& e : a) native_codec<E>::load(in, e);
    }
};

template <class E>
struct native_codec<std::optional<E>, std::enable_if_t<!is_fixed_v<std::optional<E>> && has_native_codec_v<E>>> {
    static constexpr std::size_t min_size = 1;
    static void save(encode_cursor& out, const std::optional<E>& o) {
        out.room(1);
        out.byte(o ? 1 : 0);
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

template <class E>
inline constexpr bool variant_alternative_encodable_v = has_native_codec_v<E> || std::is_same_v<E, std::monostate>;

// A variant: the index of its alternative in one byte, then that alternative (nothing for
// std::monostate).
template <class... E>
struct native_codec<std::variant<E...>,
                    std::enable_if_t<!is_fixed_v<std::variant<E...>> && (variant_alternative_encodable_v<E> && ...)>> {
    static_assert(sizeof...(E) < 256, "baton encodes a variant's index in one byte");
    static constexpr std::size_t min_size = 1;
    static void save(encode_cursor& out, const std::variant<E...>& v) {
        if (v.valueless_by_exception())
            throw std::invalid_argument("baton cannot send a variant left valueless by an exception");
        out.room(1);
        out.byte(static_cast<char>(v.index()));
        std::visit(
            [&out](const auto& held) {
                using held_type = std::decay_t<decltype(held)>;
                if constexpr (!std::is_same_v<held_type, std::monostate>) native_codec<held_type>::save(out, held);
            },
            v);
    }
    static void load(decode_cursor& in, std::variant<E...>& v) {
        unsigned char index;
        in.bytes(&index, 1, "variant index");
        if (index >= sizeof...(E)) {
            in.fail("a variant's index " + std::to_string(index) + " names no alternative (there are " +
                    std::to_string(sizeof...(E)) + ")");
        }
        load_alternative(in, v, index, std::index_sequence_for<E...>{});
    }

private:
    template <std::size_t... I>
    static void load_alternative(decode_cursor& in, std::variant<E...>& v, std::size_t index,
                                 std::index_sequence<I...>) {
        ((index == I ? load_one<I>(in, v) : void()), ...);
    }
    template <std::size_t I>
    static void load_one(decode_cursor& in, std::variant<E...>& v) {
        using alternative = std::variant_alternative_t<I, std::variant<E...>>;
        auto& held = v.template emplace<I>();
        if constexpr (!std::is_same_v<alternative, std::monostate>) native_codec<alternative>::load(in, held);
    }
};

// ---- entry points ---------------------------------------------------------------------------

/// Appends the encoding of value to out.
template <class T>
void native_encode(byte_buffer& out, const T& value) {
    encode_cursor cursor(out);
    native_codec<T>::save(cursor, value);
    cursor.finish();
}

/// Decodes all of [data, data + size) as one T; throws decode_error if it is not exactly that.
template <class T>
void native_decode(const char* data, std::size_t size, T& value) {
    decode_cursor cursor(data, data + size);
    native_codec<T>::load(cursor, value);
    cursor.finish();
}

}  // namespace baton::detail
