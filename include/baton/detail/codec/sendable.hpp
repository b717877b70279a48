#pragma once
// Whether baton can send a type, decided at compile time so that a type it cannot send stops at
// one static_assert that says why and how to fix it, instead of pages of errors from inside
// Boost.Serialization. A type is sendable when it is plain memory (trivially copyable), a
// contiguous container of plain elements, a value baton's own encoding knows (standard
// containers, strings, tuples, optionals ... of sendable parts), or a type Boost.Serialization
// can save: one with a serialize() member (of any access: Boost reaches private ones through
// boost::serialization::access) or a non-intrusive serialize(Archive&, T&, unsigned) overload.

#include <array>
#include <boost/serialization/serialization.hpp>
#include <deque>
#include <list>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

#include <baton/allow_pointer_members.hpp>
#include <baton/detail/codec/native_codec.hpp>
#include <baton/detail/codec/payload_traits.hpp>
#include <baton/detail/codec/pointer_fields.hpp>

namespace baton::detail {

namespace serialize_probe {

// An archive type whose template argument puts boost::serialization among the namespaces that
// argument-dependent lookup searches, so that overloads declared there after this header are
// found as well.
template <class Tag>
struct archive {};
using probe_archive = archive<boost::serialization::access>;

struct no_overload {};
// As general as Boost's own serialize(Archive&, T&, unsigned): with only the two generic
// templates to choose from, the call is ambiguous and detection fails; an overload written for
// T is more specialized than both and wins.
template <class Archive, class T>
no_overload serialize(Archive&, T&, const unsigned int);

template <class T, class = void>
struct has_free_serialize : std::false_type {};
template <class T>
struct has_free_serialize<T, std::void_t<decltype(serialize(std::declval<probe_archive&>(), std::declval<T&>(), 0u))>>
    : std::true_type {};

// A member named serialize, whatever its access: looking it up in a class that also inherits
// one from `other` is ambiguous exactly when T has one.
struct other {
    void serialize();
};
template <class T>
struct both : T, other {};
template <class T, class = void>
struct member_lookup_is_unambiguous : std::false_type {};
template <class T>
struct member_lookup_is_unambiguous<T, std::void_t<decltype(&both<T>::serialize)>> : std::true_type {};

template <class T>
constexpr bool has_member_serialize() {
    if constexpr (!std::is_class_v<T>) {
        return false;
    } else if constexpr (std::is_final_v<T>) {
        return true;  // cannot be inspected this way: leave it to Boost
    } else {
        return !member_lookup_is_unambiguous<T>::value;
    }
}

}  // namespace serialize_probe

template <class T>
inline constexpr bool boost_serializable_v =
    serialize_probe::has_member_serialize<T>() || serialize_probe::has_free_serialize<T>::value;

template <class T>
struct parts_sendable;

/// A struct sent as its bytes with a pointer inside, not allowed by allow_pointer_members.
template <class T>
constexpr bool unwanted_pointer() {
    if constexpr (kind_v<T> == payload_kind::fixed && !allow_pointer_members<T>::value) {
        return fields::holds_pointer<T>();
    } else {
        return false;
    }
}

/// Plain memory, baton's own encoding or Boost's can carry T, it holds no unwanted pointer,
/// and so do its parts, for the standard containers (Boost has overloads for them whatever their
/// elements, and fails deep inside when an element cannot be saved).
template <class T>
constexpr bool sendable() {
    const bool carried = kind_v<T> != payload_kind::serialized || has_native_codec_v<T> || boost_serializable_v<T>;
    return carried && !unwanted_pointer<T>() && parts_sendable<T>::value;
}
template <class T>
inline constexpr bool sendable_v = sendable<T>();

template <class T>
struct parts_sendable : std::true_type {};
template <class... Ts>
struct all_sendable : std::bool_constant<(sendable_v<Ts> && ...)> {};
template <class E, class A>
struct parts_sendable<std::vector<E, A>> : all_sendable<E> {};
template <class E, class A>
struct parts_sendable<std::deque<E, A>> : all_sendable<E> {};
template <class E, class A>
struct parts_sendable<std::list<E, A>> : all_sendable<E> {};
template <class E, std::size_t N>
struct parts_sendable<std::array<E, N>> : all_sendable<E> {};
template <class K, class C, class A>
struct parts_sendable<std::set<K, C, A>> : all_sendable<K> {};
template <class K, class C, class A>
struct parts_sendable<std::multiset<K, C, A>> : all_sendable<K> {};
template <class K, class V, class C, class A>
struct parts_sendable<std::map<K, V, C, A>> : all_sendable<K, V> {};
template <class K, class V, class C, class A>
struct parts_sendable<std::multimap<K, V, C, A>> : all_sendable<K, V> {};
template <class K, class H, class Q, class A>
struct parts_sendable<std::unordered_set<K, H, Q, A>> : all_sendable<K> {};
template <class K, class V, class H, class Q, class A>
struct parts_sendable<std::unordered_map<K, V, H, Q, A>> : all_sendable<K, V> {};
template <class E>
struct parts_sendable<std::optional<E>> : all_sendable<E> {};
template <class A, class B>
struct parts_sendable<std::pair<A, B>> : all_sendable<A, B> {};
template <class... Ts>
struct parts_sendable<std::tuple<Ts...>> : all_sendable<Ts...> {};
template <class... Ts>
struct parts_sendable<std::variant<Ts...>>
    : std::bool_constant<((sendable_v<Ts> || std::is_same_v<Ts, std::monostate>)&&...)> {};

/// Stops the compilation at the first type baton cannot send, saying why and what to do.
template <class T>
constexpr bool require_sendable() {
    static_assert(!std::is_pointer_v<T>,
                  "baton cannot send a raw pointer: its address means nothing in another process. Send the "
                  "value it points to, or a std::vector of the values, instead.");
    static_assert(!unwanted_pointer<T>(),
                  "baton cannot send this struct as its bytes: it holds a pointer (the compiler's 'required "
                  "from' notes name the type), and on another rank that address means nothing. Send what it "
                  "points to instead (a std::vector, a std::string), or, if the pointer is only ever used by "
                  "this rank, say so: template <> struct baton::allow_pointer_members<T> : std::true_type {};");
    static_assert(std::is_pointer_v<T> || unwanted_pointer<T>() || sendable_v<T>,
                  "baton cannot send this type (the compiler's 'required from' notes name it): it, or a part of "
                  "it, is not trivially "
                  "copyable, has no serialize() member, no boost::serialization::serialize overload, and is not a "
                  "standard container baton encodes. Fix it one of three ways: (1) make it trivially copyable "
                  "(plain data members, no user-written copy, move or destructor); (2) give it "
                  "`template <class Archive> void serialize(Archive& ar, unsigned) { ar & a & b; }`; "
                  "(3) send a standard container of its parts (std::vector, std::map, std::tuple, ...).");
    return true;
}

}  // namespace baton::detail
