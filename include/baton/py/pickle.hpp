#pragma once
/// @file
/// Python's pickles in C++: baton::py::pickle writes the bytes Python's pickle.dumps (and so
/// mpi4py's lowercase send) would, baton::py::unpickle reads them, without running any code.
/// docs/python.md has the mapping between C++ types and Python values.
///
/// @code
/// std::string bytes = baton::py::pickle(std::vector<double>{0.5, 1.5});   // a list of float
/// auto values = baton::py::unpickle<std::vector<double>>(bytes);
/// baton::py::object any = baton::py::unpickle<baton::py::object>(bytes);  // whatever it holds
/// @endcode

#include <string>
#include <string_view>

#include <baton/py/detail/conversion.hpp>
#include <baton/py/detail/flat_list_reader.hpp>
#include <baton/py/detail/pickler.hpp>
#include <baton/py/detail/unpickler.hpp>
#include <baton/py/dtype.hpp>
#include <baton/py/ndarray.hpp>
#include <baton/py/object.hpp>

namespace baton::py {

/// The pickle of value (protocol 5, which Python 3.8 and later read): integer types become
/// int, floating point float, bool bool, std::string str (it must be UTF-8), std::vector<std::byte>
/// bytes, std::vector list, std::tuple, std::pair and std::array tuple, std::map and
/// std::unordered_map dict, std::set and std::unordered_set set, std::optional its value or None,
/// std::variant its held alternative, py::ndarray a numpy.ndarray, py::object what it holds.
/// Throws baton::error for a std::string that is not UTF-8.
template <class T>
std::string pickle(const T& value) {
    detail::pickler out;
    detail::write(out, value);
    return out.finish();
}

/// The value a pickle of protocol 2 to 5 holds, as T. Reads what CPython and NumPy write for
/// the types in docs/python.md and calls nothing: any other global (`os.system`, a class) is
/// refused by name. Throws baton::error for a pickle it refuses, a truncated or corrupt one
/// (saying at which byte), and baton::type_mismatch when the value does not convert to T without
/// loss ("expected std::vector<double> (a list of float), got dict").
template <class T>
T unpickle(std::string_view bytes) {
    if constexpr (detail::is_vector<T>::value && !detail::is_byte_vector<T>) {
        if constexpr (detail::flat_list_item<typename T::value_type>) {
            if (auto flat = detail::read_flat_list<typename T::value_type>(bytes)) return T(std::move(*flat));
        }
    }
    detail::unpickler reader(bytes);
    object value = reader.load();
    if constexpr (std::is_same_v<T, object>) {
        return value;
    } else {
        // A typed value copies what the pickle shares: refuse sharing that would blow a small
        // pickle up into a huge value.
        if (reader.had_shared_containers()) detail::check_expansion(value, 1'000'000 + 64 * bytes.size());
        return detail::convert<T>(value);
    }
}

}  // namespace baton::py
