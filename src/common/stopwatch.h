// Wall-clock timing of a run's phases, for the figures commands report.
#pragma once

#include <chrono>

namespace tenure {

class Stopwatch {
 public:
  Stopwatch() : start_(Clock::now()), lap_(start_) {}
  // Seconds since the previous Lap() (or since construction).
  double Lap() {
    const Clock::time_point now = Clock::now();
    const double seconds = std::chrono::duration<double>(now - lap_).count();
    lap_ = now;
    return seconds;
  }
  // Seconds since construction.
  double Total() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

 private:
  using Clock = std::chrono::steady_clock;
  Clock::time_point start_, lap_;
};

}  // namespace tenure
