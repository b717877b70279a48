#pragma once
// How a payload type travels: as its own bytes (fixed), as the elements of a contiguous
// container (contiguous), or through Boost.Serialization (serialized).

#include <array>
#include <cstddef>
#include <string>
#include <type_traits>
#include <vector>

namespace baton::detail {

enum class payload_kind { fixed, contiguous, serialized };

template <class T>
inline constexpr bool is_fixed_v =
    std::is_trivially_copyable_v<T> && !std::is_pointer_v<T> && !std::is_member_pointer_v<T> && !std::is_empty_v<T>;

/// Containers whose elements sit in one block of memory that baton can send in place.
template <class T>
struct contiguous_container : std::false_type {};
template <class E, class A>
struct contiguous_container<std::vector<E, A>> : std::bool_constant<is_fixed_v<E> && !std::is_same_v<E, bool>> {
    using element_type = E;
};
template <class C, class Tr, class A>
struct contiguous_container<std::basic_string<C, Tr, A>> : std::bool_constant<is_fixed_v<C>> {
    using element_type = C;
};

template <class T>
constexpr payload_kind kind_of() {
    if constexpr (is_fixed_v<T>) {
        return payload_kind::fixed;
    } else if constexpr (contiguous_container<T>::value) {
        return payload_kind::contiguous;
    } else {
        return payload_kind::serialized;
    }
}

template <class T>
inline constexpr payload_kind kind_v = kind_of<T>();

/// The element type of a contiguous container, or the type itself for a fixed payload.
template <class T, class = void>
struct unit_of {
    using type = T;
};
template <class T>
struct unit_of<T, std::enable_if_t<contiguous_container<T>::value>> {
    using type = typename contiguous_container<T>::element_type;
};

/// Anything with data() and size() whose elements are E: the argument of a send through a
/// tag<std::vector<E>> may be a std::array<E, N>, a baton::view<E>, another vector...
template <class V, class E, class = void>
struct is_range_of : std::false_type {};
template <class V, class E>
struct is_range_of<V, E,
                   std::void_t<decltype(std::declval<const V&>().data()), decltype(std::declval<const V&>().size())>>
    : std::is_same<std::remove_cv_t<std::remove_pointer_t<decltype(std::declval<const V&>().data())>>, E> {};

/// The bytes of a value that travels in place.
struct byte_span {
    const void* data;
    std::size_t bytes;
};

template <class V>
byte_span bytes_of_range(const V& range) {
    using E = std::remove_cv_t<std::remove_pointer_t<decltype(range.data())>>;
    return {static_cast<const void*>(range.data()), static_cast<std::size_t>(range.size()) * sizeof(E)};
}

/// The element count `payload_bytes` of payload hold for a receiver of T: 1 for a fixed-size
/// value, the elements of a contiguous container, the bytes of a serialized payload.
template <class T>
std::size_t payload_count(std::size_t payload_bytes) {
    if constexpr (kind_v<T> == payload_kind::fixed) {
        return 1;
    } else if constexpr (kind_v<T> == payload_kind::contiguous) {
        return payload_bytes / sizeof(typename contiguous_container<T>::element_type);
    } else {
        return payload_bytes;
    }
}

}  // namespace baton::detail
