// libcurl's write callback with a hard cap: a response larger than `cap`
// aborts the transfer (curl then fails with CURLE_WRITE_ERROR) instead of
// growing memory, so a hostile or broken server cannot exhaust a kiosk.
// Shared by the sync client and enrollment (which talks to whatever URL a
// person typed, before any certificate is pinned).
#pragma once

#include <cstddef>
#include <string>

namespace chz::sync_client {

struct CappedBody {
  std::string* out = nullptr;
  std::size_t cap = 0;
  bool over = false;  // set when the cap stopped the transfer
};

// CURLOPT_WRITEFUNCTION for CURLOPT_WRITEDATA = CappedBody*.
inline std::size_t write_capped(char* p, std::size_t sz, std::size_t n, void* ud) {
  auto* b = static_cast<CappedBody*>(ud);
  std::size_t len = sz * n;
  if (b->out->size() + len > b->cap) {
    b->over = true;
    return 0;  // tells curl to stop
  }
  b->out->append(p, len);
  return len;
}

}  // namespace chz::sync_client
