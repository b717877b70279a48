#pragma once
// The values of one text column. Most CSV text columns hold few distinct values (categories,
// yes/no, codes), so a column starts as codes into a dictionary of its distinct strings: one
// byte per cell while there are at most 128 of them, wider as needed (narrow_integers); a
// value's bytes copied once per distinct value instead of once per cell; the NA test run once
// per distinct value. A column whose values turn out to be mostly distinct switches to plain
// storage (all bytes back to back, with offsets), where a dictionary would cost more than it
// saves.

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include <baton/dataset/detail/growing_array.hpp>
#include <baton/dataset/detail/narrow_integers.hpp>
#include <baton/dataset/detail/values.hpp>

namespace baton::detail::csv {

class text_column {
public:
    std::size_t size() const noexcept { return plain_ ? offsets_.size() - 1 : codes_.size(); }

    /// Value i; empty if it was missing.
    std::string_view value(std::size_t i) const noexcept {
        if (plain_) return slice(bytes_, offsets_, i);
        const std::int64_t code = codes_[i];
        if (code == missing_code || entry_missing_[static_cast<std::size_t>(code)] != 0) return {};
        return slice(entry_bytes_, entry_offsets_, static_cast<std::size_t>(code));
    }

    /// Whether value i was missing (an NA string, an empty field, or absent from a short row).
    bool missing(std::size_t i) const noexcept {
        if (plain_) return !missing_.empty() && missing_[i] != 0;
        const std::int64_t code = codes_[i];
        return code == missing_code || entry_missing_[static_cast<std::size_t>(code)] != 0;
    }

    void reserve(std::size_t n) {
        reserved_ = n;
        codes_.reserve(n);
    }

    void clear() { *this = text_column(); }

    /// Appends a field's text; `na` decides whether it counts as missing.
    [[gnu::always_inline]] void push(std::string_view s, const na_strings& na) {
        if (plain_) {
            push_plain(s, na.contains(s));
            return;
        }
        codes_.push_back(code_of(s, na));
        if (--until_review_ == 0) review();
    }

    /// Appends a missing value (a short row's absent field).
    void push_missing() {
        if (plain_) {
            push_plain({}, true);
            return;
        }
        codes_.push_back(missing_code);
        if (--until_review_ == 0) review();
    }

    /// Appends other's values (a reader thread's share of the rows). Two dictionaries merge:
    /// other's codes are mapped to this column's, one lookup per distinct value.
    void append(text_column&& other) {
        if (!plain_ && !other.plain_) {
            const std::size_t entries = other.entry_missing_.size();
            std::vector<std::uint32_t> remap(entries);
            for (std::size_t e = 0; e < entries; ++e) {
                remap[e] = code_for_entry(slice(other.entry_bytes_, other.entry_offsets_, e), other.entry_missing_[e]);
            }
            bool same_codes = true;  // usual when the shares met the values in the same order
            for (std::size_t e = 0; e < entries; ++e) same_codes = same_codes && remap[e] == e;
            if (same_codes)
                codes_.append(other.codes_);
            else
                codes_.append_mapped(other.codes_, remap);
            const std::size_t distinct = entry_offsets_.size() - 1;
            if (2 * distinct > codes_.size() || distinct >= max_distinct) make_plain();
            return;
        }
        if (!plain_) make_plain();
        if (!other.plain_) other.make_plain();
        const std::size_t before = size(), added = other.size();
        const std::uint64_t base = bytes_.size();
        bytes_.append_growing(other.bytes_.data(), other.bytes_.size());
        offsets_.reserve(offsets_.size() + added);
        for (std::size_t i = 1; i <= added; ++i) offsets_.push_back(base + other.offsets_[i]);
        if (!missing_.empty() || !other.missing_.empty()) {
            missing_.resize(before);
            if (other.missing_.empty())
                missing_.resize(before + added);
            else
                missing_.append_growing(other.missing_.data(), other.missing_.size());
        }
    }

private:
    friend struct column_encoding;  // a dataset payload carries the arrays as stored
    static constexpr std::int64_t missing_code = -1;
    static constexpr std::size_t max_distinct = std::size_t{1} << 31;

