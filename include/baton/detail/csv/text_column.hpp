#pragma once
// The values of one text column. Most CSV text columns hold few distinct values (categories,
// yes/no, codes), so a column starts as 32-bit codes into a dictionary of its distinct
// strings: 4 bytes per cell, a value's bytes copied once per distinct value instead of once
// per cell, and the NA test run once per distinct value. A column whose values turn out to be
// mostly distinct switches to plain storage (all bytes back to back, with offsets), where a
// dictionary would cost more than it saves.

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "../large_allocation.hpp"
#include "values.hpp"

namespace baton::detail::csv {

class text_column {
public:
    std::size_t size() const noexcept { return plain_ ? offsets_.size() - 1 : codes_.size(); }

    /// Value i; empty if it was missing.
    std::string_view value(std::size_t i) const noexcept {
        if (plain_) return slice(bytes_, offsets_, i);
        const std::uint32_t code = codes_[i];
        if (code == missing_code || entry_missing_[code] != 0) return {};
        return slice(entry_bytes_, entry_offsets_, code);
    }

    /// Whether value i was missing (an NA string, an empty field, or absent from a short row).
    bool missing(std::size_t i) const noexcept {
        if (plain_) return !missing_.empty() && missing_[i] != 0;
        const std::uint32_t code = codes_[i];
        return code == missing_code || entry_missing_[code] != 0;
    }

    /// Distinct values seen, while the column is dictionary-coded (0 once it is plain).
    std::size_t distinct() const noexcept { return plain_ ? 0 : entry_offsets_.size() - 1; }

    void reserve(std::size_t n) { codes_.reserve(n); }

    void clear() { *this = text_column(); }

    /// Appends a field's text; `na` decides whether it counts as missing.
    void push(std::string_view s, const na_strings& na) {
        if (plain_) {
            push_plain(s, na.contains(s));
            return;
        }
        codes_.push_back(code_of(s, na));
        if (codes_.size() >= next_review_) review();
    }

    /// Appends a missing value (a short row's absent field).
    void push_missing() {
        if (plain_) {
            push_plain({}, true);
            return;
        }
        codes_.push_back(missing_code);
        if (codes_.size() >= next_review_) review();
    }

private:
    static constexpr std::uint32_t missing_code = 0xFFFFFFFFu;
    static constexpr std::size_t max_distinct = std::size_t{1} << 31;

    template <class Offsets>
    static std::string_view slice(const std::string& bytes, const Offsets& offsets, std::size_t i) noexcept {
        return std::string_view(bytes.data() + offsets[i], static_cast<std::size_t>(offsets[i + 1] - offsets[i]));
    }

    static std::uint64_t hash(std::string_view s) noexcept {
        constexpr std::uint64_t k = 0x9E3779B97F4A7C15ull;
        std::uint64_t h = (s.size() + 1) * k;
        const char* p = s.data();
        std::size_t n = s.size();
        for (; n > 8; p += 8, n -= 8) {
            std::uint64_t w;
            std::memcpy(&w, p, 8);
            h = (h ^ w) * k;
            h ^= h >> 29;
        }
        std::uint64_t w = 0;
        if (n >= 4) {
            std::uint32_t first, last;
            std::memcpy(&first, p, 4);
            std::memcpy(&last, p + n - 4, 4);
            w = (std::uint64_t{first} << 32) | last;
        } else if (n > 0) {
            w = std::uint64_t{static_cast<unsigned char>(p[0])} | std::uint64_t{static_cast<unsigned char>(p[n / 2])} << 8 |
                std::uint64_t{static_cast<unsigned char>(p[n - 1])} << 16;
        }
        h = (h ^ w) * k;
        return h ^ (h >> 32);
    }

    std::uint32_t code_of(std::string_view s, const na_strings& na) {
        const std::uint64_t h = hash(s);
        const auto fingerprint = static_cast<std::uint32_t>(h >> 32) | 1u;  // never 0: 0 marks an empty slot
        std::size_t mask = slots_.size() - 1;
        for (std::size_t i = h & mask;; i = (i + 1) & mask) {
            const std::uint64_t slot = slots_[i];
            if (slot == 0) break;
            if (static_cast<std::uint32_t>(slot >> 32) == fingerprint) {
                const auto code = static_cast<std::uint32_t>(slot);
                const std::string_view known = slice(entry_bytes_, entry_offsets_, code);
                if (known.size() == s.size() && std::memcmp(known.data(), s.data(), s.size()) == 0) return code;
            }
        }
        const auto code = static_cast<std::uint32_t>(entry_offsets_.size() - 1);
        entry_bytes_.append(s.data(), s.size());
        entry_offsets_.push_back(entry_bytes_.size());
        entry_missing_.push_back(na.contains(s) ? 1 : 0);
        if (2 * entry_offsets_.size() > slots_.size()) rehash(2 * slots_.size());
        if (code + 1 >= max_distinct) next_review_ = codes_.size() + 1;  // codes are 32 bits: go plain now
        mask = slots_.size() - 1;
        std::size_t i = h & mask;
        while (slots_[i] != 0) i = (i + 1) & mask;
        slots_[i] = std::uint64_t{fingerprint} << 32 | code;
        return code;
    }

    void rehash(std::size_t capacity) {
        std::vector<std::uint64_t> slots(capacity, 0);
        for (std::uint32_t code = 0; code + 1 < entry_offsets_.size(); ++code) {
            const std::uint64_t h = hash(slice(entry_bytes_, entry_offsets_, code));
            std::size_t i = h & (capacity - 1);
            while (slots[i] != 0) i = (i + 1) & (capacity - 1);
            slots[i] = std::uint64_t{static_cast<std::uint32_t>(h >> 32) | 1u} << 32 | code;
        }
        slots_.swap(slots);
    }

    /// Keeps the dictionary only while it pays: at most one distinct value per two cells.
    void review() {
        next_review_ *= 2;
        const std::size_t distinct = entry_offsets_.size() - 1;
        if (2 * distinct <= codes_.size() && distinct < max_distinct) return;
        text_column plain;
        plain.plain_ = true;
        plain.offsets_.reserve(codes_.capacity() + 1);
        for (std::size_t i = 0; i < codes_.size(); ++i) plain.push_plain(value(i), missing(i));
        *this = std::move(plain);
    }

    void push_plain(std::string_view s, bool is_missing) {
        if (is_missing) {
            if (missing_.empty()) missing_.resize(offsets_.size() - 1, 0);
            missing_.push_back(1);
        } else {
            bytes_.append(s.data(), s.size());
            if (!missing_.empty()) missing_.push_back(0);
        }
        offsets_.push_back(bytes_.size());
    }

    bool plain_ = false;
    // dictionary-coded
    large_vector<std::uint32_t> codes_;
    std::string entry_bytes_;
    std::vector<std::uint64_t> entry_offsets_{0};
    std::vector<std::uint8_t> entry_missing_;
    std::vector<std::uint64_t> slots_ = std::vector<std::uint64_t>(64, 0);  // fingerprint << 32 | code
    std::size_t next_review_ = std::size_t{1} << 16;
    // plain
    std::string bytes_;
    large_vector<std::uint64_t> offsets_{0};
    std::vector<std::uint8_t> missing_;  // 1 where missing; empty while none was
};

}  // namespace baton::detail::csv
