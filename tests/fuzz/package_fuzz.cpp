// Course packages (content/package.h) as a kiosk receives them from the
// county or a USB stick: open_package trusting the fixed county key
// ("county-content", which signs the seeds), inspect_package, and the
// package's own JSON files (manifest.json, bank.json) given directly when
// the input is JSON. Archive limits are kept small so a bomb costs the
// fuzzer a moment, not a minute; the limit checks are the ones a kiosk runs.
#include <string>

#include "content/json_codec.h"
#include "content/package.h"
#include "tests/fuzz/fuzz_util.h"

using namespace chz;

namespace {
const Key32& county_pub() {
  static const Key32 k = ed25519_public_from_secret(fuzz::fixed_key("county-content")).value();
  return k;
}
content::ArchiveLimits limits() {
  content::ArchiveLimits l;
  l.max_entries = 256;
  l.max_entry_bytes = 4u << 20;
  l.max_total_bytes = 16u << 20;
  return l;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in = fuzz::as_view(data, size);
  if (in.starts_with("{")) {
    if (auto m = content::parse_manifest(in); m.ok()) {
      auto back = content::parse_manifest(content::manifest_json(*m));
      FUZZ_CHECK(back.ok());
      FUZZ_CHECK(content::manifest_json(*back) == content::manifest_json(*m));
    }
    if (auto b = content::bank_from_json(in); b.ok()) {
      auto back = content::bank_from_json(content::bank_to_json(*b));
      FUZZ_CHECK(back.ok() && content::bank_to_json(*back) == content::bank_to_json(*b));
    }
    return 0;
  }
  auto opened = content::open_package(in, {county_pub()}, limits());
  if (opened.ok()) {
    FUZZ_CHECK(opened->signature_valid && opened->signer && *opened->signer == county_pub());
    FUZZ_CHECK(content::parse_manifest(opened->manifest_bytes).ok());
  }
  auto inspected = content::inspect_package(in, limits());
  if (opened.ok()) FUZZ_CHECK(inspected.ok());
  return 0;
}
