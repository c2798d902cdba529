// Installing course packages on a kiosk, and reading what is installed.
//
//   <data>/content/<course_id>/current   "7\n": the version in use (atomic file)
//   <data>/content/<course_id>/v7/       an unpacked, verified package
//   <data>/content/.tmp-*/               staging; removed by the next install
//
// An install unpacks into staging, fsyncs, re-verifies from disk, renames
// the folder to v<N>, then replaces `current` atomically. A crash at any
// point leaves `current` naming a complete version (or no course at all on
// a first install). Old versions stay until prune_versions() drops them, so
// an attempt that drew its paper from v6 can still read v6.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "content/package.h"

namespace chz::content {

struct InstallResult {
  std::string course_id;
  std::int64_t version = 0;
  std::optional<std::int64_t> previous;  // version in use before, if any
};

// Verifies the package (open_package's refusals) and installs it. Also
// refuses content.downgrade (kConflict) when the version is not newer than
// the one in use. On any refusal the installed course is untouched.
// `hook`, if set, is called at each step ("locked", "file", "staged",
// "checked", "renamed", "switched"): a seam for crash tests, which kill the
// process there.
using InstallHook = std::function<void(std::string_view step)>;
Result<InstallResult> install_package(const std::filesystem::path& data_dir,
                                      const std::filesystem::path& package_file,
                                      const std::vector<Key32>& trusted,
                                      const ArchiveLimits& limits = {},
                                      const InstallHook& hook = {});

struct InstalledCourse {
  std::string id;
  std::string name;
  Level level = Level::kLevel5;
  std::int64_t version = 0;                 // in use
  std::vector<std::int64_t> kept_versions;  // on disk, ascending, incl. `version`
};
// Every course with a `current` pointer, by id.
Result<std::vector<InstalledCourse>> list_installed(const std::filesystem::path& data_dir);
// kNotFound if the course is not installed.
Result<std::int64_t> installed_version(const std::filesystem::path& data_dir,
                                       std::string_view course_id);
// The complete course (lesson text, bank) of the version in use, or of a
// kept `version`. Lesson and bank hashes are re-checked (kTampered on a
// mismatch); media are checked when read_installed_file reads them.
Result<Course> load_installed(const std::filesystem::path& data_dir, std::string_view course_id,
                              std::optional<std::int64_t> version = std::nullopt);
// A lesson's Markdown or a media file's bytes (e.g. "media/hive.png"),
// hash-checked against the manifest.
Result<std::string> read_installed_file(const std::filesystem::path& data_dir,
                                        std::string_view course_id, std::int64_t version,
                                        std::string_view path);
// Re-verifies an installed version completely: signature by a trusted key,
// every pinned file, the course itself.
Status verify_installed(const std::filesystem::path& data_dir, std::string_view course_id,
                        std::int64_t version, const std::vector<Key32>& trusted);
// Removes kept versions other than the one in use and those in `keep`
// (versions still referenced by attempts).
Status prune_versions(const std::filesystem::path& data_dir, std::string_view course_id,
                      const std::set<std::int64_t>& keep);

}  // namespace chz::content
