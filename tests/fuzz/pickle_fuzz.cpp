// libFuzzer target for the pickle reader: any bytes either load as a baton::py::object or throw
// baton::error, never crash, hang or leak. A value that loads is pickled again, and that pickle
// must load and pickle to the same bytes (a fixed point); typed reads give a value or
// baton::error.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <baton/py/pickle.hpp>

namespace {

template <class T>
void try_as(std::string_view bytes) {
    try {
        (void)baton::py::unpickle<T>(bytes);
    } catch (const baton::error&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    baton::py::object value;
    try {
        value = baton::py::unpickle<baton::py::object>(bytes);
    } catch (const baton::error&) {
        return 0;
    }
    std::string once = baton::py::pickle(value);
    std::string twice = baton::py::pickle(baton::py::unpickle<baton::py::object>(once));
    if (once != twice) std::abort();
    try_as<std::vector<double>>(bytes);
    try_as<std::map<std::string, baton::py::object>>(bytes);
    try_as<std::vector<std::vector<std::int32_t>>>(bytes);
    try_as<baton::py::ndarray<double>>(bytes);
    try_as<std::optional<std::string>>(bytes);
    return 0;
}
