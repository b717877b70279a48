#pragma once
// Minimal streambufs for Boost's binary archives: one appends to a byte_buffer
// (no std::stringstream copy at the end), one reads a byte range in place.

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <streambuf>

#include <baton/detail/byte_buffer.hpp>

namespace baton::detail {

class vector_sink : public std::streambuf {
public:
    explicit vector_sink(byte_buffer& out) : out_(out) {}

protected:
    std::streamsize xsputn(const char* s, std::streamsize n) override {
        out_.insert(out_.end(), s, s + n);
        return n;
    }
    int_type overflow(int_type c) override {
        if (!traits_type::eq_int_type(c, traits_type::eof())) out_.push_back(traits_type::to_char_type(c));
        return traits_type::not_eof(c);
    }

private:
    byte_buffer& out_;
};

class span_source : public std::streambuf {
public:
    span_source(const char* data, std::size_t size) {
        char* begin = const_cast<char*>(data);  // get area is only read
        setg(begin, begin, begin + size);
    }

protected:
    std::streamsize xsgetn(char* s, std::streamsize n) override {
        const std::streamsize available = egptr() - gptr();
        const std::streamsize taken = std::min(n, available);
        std::memcpy(s, gptr(), static_cast<std::size_t>(taken));
        gbump(static_cast<int>(taken));
        return taken;
    }
};

}  // namespace baton::detail
