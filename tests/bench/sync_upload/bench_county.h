// A generated county for the statistics and roll-up benchmarks: 200 sites
// in 20 townships, a registry (some holding imported certificates), four
// courses, a class per site with `sessions` sessions over the year, and a
// kiosk per site uploading attendance (40 people, 85 % present), roster
// confirmations and one exam per person through the real ingest path (with
// the projection), each batch with the kiosk's signed upload kept as its
// proof, so the county can forward it upward.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"
#include "sync/server/county.h"
#include "sync/server/store.h"

namespace chz::bench {

struct CountySpec {
  int sessions = 100;  // per class, spread over 2026
  int registry_people = 60'000;
  std::string area = "140521";  // ID numbers' region, device and site id prefix
  // Days of 2026 the sessions span: [first_day, first_day + days).
  int first_day = 0, days = 360;
  // Appended to device ids, so a second generation into the same county
  // (a later month) makes new kiosks' batches rather than conflicting ones.
  std::string batch_tag;
};

struct Generated {
  std::int64_t records = 0;  // device records ingested
  double ingest_s = 0;
};

Result<Generated> generate_county(server::ServerStore& s, const server::CountyKeys& k,
                                  const CountySpec& spec);

}  // namespace chz::bench
