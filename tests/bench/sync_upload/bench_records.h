// Realistic attendance records for the sync benchmarks, and an in-memory
// RecordSource/RecordSink so the client side costs no disk.
#pragma once

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "sync/protocol/record.h"

namespace chz::bench {

// `n` attendance records of `device`: classes of 40 people, sessions of two
// hours, check-ins and check-outs spread over minutes. Uuids per
// record_uuid when `derived_uuids`, random UUIDv7 otherwise.
std::vector<sync::Record> attendance(const std::string& device, int n, std::int64_t start_ms,
                                     bool derived_uuids = true);

class MemorySource final : public sync::RecordSource, public sync::RecordSink {
 public:
  MemorySource(std::string device, std::vector<sync::Record> recs)
      : device_(std::move(device)), recs_(std::move(recs)) {}
  std::string device_id() const override { return device_; }
  Result<std::vector<sync::Record>> records_after(std::int64_t after, std::size_t limit) override {
    std::vector<sync::Record> out;
    for (auto i = static_cast<std::size_t>(after); i < recs_.size() && out.size() < limit; ++i)
      out.push_back(recs_[i]);
    return out;
  }
  Result<std::int64_t> last_seq() override { return static_cast<std::int64_t>(recs_.size()); }
  Status set_acknowledged(std::int64_t s) override {
    ack_ = s;
    return OkStatus();
  }
  Result<std::int64_t> acknowledged() override { return ack_; }
  Result<std::int64_t> apply(const std::vector<sync::Record>& r, const std::string& c) override {
    cursor_ = c;
    return static_cast<std::int64_t>(r.size());
  }
  Result<std::string> feed_cursor() override { return cursor_; }

 private:
  std::string device_;
  std::vector<sync::Record> recs_;
  std::int64_t ack_ = 0;
  std::string cursor_;
};

// "BENCH\tname\tfigure\tfloor\tratio\tbar\tPASS|FAIL"
using Clk = std::chrono::steady_clock;
// Seconds from `a` to `b`.
inline double secs(Clk::time_point a, Clk::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}
// The 95th percentile of `v` (nearest rank).
inline double p95(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(0.95 * static_cast<double>(v.size())))];
}

void report(const std::string& name, const std::string& figure, const std::string& floor,
            double ratio, const std::string& bar, bool pass);

}  // namespace chz::bench
