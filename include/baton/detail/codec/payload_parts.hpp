#pragma once
// Payloads that travel in parts. A value whose bulk is a few large arrays (a dataset's
// columns) is broadcast as a small layout message, encoded as usual, and then each array
// straight from the root's memory into the array the receiver sized from the layout: no
// encoding copy at the root, no decoding copy at the receivers, about the cost of
// broadcasting the arrays' bytes. A type opts in with three members, reached through
// parts_access (make it a friend):
//
//   template <class Archive> void save_layout(Archive&, std::vector<array_part>& arrays) const;
//   template <class Archive> void load_layout(Archive&, std::vector<array_part>& arrays);
//   void check_parts();   // after the arrays arrived: validate them, throw baton::error if wrong
//
// save_layout writes everything but the arrays' contents and lists the arrays it left out, in
// order; load_layout reads the same, sizes each array and lists it in the same order.

#include <cstddef>
#include <type_traits>
#include <vector>

namespace baton::detail {

/// An array of a payload that travels as a message of its own.
struct array_part {
    char* data;
    std::size_t size;
};

struct parts_access {
    template <class Archive, class T>
    static void save_layout(Archive& ar, const T& value, std::vector<array_part>& arrays) {
        value.save_layout(ar, arrays);
    }
    template <class Archive, class T>
    static void load_layout(Archive& ar, T& value, std::vector<array_part>& arrays) {
        value.load_layout(ar, arrays);
    }
    template <class T>
    static void check_parts(T& value) {
        value.check_parts();
    }
    template <class T>
    static auto probe(T* p) -> decltype(p->check_parts(), std::true_type{});
    static std::false_type probe(...);
};

/// Whether T travels in parts.
template <class T>
inline constexpr bool travels_in_parts_v = decltype(parts_access::probe(static_cast<T*>(nullptr)))::value;

/// The layout of a value, as a Boost.Serialization object: saving it writes the value's
/// layout and lists its arrays.
template <class T>
struct layout_writer {
    const T* value;
    std::vector<array_part>* arrays;
    // Not trivially copyable, so that the encodings call serialize() instead of copying the
    // pointers as bytes.
    ~layout_writer() {}
    template <class Archive>
    void serialize(Archive& ar, unsigned) {
        parts_access::save_layout(ar, *value, *arrays);
    }
};

/// Loading it reads a layout into the value and lists the arrays still to fill.
template <class T>
struct layout_reader {
    T* value;
    std::vector<array_part>* arrays;
    ~layout_reader() {}  // as layout_writer
    template <class Archive>
    void serialize(Archive& ar, unsigned) {
        parts_access::load_layout(ar, *value, *arrays);
    }
};

}  // namespace baton::detail
