// Safe reading and writing of archives through libarchive: the package
// container (tar, gzip-compressed) and XLSX files (zip). The reader is the
// first line of defence against hostile files: it refuses unsafe paths,
// links, devices, and anything over the limits before it is unpacked.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace chz::content {

struct ArchiveLimits {
  std::size_t max_entries = 4096;
  std::uint64_t max_entry_bytes = 64ull << 20;   // one file, uncompressed
  std::uint64_t max_total_bytes = 512ull << 20;  // all files, uncompressed
};

struct ArchiveEntry {
  std::string path;  // UTF-8, relative, '/'-separated
  std::string data;
};

enum class ArchiveKind { kTar, kZip };

// Reads every regular file. Refusals, each with its own Status key:
//   content.unsafe_path (absolute, "..", ".", empty part, backslash, not UTF-8,
//   repeated path), content.link (symlink or hard link), content.special
//   (device, fifo, socket), content.too_many_entries, content.entry_too_large,
//   content.total_too_large (counted on bytes actually inflated, so a lying
//   header does not help), content.not_archive. Directory entries are skipped.
Result<std::vector<ArchiveEntry>> read_archive(std::string_view bytes, ArchiveKind kind,
                                               const ArchiveLimits& limits = {});
Result<std::vector<ArchiveEntry>> read_archive_file(const std::filesystem::path& file,
                                                    ArchiveKind kind,
                                                    const ArchiveLimits& limits = {});
// OK iff `p` is a safe relative path (see content.unsafe_path above).
Status check_entry_path(std::string_view p);
// A gzip-compressed POSIX (pax) tar of regular files, mode 0644, mtime 0,
// in the given order: the same input gives the same bytes.
Result<std::string> write_tar_gz(const std::vector<ArchiveEntry>& entries);

}  // namespace chz::content
