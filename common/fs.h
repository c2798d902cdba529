// File-system helpers with durability spelled out.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "common/status.h"

namespace chz {

// Writes `data` to `path` atomically and durably: a temp file in the same
// folder (created with `mode`), write, fsync, rename over `path`, fsync the
// folder. On failure `path` is unchanged and the temp file is removed.
Status write_file_atomic(const std::filesystem::path& path, std::string_view data,
                         unsigned mode = 0600);
Result<std::string> read_file(const std::filesystem::path& path, std::size_t max_bytes = 64u << 20);
// fsync a folder so a rename or create in it is durable.
Status fsync_dir(const std::filesystem::path& dir);
// Copies a file and fsyncs the copy (used for pre-migration backups).
Status copy_file_durable(const std::filesystem::path& from, const std::filesystem::path& to);

}  // namespace chz
