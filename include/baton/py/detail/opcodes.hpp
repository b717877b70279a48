#pragma once
/// @file
/// The pickle opcodes of protocols 2 to 5 (CPython's Lib/pickletools.py documents each).

namespace baton::py::detail::op {

// Stack and stream structure
constexpr unsigned char mark = '(';
constexpr unsigned char stop = '.';
constexpr unsigned char pop = '0';
constexpr unsigned char pop_mark = '1';
constexpr unsigned char dup = '2';
constexpr unsigned char proto = 0x80;
constexpr unsigned char frame = 0x95;
// Scalars
constexpr unsigned char none = 'N';
constexpr unsigned char newtrue = 0x88;
constexpr unsigned char newfalse = 0x89;
constexpr unsigned char binint = 'J';
constexpr unsigned char binint1 = 'K';
constexpr unsigned char binint2 = 'M';
constexpr unsigned char long1 = 0x8a;
constexpr unsigned char long4 = 0x8b;
constexpr unsigned char binfloat = 'G';
// Text and bytes
constexpr unsigned char binunicode = 'X';
constexpr unsigned char short_binunicode = 0x8c;
constexpr unsigned char binunicode8 = 0x8d;
constexpr unsigned char binbytes = 'B';
constexpr unsigned char short_binbytes = 'C';
constexpr unsigned char binbytes8 = 0x8e;
constexpr unsigned char bytearray8 = 0x96;
// Containers
constexpr unsigned char empty_list = ']';
constexpr unsigned char append = 'a';
constexpr unsigned char appends = 'e';
constexpr unsigned char empty_tuple = ')';
constexpr unsigned char tuple = 't';
constexpr unsigned char tuple1 = 0x85;
constexpr unsigned char tuple2 = 0x86;
constexpr unsigned char tuple3 = 0x87;
constexpr unsigned char empty_dict = '}';
constexpr unsigned char setitem = 's';
constexpr unsigned char setitems = 'u';
constexpr unsigned char empty_set = 0x8f;
constexpr unsigned char additems = 0x90;
constexpr unsigned char frozenset = 0x91;
// The memo
constexpr unsigned char binput = 'q';
constexpr unsigned char long_binput = 'r';
constexpr unsigned char memoize = 0x94;
constexpr unsigned char binget = 'h';
constexpr unsigned char long_binget = 'j';
// Calls
constexpr unsigned char global = 'c';
constexpr unsigned char stack_global = 0x93;
constexpr unsigned char reduce = 'R';
constexpr unsigned char build = 'b';

/// The name pickletools gives an opcode the codec refuses, for its error message.
inline const char* refused_name(unsigned char code) {
    switch (code) {
        case 'I':
            return "INT (protocol 0)";
        case 'L':
            return "LONG (protocol 0)";
        case 'F':
            return "FLOAT (protocol 0)";
        case 'S':
            return "STRING (protocol 0)";
        case 'T':
            return "BINSTRING (Python 2 str)";
        case 'U':
            return "SHORT_BINSTRING (Python 2 str)";
        case 'V':
            return "UNICODE (protocol 0)";
        case 'l':
            return "LIST (protocol 0)";
        case 'd':
            return "DICT (protocol 0)";
        case 'p':
            return "PUT (protocol 0)";
        case 'g':
            return "GET (protocol 0)";
        case 'P':
            return "PERSID (persistent ids)";
        case 'Q':
            return "BINPERSID (persistent ids)";
        case 'i':
            return "INST (makes an object)";
        case 'o':
            return "OBJ (makes an object)";
        case 0x81:
            return "NEWOBJ (makes an object)";
        case 0x92:
            return "NEWOBJ_EX (makes an object)";
        case 0x82:
            return "EXT1 (extension registry)";
        case 0x83:
            return "EXT2 (extension registry)";
        case 0x84:
            return "EXT4 (extension registry)";
        case 0x97:
            return "NEXT_BUFFER (out-of-band buffers)";
        case 0x98:
            return "READONLY_BUFFER (out-of-band buffers)";
        default:
            return nullptr;
    }
}

}  // namespace baton::py::detail::op
