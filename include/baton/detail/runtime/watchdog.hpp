#pragma once
// BATON_HANG_TIMEOUT: when a thread has waited that long inside one baton call, the rank prints
// what it waits for, in the words of the call, and the job ends. A thread of its own watches,
// and it never calls MPI (under the default thread level `single` no second thread may): the
// calls say where they wait, and the watchdog reads that, prints with write(2), gives the other
// stuck ranks a moment to print theirs, and ends the process with _exit(1), which makes the
// launcher end the job. A rank that computes outside baton has nothing registered and prints
// nothing. Without the variable there is no thread and each call pays one load of a static.

#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <list>
#include <mutex>
#include <string>
#include <thread>

#include <baton/config.hpp>
#include <baton/detail/runtime/abort.hpp>

namespace baton::detail {

class watchdog {
public:
    /// The process's watchdog, or nullptr when BATON_HANG_TIMEOUT is not set.
    static watchdog* active() {
        // Made once and never destroyed: its thread runs until the process ends.
        static watchdog* const instance = config::hang_timeout() > 0 ? new watchdog(config::hang_timeout()) : nullptr;
        return instance;
    }

    struct wait {
        std::string what;
        std::chrono::steady_clock::time_point since;
    };
    using slot = std::list<wait>::iterator;

    slot enter(std::string what) {
        std::lock_guard<std::mutex> lock(mutex_);
        return waits_.insert(waits_.end(), wait{std::move(what), std::chrono::steady_clock::now()});
    }
    void leave(slot s) noexcept {
        std::lock_guard<std::mutex> lock(mutex_);
        waits_.erase(s);
    }

private:
    explicit watchdog(int seconds) : seconds_(seconds) {
        std::thread([this] { watch(); }).detach();
    }

    [[noreturn]] void watch() {
        const auto limit = std::chrono::seconds(seconds_);
        const auto poll = std::chrono::milliseconds(seconds_ >= 4 ? 1000 : 250);
        for (;;) {
            std::this_thread::sleep_for(poll);
            std::string report;
            {
                std::lock_guard<std::mutex> lock(mutex_);
                const auto now = std::chrono::steady_clock::now();
                for (const auto& w : waits_) {
                    if (now - w.since < limit) continue;
                    report += "rank " + std::to_string(signal_rank) + ": no progress for " + std::to_string(seconds_) +
                              " s in " + w.what + "\n";
                }
            }
            if (report.empty()) continue;
            (void)!::write(2, report.data(), report.size());
            // The other stuck ranks print at about the same time; the first to end would make
            // the launcher kill them before they do.
            std::this_thread::sleep_for(std::chrono::seconds(3));
            ::_exit(1);
        }
    }

    int seconds_;
    std::mutex mutex_;
    std::list<wait> waits_;
};

/// Registers a wait with the watchdog for the scope's life; `describe()` is called only when
/// BATON_HANG_TIMEOUT is set.
class waiting {
public:
    template <class Describe>
    explicit waiting(Describe&& describe) : dog_(watchdog::active()) {
        if (dog_ != nullptr) slot_ = dog_->enter(describe());
    }
    waiting(const waiting&) = delete;
    waiting& operator=(const waiting&) = delete;
    ~waiting() {
        if (dog_ != nullptr) dog_->leave(slot_);
    }

private:
    watchdog* dog_;
    watchdog::slot slot_{};
};

}  // namespace baton::detail
