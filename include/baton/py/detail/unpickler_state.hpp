#pragma once
// What the unpickler keeps while it reads (unpickler.hpp): the bytes and where it is in them,
// the stack and its marks, the memo, every container made so far; and what it does with them
// after the last opcode (the value's graph checked once, its keys checked, everything released
// without recursion).

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <baton/config.hpp>
#include <baton/error.hpp>
#include <baton/py/detail/python_text.hpp>
#include <baton/py/object.hpp>

namespace baton::py::detail {

/// The unpickler's own values, which live only on its stack and memo while it reads.
enum class transient : std::uint8_t {
    callable = 100,  // an accepted global; meta holds which
    dtype_value,     // a numpy.dtype; its node is a py::dtype
    pending_array,   // an array made by _reconstruct, waiting for its BUILD
};

class unpickler_state {
protected:
    explicit unpickler_state(std::string_view bytes)
        : begin_(reinterpret_cast<const unsigned char*>(bytes.data())), p_(begin_), end_(begin_ + bytes.size()) {}

    static constexpr std::int64_t height_mask = (std::int64_t{1} << 40) - 1;
    static constexpr std::int64_t holds_transient = std::int64_t{1} << 40;  // a tuple of call arguments

    // ---- reading bytes -----------------------------------------------------------------
    std::size_t offset() const { return static_cast<std::size_t>(p_ - begin_); }
    [[noreturn]] void fail(const std::string& what) const {
        throw baton::error("pickle: " + what + " (at byte " + std::to_string(opcode_at_) + ")");
    }
    const unsigned char* take(std::size_t n, const char* what) {
        if (static_cast<std::size_t>(end_ - p_) < n) {
            fail(std::string("truncated: ") + what + " needs " + std::to_string(n) + " bytes, " +
                 std::to_string(end_ - p_) + " are left");
        }
        const unsigned char* at = p_;
        p_ += n;
        return at;
    }
    std::uint64_t little_endian(std::size_t n, const char* what) {
        const unsigned char* at = take(n, what);
        std::uint64_t v = 0;
        for (std::size_t i = n; i-- > 0;) v = (v << 8) | at[i];
        return v;
    }
    std::string_view counted(std::size_t length_bytes, const char* what) {
        std::uint64_t n = little_endian(length_bytes, what);
        if (n > static_cast<std::uint64_t>(end_ - p_)) {
            fail(std::string(what) + " claims " + std::to_string(n) + " bytes, " + std::to_string(end_ - p_) +
                 " are left");
        }
        return {reinterpret_cast<const char*>(take(static_cast<std::size_t>(n), what)), static_cast<std::size_t>(n)};
    }
    std::string_view line(const char* what) {
        const unsigned char* start = p_;
        while (p_ < end_ && *p_ != '\n' && p_ - start < 256) ++p_;
        if (p_ >= end_ || *p_ != '\n') fail(std::string(what) + " is not a line of at most 256 bytes");
        std::string_view out(reinterpret_cast<const char*>(start), static_cast<std::size_t>(p_ - start));
        ++p_;
        return out;
    }

    // ---- the stack ---------------------------------------------------------------------
    object pop() {
        if (stack_.size() <= floor()) fail("a value was taken from an empty stack");
        object o = std::move(stack_.back());
        stack_.pop_back();
        return o;
    }
    object& top() {
        if (stack_.size() <= floor()) fail("the stack is empty");
        return stack_.back();
    }
    std::size_t floor() const { return marks_.empty() ? 0 : marks_.back(); }
    std::size_t pop_mark() {
        if (marks_.empty()) fail("no MARK to take items from");
        std::size_t m = marks_.back();
        marks_.pop_back();
        return m;
    }
    static bool is_transient(const object& o) {
        return static_cast<std::uint8_t>(o.type()) >= static_cast<std::uint8_t>(transient::callable) ||
               (o.type() == kind::tuple && (object_access::meta(o) & holds_transient));
    }
    static std::int64_t height(const object& o) {
        return is_container(o.type()) ? object_access::meta(o) & height_mask : 0;
    }
    void check_storable(const object& o, const char* where) const {
        if (is_transient(o)) fail(std::string("a ") + describe(o) + " cannot be stored in a " + where);
    }
    static std::string describe(const object& o) {
        switch (static_cast<transient>(o.type())) {
            case transient::callable:
                return "function";
            case transient::dtype_value:
                return "numpy.dtype";
            case transient::pending_array:
                return "numpy.ndarray without its contents";
        }
        return o.type() == kind::tuple ? "tuple of call arguments" : o.python_type();
    }
    void grow(object& container, const object& child) {
        auto h = std::max(height(container), height(child) + 1);
        if (static_cast<std::size_t>(h) > config::pickle_max_depth) {
            fail("containers nested deeper than " + std::to_string(config::pickle_max_depth) +
                 " (BATON_PICKLE_MAX_DEPTH)");
        }
        object_access::meta(container) = (object_access::meta(container) & ~height_mask) | h;
    }
    object new_container(kind k) {
        object o = k == kind::dict ? object::dict() : object::list();
        if (k != kind::dict) o = object_access::make(k, object_access::heap(o));
        object_access::meta(o) = 1;
        created_.push_back(o);
        if (k == kind::dict || k == kind::set || k == kind::frozenset) keyed_.push_back(o);
        return o;
    }
    object make_tuple(std::size_t from) {
        object t = new_container(kind::tuple);
        auto& items = object_access::node<object::item_list>(t);
        items.reserve(stack_.size() - from);
        for (std::size_t i = from; i < stack_.size(); ++i) {
            if (is_transient(stack_[i])) object_access::meta(t) |= holds_transient;
            grow(t, stack_[i]);
            items.push_back(std::move(stack_[i]));
        }
        stack_.resize(from);
        return t;
    }
    template <class Node>
    Node& contents(object& o, kind k, const char* op) {
        if (o.type() != k) fail(std::string(op) + " on a " + describe(o));
        return object_access::node<Node>(o);
    }
    void memo_put(std::uint64_t index, const object& o) {
        if (index < memo_.size()) {
            memo_[index] = o;
        } else if (index == memo_.size()) {
            memo_.push_back(o);
        } else {
            sparse_memo_[index] = o;
        }
    }
    object memo_get(std::uint64_t index) {
        const object* found = index < memo_.size() ? &memo_[index] : nullptr;
        if (!found) {
            auto it = sparse_memo_.find(index);
            if (it == sparse_memo_.end()) fail("memo entry " + std::to_string(index) + " was never stored");
            found = &it->second;
        }
        object o = *found;
        if (o.type() == static_cast<kind>(transient::pending_array) && built_.count(object_access::heap(o).get())) {
            o = object_access::make(kind::ndarray, object_access::heap(o));
        }
        if (o.type() == kind::list || o.type() == kind::dict || o.type() == kind::set) shared_ = true;
        return o;
    }

