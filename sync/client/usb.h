// USB sneakernet at the kiosk end (sync/protocol/bundle.h has the format).
// export: the records the county has not acknowledged, as a device bundle
// signed with the device key and encrypted to the county bundle key. The
// county ingests it exactly like an upload (idempotent by device + seq).
// import: a site bundle from the county: verifies the county content key,
// decrypts with the device's box key, applies the feed to the sink and moves
// the acknowledged cursor forward, so the kiosk stops re-exporting.
#pragma once

#include <string>

#include "common/crypto.h"
#include "sync/protocol/record.h"

namespace chz::sync_client {

struct UsbExport {
  std::string bytes;                         // the bundle file
  std::int64_t first_seq = 0, last_seq = 0;  // 0, 0 when nothing to export
};
// kFailedPrecondition ("sync.nothing_to_export") is not used: an empty
// export still yields a valid (empty) bundle.
Result<UsbExport> export_usb(sync::RecordSource& src, const Key32& device_secret,
                             const Key32& county_bundle_pub, std::int64_t now_ms);

struct UsbImport {
  std::int64_t received = 0;      // feed records in the bundle
  std::int64_t applied = 0;       // of those, new here (0 on a repeated import)
  std::int64_t acknowledged = 0;  // the county's cursor for this device
};
// kTampered if the bundle is not the county's or was changed; kPermissionDenied
// ("sync.wrong_device") if it was made for another device.
Result<UsbImport> import_site_bundle(std::string_view bytes, const Key32& county_content_pub,
                                     const Key32& box_secret, sync::RecordSource& src,
                                     sync::RecordSink& sink);

}  // namespace chz::sync_client
