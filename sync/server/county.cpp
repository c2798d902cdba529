#include "sync/server/county.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <nlohmann/json.hpp>

#include <algorithm>

#include <memory>

#include "common/fs.h"
#include "sync/protocol/box.h"

namespace chz::server {
namespace {
using nlohmann::json;

template <class T, void (*F)(T*)>
struct Del {
  void operator()(T* p) const { F(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Del<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Del<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Del<BIO, BIO_free_all>>;

std::string bio_string(BIO* b) {
  char* p = nullptr;
  long n = BIO_get_mem_data(b, &p);
  return std::string(p, static_cast<std::size_t>(n));
}
std::string pem_of(X509* x) {
  BioPtr b(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(b.get(), x);
  return bio_string(b.get());
}
std::string pem_of(EVP_PKEY* k) {
  BioPtr b(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(b.get(), k, nullptr, nullptr, 0, nullptr, nullptr);
  return bio_string(b.get());
}

bool add_ext(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ex = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (!ex) return false;
  bool ok = X509_add_ext(cert, ex, -1) == 1;
  X509_EXTENSION_free(ex);
  return ok;
}

X509Ptr make_cert(EVP_PKEY* key, const std::string& cn, X509* issuer, EVP_PKEY* issuer_key,
                  long serial, bool ca, const std::string& san) {
  X509Ptr x(X509_new());
  X509_set_version(x.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x.get()), serial);
  X509_gmtime_adj(X509_getm_notBefore(x.get()), -3600L * 24 * 7);  // tolerate kiosk clocks behind
  X509_gmtime_adj(X509_getm_notAfter(x.get()), 3600L * 24 * 3650);
  X509_set_pubkey(x.get(), key);
  X509_NAME* name = X509_get_subject_name(x.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509* iss = issuer ? issuer : x.get();
  X509_set_issuer_name(x.get(), X509_get_subject_name(iss));
  bool ok =
      add_ext(x.get(), iss, NID_basic_constraints, ca ? "critical,CA:TRUE" : "critical,CA:FALSE") &&
      add_ext(x.get(), iss, NID_key_usage,
              ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature") &&
      add_ext(x.get(), iss, NID_subject_key_identifier, "hash");
  if (ok && !ca) ok = add_ext(x.get(), iss, NID_subject_alt_name, san);
  if (!ok || X509_sign(x.get(), issuer_key, EVP_sha256()) == 0) return nullptr;
  return x;
}

Key32 key_from_hex(const json& j, const char* k) {
  Key32 out{};
  auto b = unhex(j.at(k).get<std::string>());
  if (b.ok() && b->size() == 32) std::copy(b->begin(), b->end(), out.begin());
  return out;
}
}  // namespace

Status check_area(const std::string& code, const std::string& level) {
  bool digits = code.size() == 6 &&
                std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits)
    return Status(Code::kInvalidArgument,
                  "area code must be the six digits of the 行政区划代码 (e.g. 140521)");
  if (level != "county" && level != "city" && level != "province")
    return Status(Code::kInvalidArgument, "level must be county, city or province");
  bool city = code.substr(4) == "00" && code.substr(2, 2) != "00";
  bool province = code.substr(2) == "0000";
  if ((level == "county") == (city || province) || (level == "city" && !city) ||
      (level == "province" && !province))
    return Status(Code::kInvalidArgument, "area code " + code + " is not a " + level +
                                              " code (a city ends in 00, a province in 0000)");
  return OkStatus();
}

Result<CountyKeys> make_county_keys(const std::string& name, const std::vector<std::string>& hosts,
                                    std::int64_t now_ms) {
  CountyKeys k;
  k.name = name;
  auto ed = ed25519_generate();
  k.content_secret = ed.secret;
  k.content_pub = ed.pub;
  k.person_key = random_key32();
  auto x = sync::x25519_generate();
  k.bundle_secret = x.secret;
  k.bundle_pub = x.pub;

  PkeyPtr ca_key(EVP_EC_gen("P-256"));
  PkeyPtr srv_key(EVP_EC_gen("P-256"));
  if (!ca_key || !srv_key) return Status(Code::kInternal, "cannot generate TLS keys");
  std::string san;
  for (const auto& h : hosts) {
    if (!san.empty()) san += ",";
    bool ip = !h.empty() &&
              (std::isdigit(static_cast<unsigned char>(h[0])) || h.find(':') != std::string::npos);
    san += (ip ? "IP:" : "DNS:") + h;
  }
  if (san.empty()) san = "DNS:localhost,IP:127.0.0.1";
  long serial = static_cast<long>(now_ms / 1000);
  auto ca = make_cert(ca_key.get(), "Chizheng county CA", nullptr, ca_key.get(), serial, true, "");
  if (!ca) return Status(Code::kInternal, "cannot make the county CA certificate");
  auto srv = make_cert(srv_key.get(), "Chizheng county server", ca.get(), ca_key.get(), serial + 1,
                       false, san);
  if (!srv) return Status(Code::kInternal, "cannot make the server certificate");
  k.ca_pem = pem_of(ca.get());
  k.ca_key_pem = pem_of(ca_key.get());
  k.cert_pem = pem_of(srv.get());
  k.cert_key_pem = pem_of(srv_key.get());
  return k;
}

Status save_county_keys(const std::filesystem::path& dir, const CountyKeys& k) {
  auto p = dir / "county.json";
  std::error_code ec;
  if (std::filesystem::exists(p, ec))
    return Status(Code::kAlreadyExists, "county keys already exist at " + p.string());
  std::filesystem::create_directories(dir, ec);
  json j{{"format", "chizheng-county v1"},
         {"name", k.name},
         {"area_code", k.area_code},
         {"level", k.level},
         {"content_secret", hex(k.content_secret)},
         {"content_pub", hex(k.content_pub)},
         {"person_key", hex(k.person_key)},
         {"bundle_secret", hex(k.bundle_secret)},
         {"bundle_pub", hex(k.bundle_pub)},
         {"ca_pem", k.ca_pem},
         {"ca_key_pem", k.ca_key_pem},
         {"cert_pem", k.cert_pem},
         {"cert_key_pem", k.cert_key_pem}};
  CHZ_TRY(write_file_atomic(p, j.dump(1), 0600));
  CHZ_TRY(write_file_atomic(dir / "server-cert.pem", k.cert_pem, 0644));
  CHZ_TRY(write_file_atomic(dir / "server-key.pem", k.cert_key_pem, 0600));
  return write_file_atomic(dir / "county-ca.pem", k.ca_pem, 0644);
}

Result<CountyKeys> load_county_keys(const std::filesystem::path& dir) {
  auto p = dir / "county.json";
  struct stat sb {};
  if (::stat(p.c_str(), &sb) != 0)
    return Status(Code::kNotFound,
                  "no county keys at " + p.string() + " (run `chizheng-server init` first)");
  if (sb.st_mode & 077) return Status(Code::kInsecureKeyFile, p.string() + " must be mode 0600");
  CHZ_ASSIGN_OR_RETURN(std::string text, read_file(p));
  try {
    auto j = json::parse(text);
    CountyKeys k;
    k.name = j.at("name");
    k.area_code = j.value("area_code", "");
    k.level = j.value("level", "county");
    k.content_secret = key_from_hex(j, "content_secret");
    k.content_pub = key_from_hex(j, "content_pub");
    k.person_key = key_from_hex(j, "person_key");
    k.bundle_secret = key_from_hex(j, "bundle_secret");
    k.bundle_pub = key_from_hex(j, "bundle_pub");
    k.ca_pem = j.at("ca_pem");
    k.ca_key_pem = j.at("ca_key_pem");
    k.cert_pem = j.at("cert_pem");
    k.cert_key_pem = j.at("cert_key_pem");
    return k;
  } catch (const std::exception&) {
    return Status(Code::kInvalidArgument, p.string() + " is not a county key file");
  }
}

}  // namespace chz::server
