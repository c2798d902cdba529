#include "kiosk/views/site_view.h"

#include <cstdlib>

namespace chz::kiosk::views {

namespace {
// A setting, or "" when it is not set.
Result<std::string> setting_or_empty(Store& store, std::string_view key) {
  auto v = store.setting(key);
  if (v.ok()) return std::move(v).value();
  if (v.status().code() == Code::kNotFound) return std::string();
  return v.status();
}

// Records written here and not yet acknowledged by the county. 0 when the
// domain tables are not there (an older schema never had an outbox).
std::int64_t pending(Store& store) {
  auto last = store.db().query_int("SELECT coalesce(max(seq), 0) FROM outbox");
  auto ack = store.db().query_int("SELECT acknowledged FROM sync_state WHERE one = 1");
  if (!last.ok()) return 0;
  std::int64_t a = ack.ok() ? *ack : 0;
  return *last > a ? *last - a : 0;
}
}  // namespace

Result<SiteView> site_view(Store& store) {
  SiteView v;
  CHZ_ASSIGN_OR_RETURN(v.site_id, setting_or_empty(store, kEnrollSiteId));
  v.enrolled = !v.site_id.empty();
  CHZ_ASSIGN_OR_RETURN(v.site_name, setting_or_empty(store, kEnrollSiteName));
  CHZ_ASSIGN_OR_RETURN(std::string last, setting_or_empty(store, kLastSyncMs));
  if (!last.empty()) v.last_sync_ms = std::strtoll(last.c_str(), nullptr, 10);
  auto id = store.identity();
  if (id.ok()) v.device_id = id->device_id;
  v.pending_records = pending(store);
  return v;
}

Result<DeviceView> device_view(Store& store) {
  DeviceView d;
  CHZ_ASSIGN_OR_RETURN(StoreInfo info, store.info());
  d.device_id = info.device_id;
  d.schema_version = info.schema_version;
  d.cipher_version = info.cipher_version;
  d.db_bytes = info.db_bytes;
  CHZ_ASSIGN_OR_RETURN(d.server, setting_or_empty(store, kEnrollServer));
  return d;
}

}  // namespace chz::kiosk::views
