#pragma once
/// @file
/// Readable, compiler-independent names of payload types. The checked wire puts the
/// sender's type name into every message so that a receiver asking for another type
/// gets an error naming both ("expected std::vector<double> ..., got int").
///
/// To name your own type, specialize baton::type_name_of:
/// @code
/// template <> struct baton::type_name_of<my::particle> {
///     static std::string get() { return "my::particle"; }
/// };
/// @endcode

#include <array>
#include <cstddef>
#include <deque>
#include <list>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

namespace baton {

template <class T, class Enable = void>
struct type_name_of;

/// @brief The name baton uses for T in messages and type checks.
template <class T>
std::string type_name() {
    return type_name_of<std::remove_cv_t<T>>::get();
}

namespace detail {

template <class T>
std::string compiler_type_name() {
    // GCC and clang both spell the type after "T = " in __PRETTY_FUNCTION__.
    std::string_view f = __PRETTY_FUNCTION__;
    auto start = f.find("T = ");
    if (start == std::string_view::npos) return "unknown type";
    start += 4;
    auto end = f.find_first_of(";]", start);
    std::string name(f.substr(start, end - start));
    // libstdc++'s inline namespace is noise to a reader.
    for (std::string_view noise : {"std::__cxx11::", "std::__1::"}) {
        for (auto pos = name.find(noise); pos != std::string::npos; pos = name.find(noise)) {
            name.replace(pos, noise.size(), "std::");
        }
    }
    return name;
}

template <class... Ts>
std::string template_args() {
    std::string out;
    ((out += (out.empty() ? "" : ", ") + type_name<Ts>()), ...);
    return out;
}

}  // namespace detail

/// Fallback: what the compiler calls the type.
template <class T, class Enable>
struct type_name_of {
    /// The name.
    static std::string get() { return detail::compiler_type_name<T>(); }
};

/// @cond specializations: one per standard type, each naming it as it is written
#define BATON_NAME_FUNDAMENTAL(type)               \
    template <>                                    \
    struct type_name_of<type> {                    \
        static std::string get() { return #type; } \
    };
BATON_NAME_FUNDAMENTAL(bool)
BATON_NAME_FUNDAMENTAL(char)
BATON_NAME_FUNDAMENTAL(signed char)
BATON_NAME_FUNDAMENTAL(unsigned char)
BATON_NAME_FUNDAMENTAL(wchar_t)
BATON_NAME_FUNDAMENTAL(char16_t)
BATON_NAME_FUNDAMENTAL(char32_t)
BATON_NAME_FUNDAMENTAL(short)
BATON_NAME_FUNDAMENTAL(unsigned short)
BATON_NAME_FUNDAMENTAL(int)
BATON_NAME_FUNDAMENTAL(unsigned int)
BATON_NAME_FUNDAMENTAL(long)
BATON_NAME_FUNDAMENTAL(unsigned long)
BATON_NAME_FUNDAMENTAL(long long)
BATON_NAME_FUNDAMENTAL(unsigned long long)
BATON_NAME_FUNDAMENTAL(float)
BATON_NAME_FUNDAMENTAL(double)
BATON_NAME_FUNDAMENTAL(long double)
#undef BATON_NAME_FUNDAMENTAL

template <>
struct type_name_of<std::string> {
    static std::string get() { return "std::string"; }
};
template <class T>
struct type_name_of<std::vector<T>> {
    static std::string get() { return "std::vector<" + type_name<T>() + ">"; }
};
template <class T, std::size_t N>
struct type_name_of<std::array<T, N>> {
    static std::string get() { return "std::array<" + type_name<T>() + ", " + std::to_string(N) + ">"; }
};
template <class A, class B>
struct type_name_of<std::pair<A, B>> {
    static std::string get() { return "std::pair<" + detail::template_args<A, B>() + ">"; }
};
template <class K, class V>
struct type_name_of<std::map<K, V>> {
    static std::string get() { return "std::map<" + detail::template_args<K, V>() + ">"; }
};
template <class K, class V>
struct type_name_of<std::unordered_map<K, V>> {
    static std::string get() { return "std::unordered_map<" + detail::template_args<K, V>() + ">"; }
};
template <class T>
struct type_name_of<std::set<T>> {
    static std::string get() { return "std::set<" + type_name<T>() + ">"; }
};
template <class T>
struct type_name_of<std::unordered_set<T>> {
    static std::string get() { return "std::unordered_set<" + type_name<T>() + ">"; }
};
template <class T>
struct type_name_of<std::list<T>> {
    static std::string get() { return "std::list<" + type_name<T>() + ">"; }
};
template <class T>
struct type_name_of<std::deque<T>> {
    static std::string get() { return "std::deque<" + type_name<T>() + ">"; }
};
template <class T>
struct type_name_of<std::optional<T>> {
    static std::string get() { return "std::optional<" + type_name<T>() + ">"; }
};
template <class... Ts>
struct type_name_of<std::variant<Ts...>> {
    static std::string get() { return "std::variant<" + detail::template_args<Ts...>() + ">"; }
};
template <>
struct type_name_of<std::monostate> {
    static std::string get() { return "std::monostate"; }
};
/// @endcond

}  // namespace baton
