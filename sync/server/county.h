// The county's own keys, made once by `chizheng-server init` and kept in
// <data>/county.json (mode 0600, written atomically), next to the store:
//   content key (Ed25519): signs course packages and site bundles
//   person key (32 random bytes): HMAC key of person keys (person_key.h)
//   bundle key (X25519): device USB bundles are encrypted to it
//   county CA (EC P-256, self-signed, 10 years) and the server's TLS
//   certificate signed by it (SAN: the given host names and addresses);
//   kiosks pin the CA at enrollment.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/crypto.h"
#include "common/status.h"

namespace chz::server {

struct CountyKeys {
  std::string name;  // e.g. "示范县人社局"
  // The 6-digit 行政区划代码 of the level this server serves ("140521" 沁水县,
  // "140500" 晋城市); "" in a county.json made before it existed.
  std::string area_code;
  std::string level = "county";  // "county" | "city" | "province"
  Key32 content_secret{}, content_pub{};
  Key32 person_key{};
  Key32 bundle_secret{}, bundle_pub{};
  std::string ca_pem, ca_key_pem, cert_pem, cert_key_pem;
};

// OK iff `code` is six digits and `level` one of county/city/province, with
// the code's shape matching the level (a city ends in 00, a province in 0000).
Status check_area(const std::string& code, const std::string& level);

// Fresh keys and certificates; `hosts` are DNS names or IP addresses.
Result<CountyKeys> make_county_keys(const std::string& name, const std::vector<std::string>& hosts,
                                    std::int64_t now_ms);
// kAlreadyExists if the file exists (init never overwrites keys).
Status save_county_keys(const std::filesystem::path& data_dir, const CountyKeys& k);
// kNotFound with a hint to run init; kInsecureKeyFile if group/others can read it.
Result<CountyKeys> load_county_keys(const std::filesystem::path& data_dir);

}  // namespace chz::server
