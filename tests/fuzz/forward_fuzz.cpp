// What a city reads from a county (sync/server/upstream.h,
// sync/protocol/proof.h): the body of POST /api/v1/forward (a CHZF frame: the
// kiosk's JSON and a CHZP proof frame), a proof frame alone, and a USB
// forward bundle's payload (CHZV: frames of CHZF batches and a CHZB batch). A decoded
// frame must encode and decode to the same fields; its proof is checked
// under the fixed kiosk key (fuzz_util.h; the seeds are signed with it, so
// mutations reach the signature, the bundle decryption and the batch
// decoder), and what verifies must decode as a batch.
#include <string>

#include "sync/protocol/proof.h"
#include "sync/protocol/wire.h"
#include "sync/server/upstream.h"
#include "tests/fuzz/fuzz_util.h"

using namespace chz;

namespace {
const Key32& kiosk_pub() {
  static const Key32 k = ed25519_public_from_secret(fuzz::fixed_key("kiosk")).value();
  return k;
}
void check_proof(const sync::Proof& p) {
  auto again = sync::decode_proof(sync::encode_proof(p));
  FUZZ_CHECK(again.ok() && again->device == p.device && again->kind == p.kind &&
             again->auth == p.auth && again->body == p.body);
  auto batch = sync::verified_batch(p, kiosk_pub());
  if (batch.ok()) (void)sync::decode_batch(*batch);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in = fuzz::as_view(data, size);
  if (auto p = sync::decode_proof(in); p.ok()) check_proof(*p);
  // A USB forward bundle's payload: its frames, each decoded as the city would.
  if (auto frames = server::split_forward_payload(in); frames.ok())
    for (std::string_view f : *frames) {
      if (auto b = server::decode_forward(f); b.ok()) check_proof(b->proof);
      (void)sync::decode_batch(f);
    }
  auto f = server::decode_forward(in);
  if (!f.ok()) return 0;
  auto again = server::decode_forward(server::encode_forward(*f));
  FUZZ_CHECK(again.ok() && again->device.id == f->device.id &&
             again->device.site == f->device.site && again->device.pub == f->device.pub &&
             again->device.revoked == f->device.revoked && again->site_name == f->site_name &&
             again->township == f->township && again->proof.body == f->proof.body);
  check_proof(f->proof);
  return 0;
}
