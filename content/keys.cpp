#include "content/keys.h"

#include <sstream>

#include "common/fs.h"
#include "content/text_util.h"

namespace chz::content {

Result<Key32> parse_key_hex(std::string_view text) {
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    auto b = unhex(line);
    if (!b.ok() || b->size() != 32) break;
    Key32 k;
    std::copy(b->begin(), b->end(), k.begin());
    return k;
  }
  return Error(Code::kInvalidArgument, "not a key: expected 64 hex digits");
}

Result<Key32> read_key_file(const std::filesystem::path& file) {
  CHZ_ASSIGN_OR_RETURN(std::string text, read_file(file, 4096));
  auto k = parse_key_hex(text);
  if (!k.ok()) return Error(Code::kInvalidArgument, file.string() + ": " + k.status().message());
  return k;
}

Status write_key_file(const std::filesystem::path& file, const Key32& key, std::string_view comment,
                      unsigned mode) {
  std::error_code ec;
  if (std::filesystem::exists(file, ec))
    return Error(Code::kAlreadyExists, file.string() + " exists; not overwriting a key");
  return write_file_atomic(file, "# " + std::string(comment) + "\n" + hex(key) + "\n", mode);
}

}  // namespace chz::content
