// Wire batches (sync/protocol/wire.h) as uploads, feed pages and USB
// bundles carry them: decode_batch on the raw input, and, when the input
// starts with "PAY:", on a well-formed container ("CHZB", version, length,
// zstd) around the rest, so the payload decoder itself meets hostile bytes
// (random bytes are almost never a valid zstd frame). Whatever decodes must
// encode and decode again to the same records.
#include <zstd.h>

#include <string>

#include "sync/protocol/wire.h"
#include "tests/fuzz/fuzz_util.h"

using namespace chz;

namespace {
void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}
// The container of wire.h around `payload` (the version byte comes first).
std::string wrap(std::string_view in) {
  std::string out = "CHZB";
  std::uint8_t version = in.empty() ? sync::kWireVersion : static_cast<std::uint8_t>(in[0]);
  std::string_view payload = in.empty() ? in : in.substr(1);
  out.push_back(static_cast<char>(version));
  put_varint(out, payload.size());
  std::string z(ZSTD_compressBound(payload.size()), '\0');
  std::size_t n = ZSTD_compress(z.data(), z.size(), payload.data(), payload.size(), 1);
  FUZZ_CHECK(!ZSTD_isError(n));
  out.append(z.data(), n);
  return out;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in = fuzz::as_view(data, size);
  std::string wrapped;
  if (in.starts_with("PAY:")) {
    wrapped = wrap(in.substr(4));
    in = wrapped;
  }
  auto d = sync::decode_batch(in);
  if (!d.ok()) {
    auto c = d.status().code();
    FUZZ_CHECK(c == Code::kInvalidArgument || c == Code::kOutOfRange || c == Code::kTooLarge);
    return 0;
  }
  FUZZ_CHECK(d->size() <= sync::kMaxBatchRecords);
  auto again = sync::decode_batch(sync::encode_batch(*d, 1));
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(*again == *d);
  for (const auto& r : *d) {
    Uuid u;
    if (sync::canonical_uuid(r.meta.uuid, &u)) {
      char text[36];
      sync::uuid_chars(u, text);
      FUZZ_CHECK(std::string_view(text, 36) == r.meta.uuid);
    }
  }
  return 0;
}
