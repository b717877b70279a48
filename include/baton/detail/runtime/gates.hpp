#pragma once
// Rank-gated blocks (on_rank and its family): the block runs on the chosen ranks, and an
// exception escaping it ends the whole job, so that ranks waiting for this one do not hang.

#include <optional>
#include <type_traits>

#include <baton/detail/runtime/abort.hpp>

namespace baton::detail {

/// Runs `block` when `run`; a block returning R yields std::optional<R> (engaged where it ran),
/// a void block nothing. An exception escaping it aborts the job with its description.
template <class F>
auto run_gated(bool run, F& block) {
    using R = std::invoke_result_t<F&>;
    if constexpr (std::is_void_v<R>) {
        if (!run) return;
        try {
            block();
        } catch (...) {
            abort_job(describe_current_exception());
        }
    } else {
        std::optional<R> result;
        if (!run) return result;
        try {
            result.emplace(block());
        } catch (...) {
            abort_job(describe_current_exception());
        }
        return result;
    }
}

}  // namespace baton::detail
