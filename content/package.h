// The course package: one file per course version, a gzip'd tar holding
//   manifest.json   course facts, blueprint, lessons, format and package
//                   version, and every other file's path, SHA-256 and size
//   manifest.sig    {"alg":"Ed25519","public_key":hex,"signature":hex} over
//                   the exact bytes of manifest.json (the county content key)
//   lessons/<id>.md, bank.json, media/...
// The signature covers the manifest; the manifest pins every other file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/crypto.h"
#include "content/archive.h"
#include "content/model.h"
#include "content/source.h"

namespace chz::content {

inline constexpr int kFormatVersion = 1;
inline constexpr std::string_view kManifestPath = "manifest.json";
inline constexpr std::string_view kSignaturePath = "manifest.sig";
inline constexpr std::string_view kBankPath = "bank.json";

struct ManifestFile {
  std::string path;
  std::string sha256;  // lower-case hex
  std::uint64_t size = 0;
};

struct Manifest {
  int format_version = kFormatVersion;
  std::int64_t package_version = 0;  // == course.version
  Course course;                     // facts, blueprint, lesson id/title/minutes; no text, no bank
  std::vector<ManifestFile> files;   // every file except manifest.json and manifest.sig
};

// A package read and checked: everything the manifest pins is present with
// the right hash and size, and the course in it is valid.
struct Package {
  std::string manifest_bytes;
  std::string signature_bytes;  // manifest.sig as shipped ("" if none)
  Manifest manifest;
  Course course;                             // complete: lessons' text and bank
  std::map<std::string, std::string> files;  // every pinned file, path -> bytes
  std::optional<Key32> signer;               // the key in manifest.sig, if any
  bool signature_valid = false;              // signature checks under `signer`
};

// Builds a package from a source course after validate_for_publish; signed
// when `secret` is given, unsigned otherwise (any kiosk refuses it then).
Result<std::string> build_package(const SourceCourse& src, const std::optional<Key32>& secret);
// The manifest of a source course, as signed bytes.
std::string manifest_json(const Manifest& m);
Result<Manifest> parse_manifest(std::string_view json);
// The manifest.sig text for `manifest_bytes`.
Result<std::string> signature_json(std::string_view manifest_bytes, const Key32& secret);
// Replaces (or adds) the signature of an existing package; the rest is
// copied unchanged after its hashes are checked.
Result<std::string> sign_package(std::string_view package, const Key32& secret);

// Reads a package and verifies it against the keys the caller trusts.
// Refusals (Status key): content.no_signature, content.untrusted_key,
// content.bad_signature, content.bad_manifest, content.format_version,
// content.missing_file, content.extra_file, content.size_mismatch,
// content.hash_mismatch, content.invalid_course, plus every read_archive
// refusal. Nothing is written anywhere.
Result<Package> open_package(std::string_view bytes, const std::vector<Key32>& trusted,
                             const ArchiveLimits& limits = {});
Result<Package> open_package_file(const std::filesystem::path& file,
                                  const std::vector<Key32>& trusted,
                                  const ArchiveLimits& limits = {});
// For `inspect`: the same checks except trust; signer/signature_valid say
// what was found. Still refuses unsafe archives and mismatched files.
Result<Package> inspect_package(std::string_view bytes, const ArchiveLimits& limits = {});

// Builds the complete course from a manifest and a reader of pinned files,
// checking each file's size and hash first. Shared by packages and installs.
// With check_media=false only the lessons and the bank are read (media are
// checked when read, by read_installed_file).
using FileReader = std::function<Result<std::string>(const std::string& path)>;
Result<Course> assemble_course(const Manifest& m, const FileReader& read, bool check_media = true);
std::string lesson_path(const Lesson& l);  // "lessons/<id>.md"

}  // namespace chz::content
