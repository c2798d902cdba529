// USB bundles (sync/protocol/bundle.h) as a county or a kiosk reads them
// from a stick: peek_bundle (the header, read before any key is known) and
// open_bundle under fixed keys (sender Ed25519 "kiosk", recipient X25519
// "county-box"; the seeds are sealed with them, so mutations reach the
// signature and decryption checks). What opens must peek the same and its
// payload goes through the wire decoder, as a device bundle's does.
#include <string>

#include "sync/protocol/bundle.h"
#include "sync/protocol/wire.h"
#include "tests/fuzz/fuzz_util.h"

using namespace chz;

namespace {
struct Keys {
  Key32 sender_pub;
  Key32 recipient_secret;
};
const Keys& keys() {
  static const Keys k{ed25519_public_from_secret(fuzz::fixed_key("kiosk")).value(),
                      fuzz::fixed_key("county-box")};
  return k;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in = fuzz::as_view(data, size);
  auto peeked = sync::peek_bundle(in);
  sync::BundleInfo info;
  auto opened = sync::open_bundle(in, keys().sender_pub, keys().recipient_secret, &info);
  if (!peeked.ok()) {
    FUZZ_CHECK(!opened.ok());
    return 0;
  }
  if (!opened.ok()) return 0;
  FUZZ_CHECK(peeked->kind == info.kind && peeked->from == info.from && peeked->to == info.to &&
             peeked->created_ms == info.created_ms && peeked->attrs == info.attrs);
  (void)sync::decode_batch(*opened);
  return 0;
}
