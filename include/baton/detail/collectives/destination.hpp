#pragma once
// Where the result of a gather or a reduction goes.

namespace baton::detail {

/// Where the result of a gather or a reduction goes: to one root rank, or to every rank.
class destination {
public:
    static destination root(int rank) noexcept { return destination(rank); }
    static destination every_rank() noexcept { return destination(everyone); }

    bool is_every_rank() const noexcept { return root_ == everyone; }
    /// The root's rank; only for a destination made by root().
    int root_rank() const noexcept { return root_; }
    /// True when `rank` gets the result.
    bool includes(int rank) const noexcept { return root_ == everyone || root_ == rank; }

private:
    static constexpr int everyone = -1;
    explicit destination(int root) noexcept : root_(root) {}
    int root_;
};

}  // namespace baton::detail