    static growing_array<std::uint64_t> starting_offsets() {
        growing_array<std::uint64_t> offsets;
        offsets.push_back(0);
        return offsets;
    }

    struct slot {
        std::uint64_t key = 0;
        std::uint32_t code_plus_one = 0;  // 0: empty
    };

    template <class Offsets>
    static std::string_view slice(const growing_array<char>& bytes, const Offsets& offsets, std::size_t i) noexcept {
        return std::string_view(bytes.data() + offsets[i], static_cast<std::size_t>(offsets[i + 1] - offsets[i]));
    }

    /// A value's key: for up to 7 bytes the bytes themselves and the length, so equal keys
    /// mean equal values (no comparison of bytes); for longer values a hash with the top bit
    /// set, where equal keys still need a comparison.
    static std::uint64_t key_of(std::string_view s) noexcept {
        const char* p = s.data();
        const std::size_t n = s.size();
        if (n < 8) {
            std::uint64_t packed = 0;
            if (n >= 4) {
                std::uint32_t first, last;
                std::memcpy(&first, p, 4);
                std::memcpy(&last, p + n - 4, 4);
                packed = std::uint64_t{first} | std::uint64_t{last} << (8 * (n - 4));
            } else if (n > 0) {
                packed = std::uint64_t{static_cast<unsigned char>(p[0])} |
                         std::uint64_t{static_cast<unsigned char>(p[n / 2])} << 8 |
                         std::uint64_t{static_cast<unsigned char>(p[n - 1])} << 16;
            }
            return packed | std::uint64_t{n} << 56;
        }
        constexpr std::uint64_t k = 0x9E3779B97F4A7C15ull;
        std::uint64_t h = n * k;
        std::size_t i = 0;
        for (; i + 8 < n; i += 8) {
            std::uint64_t w;
            std::memcpy(&w, p + i, 8);
            h = (h ^ w) * k;
            h ^= h >> 29;
        }
        std::uint64_t w;
        std::memcpy(&w, p + n - 8, 8);
        h = (h ^ w) * k;
        return (h ^ (h >> 32)) | std::uint64_t{1} << 63;
    }

    /// Equality of two values of 8 bytes or more; up to 16 bytes without calling memcmp.
    static bool same_long_text(std::string_view a, std::string_view b) noexcept {
        const std::size_t n = a.size();
        if (n != b.size()) return false;
        if (n > 16) return std::memcmp(a.data(), b.data(), n) == 0;
        std::uint64_t a_head, b_head, a_tail, b_tail;
        std::memcpy(&a_head, a.data(), 8);
        std::memcpy(&b_head, b.data(), 8);
        std::memcpy(&a_tail, a.data() + n - 8, 8);
        std::memcpy(&b_tail, b.data() + n - 8, 8);
        return ((a_head ^ b_head) | (a_tail ^ b_tail)) == 0;
    }

    static std::size_t slot_of(std::uint64_t key, std::size_t mask) noexcept {
        return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> 32) & mask;
    }

