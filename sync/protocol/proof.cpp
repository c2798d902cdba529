#include "sync/protocol/proof.h"

#include <nlohmann/json.hpp>

#include "sync/protocol/api.h"
#include "sync/protocol/bundle.h"

namespace chz::sync {
namespace {
using nlohmann::json;

Status malformed(std::string msg) {
  return Status(Code::kInvalidArgument, std::move(msg), "sync.malformed");
}
}  // namespace

Proof request_proof(const RequestAuth& a, std::string_view method, std::string_view path,
                    std::string_view body) {
  json auth{{"method", method},
            {"path", path},
            {"time_ms", a.time_ms},
            {"counter", a.counter},
            {"signature", a.signature}};
  return {a.device, std::string(kProofRequest), auth.dump(), std::string(body)};
}

Proof bundle_proof(std::string_view device, std::string_view file, const Key32& bundle_key) {
  return {std::string(device), std::string(kProofBundle), json{{"key", hex(bundle_key)}}.dump(),
          std::string(file)};
}

Result<std::string> verified_batch(const Proof& p, const Key32& device_pub) {
  json a = json::parse(p.auth, nullptr, false);
  if (!a.is_object()) return malformed("proof has no auth object");
  try {
    if (p.kind == kProofRequest) {
      RequestAuth ra{p.device, a.at("time_ms").get<std::int64_t>(),
                     a.at("counter").get<std::int64_t>(), a.at("signature").get<std::string>()};
      std::string method = a.at("method"), path = a.at("path");
      // Only an upload carries the device's own records in its body.
      if (method != "POST" || path != api::kUpload)
        return malformed("a request proof must be an upload");
      CHZ_TRY(verify_request(device_pub, ra, method, path, p.body));
      return p.body;
    }
    if (p.kind == kProofBundle) {
      auto k = unhex(a.at("key").get<std::string>());
      if (!k.ok() || k->size() != 32) return malformed("bundle proof key is not 32 bytes");
      Key32 key;
      std::copy(k->begin(), k->end(), key.begin());
      BundleInfo info;
      CHZ_ASSIGN_OR_RETURN(std::string wire, open_bundle_with_key(p.body, device_pub, key, &info));
      // A kiosk's device bundle, or a county's forward bundle (its own
      // records on a stick; the payload holds them as one CHZB frame among
      // the forwarded ones, sync/server/upstream.h).
      if ((info.kind != "device" && info.kind != "forward") || info.from != p.device)
        return malformed("the bundle is not this device's");
      return wire;
    }
  } catch (const json::exception&) {
    return malformed("proof auth fields missing or of the wrong type");
  }
  return malformed("unknown proof kind");
}

std::string encode_proof(const Proof& p) {
  std::string header =
      json{{"device", p.device}, {"kind", p.kind}, {"auth", json::parse(p.auth, nullptr, false)}}
          .dump();
  std::string out = "CHZP";
  out.push_back(1);
  auto n = static_cast<std::uint32_t>(header.size());
  for (int i = 3; i >= 0; --i) out.push_back(static_cast<char>(n >> (8 * i)));
  out += header;
  out += p.body;
  return out;
}

Result<Proof> decode_proof(std::string_view f) {
  if (f.size() < 9 || f.substr(0, 4) != "CHZP" || f[4] != 1) return malformed("not a proof frame");
  std::uint32_t n = 0;
  for (int i = 0; i < 4; ++i)
    n = (n << 8) | static_cast<std::uint8_t>(f[5 + static_cast<std::size_t>(i)]);
  if (n > f.size() - 9) return malformed("proof header runs past the frame");
  json h = json::parse(f.substr(9, n), nullptr, false);
  if (!h.is_object() || !h.contains("device") || !h["device"].is_string() || !h.contains("kind") ||
      !h["kind"].is_string() || !h.contains("auth") || !h["auth"].is_object())
    return malformed("proof header is not {device, kind, auth}");
  return Proof{h["device"], h["kind"], h["auth"].dump(), std::string(f.substr(9 + n))};
}

}  // namespace chz::sync