    void push_text(std::string_view text) {
        if (auto bad = invalid_utf8_at(text); bad != std::string_view::npos) {
            fail("a str that is not UTF-8 (its byte " + std::to_string(bad) + ")");
        }
        stack_.emplace_back(std::string(text));
    }
    void move_items(object& target, std::size_t from, const char* where) {
        auto& items = object_access::node<object::item_list>(target);
        for (std::size_t i = from; i < stack_.size(); ++i) {
            check_storable(stack_[i], where);
            grow(target, stack_[i]);
            items.push_back(std::move(stack_[i]));
        }
        stack_.resize(from);
    }

    // ---- after the last opcode -----------------------------------------------------------
    // With a container referenced twice, heights counted while reading may be stale and a
    // container may hold itself: walk the graph once, each node once.
    void check_graph(const object& root) {
        std::unordered_map<const void*, std::int64_t> done;  // node -> height, -1 while open
        struct frame {
            const object* o;
            std::size_t next;
            std::int64_t height;
        };
        std::vector<frame> path;
        auto children = [](const object& o) -> std::size_t {
            return o.type() == kind::dict ? o.entries().size() * 2 : o.items().size();
        };
        auto child = [](const object& o, std::size_t i) -> const object& {
            return o.type() == kind::dict ? (i % 2 ? o.entries()[i / 2].second : o.entries()[i / 2].first)
                                          : o.items()[i];
        };
        if (!is_container(root.type())) return;
        path.push_back({&root, 0, 1});
        done[object_access::heap(root).get()] = -1;
        reached_.insert(object_access::heap(root).get());
        while (!path.empty()) {
            frame& f = path.back();
            if (f.next == children(*f.o)) {
                std::int64_t h = f.height;
                done[object_access::heap(*f.o).get()] = h;
                path.pop_back();
                if (!path.empty()) path.back().height = std::max(path.back().height, h + 1);
                continue;
            }
            const object& c = child(*f.o, f.next++);
            if (!is_container(c.type())) continue;
            auto [it, fresh] = done.emplace(object_access::heap(c).get(), -1);
            if (!fresh) {
                if (it->second < 0)
                    fail("a " + c.python_type() + " that contains itself cannot be held by baton::py::object");
                f.height = std::max(f.height, it->second + 1);
                continue;
            }
            reached_.insert(object_access::heap(c).get());
            if (path.size() + 1 > config::pickle_max_depth) {
                fail("containers nested deeper than " + std::to_string(config::pickle_max_depth) +
                     " (BATON_PICKLE_MAX_DEPTH)");
            }
            path.push_back({&c, 0, 1});
        }
    }
    void check_keys(const object& keyed) {
        try {
            if (keyed.type() == kind::dict)
                check_unique_keys(keyed.entries(), first, "dict");
            else
                check_unique_keys(keyed.items(), self, keyed.python_type().c_str());
        } catch (const baton::error& e) {
            opcode_at_ = offset();
            fail(std::string(e.what()).substr(8));  // without its own "pickle: "
        }
    }
    void release() {
        created_.clear();
        keyed_.clear();
        memo_.clear();
        sparse_memo_.clear();
        stack_.clear();
    }
    // After a failure the values read so far may nest deeply or hold themselves: empty every
    // container first, so that nothing is freed by recursion and no cycle keeps memory.
    void dismantle() {
        for (auto& o : created_) clear(o);
        release();
    }
    static void clear(object& container) {
        if (container.type() == kind::dict) {
            object_access::node<object::dict_items>(container).clear();
        } else {
            object_access::node<object::item_list>(container).clear();
        }
    }

    const unsigned char* begin_;
    const unsigned char* p_;
    const unsigned char* end_;
    std::size_t opcode_at_ = 0;
    std::vector<object> stack_;
    std::vector<std::size_t> marks_;
    std::vector<object> memo_;
    std::unordered_map<std::uint64_t, object> sparse_memo_;
    std::vector<object> created_;  // every container, for dismantle()
    std::vector<object> keyed_;    // every dict and set, whose keys are checked at the end
    std::unordered_set<const void*> built_;
    std::unordered_set<const void*> reached_;  // the containers of the value, when shared_
    bool shared_ = false;
};

}  // namespace baton::py::detail
