#include "sync/client/usb.h"

#include <nlohmann/json.hpp>

#include "sync/protocol/api.h"
#include "sync/protocol/bundle.h"
#include "sync/protocol/wire.h"

namespace chz::sync_client {

Result<UsbExport> export_usb(sync::RecordSource& src, const Key32& secret, const Key32& county_pub,
                             std::int64_t now_ms) {
  CHZ_ASSIGN_OR_RETURN(std::int64_t ack, src.acknowledged());
  CHZ_ASSIGN_OR_RETURN(auto recs, src.records_after(ack, sync::api::kMaxUploadRecords));
  UsbExport out;
  if (!recs.empty()) {
    out.first_seq = recs.front().meta.seq;
    out.last_seq = recs.back().meta.seq;
  }
  nlohmann::json attrs{{"first", out.first_seq}, {"last", out.last_seq}};
  sync::BundleInfo info{"device", src.device_id(), "county", now_ms, attrs.dump()};
  CHZ_ASSIGN_OR_RETURN(out.bytes,
                       sync::seal_bundle(info, sync::encode_batch(recs), secret, county_pub));
  return out;
}

Result<UsbImport> import_site_bundle(std::string_view bytes, const Key32& county_content_pub,
                                     const Key32& box_secret, sync::RecordSource& src,
                                     sync::RecordSink& sink) {
  sync::BundleInfo info;
  CHZ_ASSIGN_OR_RETURN(std::string payload,
                       sync::open_bundle(bytes, county_content_pub, box_secret, &info));
  if (info.kind != "site" || info.to != src.device_id())
    return Status(Code::kPermissionDenied, "this site bundle was made for another device",
                  "sync.wrong_device");
  auto attrs = nlohmann::json::parse(info.attrs, nullptr, false);
  if (!attrs.is_object() || !attrs.contains("ack") || !attrs.contains("feed"))
    return Status(Code::kInvalidArgument, "site bundle without cursors", "sync.malformed");
  CHZ_ASSIGN_OR_RETURN(auto recs, sync::decode_batch(payload));
  UsbImport out;
  // Never move the feed cursor back (a newer network sync may be ahead).
  std::string feed = attrs["feed"].get<std::string>();
  CHZ_ASSIGN_OR_RETURN(std::string have, sink.feed_cursor());
  if (!have.empty() && (have.size() > feed.size() || (have.size() == feed.size() && have > feed)))
    feed = have;
  CHZ_ASSIGN_OR_RETURN(out.applied, sink.apply(recs, feed));
  out.received = static_cast<std::int64_t>(recs.size());
  out.acknowledged = attrs["ack"].get<std::int64_t>();
  CHZ_ASSIGN_OR_RETURN(std::int64_t last, src.last_seq());
  CHZ_TRY(src.set_acknowledged(std::min(out.acknowledged, last)));
  return out;
}

}  // namespace chz::sync_client
