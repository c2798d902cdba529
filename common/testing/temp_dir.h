// Test helper: a fresh temporary folder, removed when the object dies.
#pragma once

#include <filesystem>
#include <map>
#include <string>

namespace chz::testing {

class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "chz-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& s) const { return path_ / s; }

 private:
  std::filesystem::path path_;
};

// SHA-256 (hex) of every regular file below `dir`, by relative path: lets a
// test prove that a refused operation changed nothing on disk.
std::map<std::string, std::string> snapshot_files(const std::filesystem::path& dir);

}  // namespace chz::testing
