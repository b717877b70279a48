#pragma once
// Whether a plain struct that baton would send as its bytes holds a pointer, found at compile
// time: the receiver would follow an address that means nothing in its process. C++17 can list
// an aggregate's fields with a structured binding once their number is known; the number is the
// most braced initializers `T{{x}, {x}, ...}` accepts. Not inspected (docs/comm.md says so):
// classes with constructors or private fields (not aggregates), aggregates with a base class,
// unions, and aggregates of more than 16 fields.

#include <array>
#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

namespace baton::detail::fields {

template <class... Fields>
struct type_list {};

/// Converts to anything: stands for one field's initializer.
struct any_value {
    template <class U>
    operator U() const;  // declared only: used in unevaluated contexts
};

/// Converts only to a base class of T: T{base_probe<T>{}} is valid exactly when T's first
/// aggregate element is a base.
template <class T>
struct base_probe {
    template <class U, class = std::enable_if_t<std::is_base_of_v<U, T> && !std::is_same_v<U, T>>>
    operator U() const;
};

template <class T, class = void>
struct has_base : std::false_type {};
template <class T>
struct has_base<T, std::void_t<decltype(T{base_probe<T>{}})>> : std::true_type {};

template <class T, class = void>
struct has_tuple_size : std::false_type {};
template <class T>
struct has_tuple_size<T, std::void_t<decltype(std::tuple_size<T>::value)>> : std::true_type {};

template <class T, class Indices, class = void>
struct accepts : std::false_type {};
template <class T, std::size_t... I>
struct accepts<T, std::index_sequence<I...>, std::void_t<decltype(T{{(void(I), any_value{})}...})>> : std::true_type {};

inline constexpr std::size_t most_fields = 16;

/// The number of fields: the most braced initializers T accepts (most_fields + 1: too many).
template <class T, std::size_t N = 0>
constexpr std::size_t count() {
    if constexpr (N > most_fields || !accepts<T, std::make_index_sequence<N + 1>>::value) {
        return N;
    } else {
        return count<T, N + 1>();
    }
}

template <class T>
constexpr bool inspectable() {
    if constexpr (!std::is_class_v<T> || std::is_union_v<T> || !std::is_aggregate_v<T> || has_tuple_size<T>::value) {
        return false;
    } else if constexpr (has_base<T>::value) {
        return false;
    } else {
        return count<T>() <= most_fields;
    }
}

/// The fields' types (a const reference binds to every kind of field, bit-fields included).
template <class... X>
type_list<X...> list_of(const X&...);

// Only ever named in decltype (with std::declval for the object), never called.
#define BATON_FIELD_TYPES(N, ...)                                      \
    template <class T>                                                 \
    auto types_of(T& object, std::integral_constant<std::size_t, N>) { \
        auto& [__VA_ARGS__] = object;                                  \
        return decltype(list_of(__VA_ARGS__)){};                       \
    }
template <class T>
auto types_of(T&, std::integral_constant<std::size_t, 0>) {
    return type_list<>{};
}
BATON_FIELD_TYPES(1, a)
BATON_FIELD_TYPES(2, a, b)
BATON_FIELD_TYPES(3, a, b, c)
BATON_FIELD_TYPES(4, a, b, c, d)
BATON_FIELD_TYPES(5, a, b, c, d, e)
BATON_FIELD_TYPES(6, a, b, c, d, e, f)
BATON_FIELD_TYPES(7, a, b, c, d, e, f, g)
BATON_FIELD_TYPES(8, a, b, c, d, e, f, g, h)
BATON_FIELD_TYPES(9, a, b, c, d, e, f, g, h, i)
BATON_FIELD_TYPES(10, a, b, c, d, e, f, g, h, i, j)
BATON_FIELD_TYPES(11, a, b, c, d, e, f, g, h, i, j, k)
BATON_FIELD_TYPES(12, a, b, c, d, e, f, g, h, i, j, k, l)
BATON_FIELD_TYPES(13, a, b, c, d, e, f, g, h, i, j, k, l, m)
BATON_FIELD_TYPES(14, a, b, c, d, e, f, g, h, i, j, k, l, m, n)
BATON_FIELD_TYPES(15, a, b, c, d, e, f, g, h, i, j, k, l, m, n, o)
BATON_FIELD_TYPES(16, a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p)
#undef BATON_FIELD_TYPES

template <class T>
constexpr bool holds_pointer();

template <class T>
struct is_std_array : std::false_type {};
template <class E, std::size_t N>
struct is_std_array<std::array<E, N>> : std::true_type {};

template <class... X>
constexpr bool any_holds_pointer(type_list<X...>) {
    return (holds_pointer<X>() || ...);
}

/// T is, or holds somewhere in its inspectable fields, a pointer.
template <class T>
constexpr bool holds_pointer() {
    using U = std::remove_cv_t<std::remove_all_extents_t<T>>;
    if constexpr (std::is_pointer_v<U> || std::is_member_pointer_v<U>) {
        return true;
    } else if constexpr (is_std_array<U>::value) {
        return holds_pointer<typename U::value_type>();
    } else if constexpr (std::is_class_v<U> && has_tuple_size<U>::value) {
        return false;  // a tuple-like class of the program's own: not inspected
    } else if constexpr (inspectable<U>()) {
        using fields = decltype(types_of(std::declval<U&>(), std::integral_constant<std::size_t, count<U>()>{}));
        return any_holds_pointer(fields{});
    } else {
        return false;
    }
}

}  // namespace baton::detail::fields
