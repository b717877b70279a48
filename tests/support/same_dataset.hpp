#pragma once
// Checks that two datasets hold the same names, types, missing values and values (reals bit
// for bit).
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <string>

#include <baton/dataset/local_dataset.hpp>

namespace baton_test {

inline void check_same(const baton::local_dataset& a, const baton::local_dataset& b) {
    REQUIRE(a.column_names() == b.column_names());
    REQUIRE(a.rows() == b.rows());
    for (const auto& name : a.column_names()) {
        INFO("column " << name);
        REQUIRE(a.type_of(name) == b.type_of(name));
        for (std::size_t r = 0; r < a.rows(); ++r) {
            if (a.is_missing(name, r) != b.is_missing(name, r)) FAIL_CHECK("missing differs at row " << r);
        }
        if (a.type_of(name) == baton::column_type::integer) {
            CHECK(a.column<std::int64_t>(name).to_vector() == b.column<std::int64_t>(name).to_vector());
        } else if (a.type_of(name) == baton::column_type::real) {
            auto x = a.column<double>(name), y = b.column<double>(name);
            for (std::size_t r = 0; r < x.size(); ++r) {
                if (std::memcmp(&x[r], &y[r], sizeof(double)) != 0) FAIL_CHECK("real differs at row " << r);
            }
        } else {
            CHECK(a.column<std::string>(name).to_vector() == b.column<std::string>(name).to_vector());
        }
    }
}

}  // namespace baton_test
