#include "common/testing/temp_dir.h"

#include <unistd.h>

#include <cstdlib>

#include "common/crypto.h"
#include "common/fs.h"

namespace chz::testing {

namespace fs = std::filesystem;

TempDir::TempDir(const std::string& prefix) {
  std::string tmpl = (fs::temp_directory_path() / (prefix + "-XXXXXX")).string();
  char* p = ::mkdtemp(tmpl.data());
  path_ = p ? fs::path(p) : fs::path(tmpl);
}

TempDir::~TempDir() {
  std::error_code ec;
  if (!std::getenv("CHZ_KEEP_TEMP")) fs::remove_all(path_, ec);
}

std::map<std::string, std::string> snapshot_files(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    auto data = read_file(e.path(), std::size_t{1} << 30);
    out[fs::relative(e.path(), dir).string()] = data.ok() ? hex(sha256(*data)) : "unreadable";
  }
  return out;
}

}  // namespace chz::testing