    /// The code of s, or -1 if it has none yet.
    [[gnu::always_inline]] std::int64_t find(std::string_view s, std::uint64_t key) const noexcept {
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t i = slot_of(key, mask);; i = (i + 1) & mask) {
            const slot& candidate = slots_[i];
            if (candidate.code_plus_one == 0) return -1;
            if (candidate.key == key) {
                const std::uint32_t code = candidate.code_plus_one - 1;
                if (key >> 63 == 0) return code;
                const std::string_view known = slice(entry_bytes_, entry_offsets_, code);
                if (same_long_text(known, s)) return code;
            }
        }
    }

    [[gnu::always_inline]] std::uint32_t code_of(std::string_view s, const na_strings& na) {
        const std::uint64_t key = key_of(s);
        const std::int64_t known = find(s, key);
        if (known >= 0) return static_cast<std::uint32_t>(known);
        return add_entry(s, key, na.contains(s));
    }

    std::uint32_t code_for_entry(std::string_view s, bool is_missing) {
        const std::uint64_t key = key_of(s);
        const std::int64_t known = find(s, key);
        if (known >= 0) return static_cast<std::uint32_t>(known);
        return add_entry(s, key, is_missing);
    }

    [[gnu::noinline]] std::uint32_t add_entry(std::string_view s, std::uint64_t key, bool is_missing) {
        const auto code = static_cast<std::uint32_t>(entry_offsets_.size() - 1);
        entry_bytes_.append_growing(s.data(), s.size());
        entry_offsets_.push_back(entry_bytes_.size());
        entry_missing_.push_back(is_missing ? 1 : 0);
        if (2 * entry_offsets_.size() > slots_.size()) rehash(2 * slots_.size());
        if (code + 1 >= max_distinct) until_review_ = 1;  // codes are 32 bits: go plain at this push
        insert(slots_, key, code);
        return code;
    }

    static void insert(std::vector<slot>& slots, std::uint64_t key, std::uint32_t code) noexcept {
        const std::size_t mask = slots.size() - 1;
        std::size_t i = slot_of(key, mask);
        while (slots[i].code_plus_one != 0) i = (i + 1) & mask;
        slots[i] = slot{key, code + 1};
    }

    /// After the entries and codes were filled in directly (a received column): the lookup
    /// table sized as add_entry keeps it (at least twice the entries), and the next review
    /// where a column of this many values would have it.
    void rebuild_lookup() {
        std::size_t capacity = 64;
        while (capacity < 2 * entry_offsets_.size()) capacity *= 2;
        rehash(capacity);
        until_review_ = std::max<std::size_t>(codes_.size(), std::size_t{1} << 16);
    }

    void rehash(std::size_t capacity) {
        std::vector<slot> slots(capacity);
        for (std::uint32_t code = 0; code + 1 < entry_offsets_.size(); ++code) {
            insert(slots, key_of(slice(entry_bytes_, entry_offsets_, code)), code);
        }
        slots_.swap(slots);
    }

    /// Keeps the dictionary only while it pays: at most one distinct value per two cells.
    void review() {
        until_review_ = codes_.size();  // the next review at twice the size
        const std::size_t distinct = entry_offsets_.size() - 1;
        if (2 * distinct <= codes_.size() && distinct < max_distinct) return;
        make_plain();
    }

    void make_plain() {
        text_column plain;
        plain.plain_ = true;
        plain.offsets_.reserve(std::max(reserved_, codes_.size()) + 1);
        plain.offsets_.push_back(0);
        for (std::size_t i = 0; i < codes_.size(); ++i) plain.push_plain(value(i), missing(i));
        *this = std::move(plain);
    }

    void push_plain(std::string_view s, bool is_missing) {
        if (is_missing) {
            if (missing_.empty()) missing_.resize(offsets_.size() - 1);
            missing_.push_back(1);
        } else {
            bytes_.append_growing(s.data(), s.size());
            if (!missing_.empty()) missing_.push_back(0);
        }
        offsets_.push_back(bytes_.size());
    }

    bool plain_ = false;
    // dictionary-coded
    narrow_integers codes_;  // index into the entries, or missing_code
    growing_array<char> entry_bytes_;
    growing_array<std::uint64_t> entry_offsets_ = starting_offsets();
    growing_array<std::uint8_t> entry_missing_;
    std::vector<slot> slots_ = std::vector<slot>(64);  // open addressing, linear probing
    std::size_t until_review_ = std::size_t{1} << 16;  // pushes left before the next review
    std::size_t reserved_ = 0;
    // plain
    growing_array<char> bytes_;
    growing_array<std::uint64_t> offsets_;  // starts with 0 when the column goes plain
    growing_array<std::uint8_t> missing_;   // 1 where missing; empty while none was
};

}  // namespace baton::detail::csv
