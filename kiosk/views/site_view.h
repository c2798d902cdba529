// View-models of the kiosk's shell screens (welcome, enrollment, admin):
// plain structs built from the store. No UI headers here; app/ui draws them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "kiosk/store.h"

namespace chz::kiosk::views {

// Settings keys the views read (written by enrollment and sync).
inline constexpr std::string_view kEnrollSiteId = "enroll.site_id";
inline constexpr std::string_view kEnrollSiteName = "enroll.site_name";
// Written by `chizheng-kioskctl enroll` / `sync` (app/ctl/ctl_sync.cpp).
inline constexpr std::string_view kEnrollServer = "server.url";
inline constexpr std::string_view kLastSyncMs = "sync.last_success_ms";

struct SiteView {
  bool enrolled = false;  // "enroll.site_id" is set
  std::string site_id;
  std::string site_name;  // e.g. "沁水县龙港镇农民夜校"
  std::string device_id;
  std::int64_t pending_records = 0;  // written here, not yet acknowledged
  std::optional<std::int64_t> last_sync_ms;
};

// Reads the site and sync state. Never fails for a missing setting (it is
// just not set yet); fails only when the store cannot be read.
Result<SiteView> site_view(Store& store);

struct DeviceView {
  std::string device_id;
  int schema_version = 0;
  std::string cipher_version;
  std::uintmax_t db_bytes = 0;
  std::string server;  // enrollment server, if any
};
Result<DeviceView> device_view(Store& store);

}  // namespace chz::kiosk::views
