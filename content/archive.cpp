#include "content/archive.h"

#include <archive.h>
#include <archive_entry.h>

#include <memory>
#include <set>

#include "content/text_util.h"

namespace chz::content {

namespace {

struct ReadCloser {
  void operator()(archive* a) const { archive_read_free(a); }
};
struct WriteCloser {
  void operator()(archive* a) const { archive_write_free(a); }
};

// libarchive may have no message for an error: never build a string from NULL.
std::string error_text(archive* a) {
  const char* m = archive_error_string(a);
  return m ? m : "unknown archive error";
}

Status refuse(Code c, std::string msg, std::string key) {
  return Error(c, std::move(msg), std::move(key));
}

Status unsafe(std::string_view p, std::string why) {
  return refuse(Code::kInvalidArgument, "unsafe path in package \"" + std::string(p) + "\": " + why,
                "content.unsafe_path");
}

}  // namespace

Status check_entry_path(std::string_view p) {
  if (p.empty()) return unsafe(p, "empty");
  if (p.size() > 1024) return unsafe(p.substr(0, 64), "too long");
  if (p.front() == '/') return unsafe(p, "absolute path");
  if (p.find('\\') != std::string_view::npos) return unsafe(p, "backslash");
  if (!is_valid_utf8(p)) return unsafe("?", "not UTF-8");
  for (char c : p)
    if (static_cast<unsigned char>(c) < 0x20) return unsafe("?", "control character");
  std::size_t start = 0;
  while (start <= p.size()) {
    std::size_t end = p.find('/', start);
    if (end == std::string_view::npos) end = p.size();
    std::string_view part = p.substr(start, end - start);
    if (part == "..") return unsafe(p, "parent folder (..)");
    if (part == ".") return unsafe(p, "current folder (.)");
    if (part.empty() && end != p.size()) return unsafe(p, "empty path component");
    start = end + 1;
  }
  return OkStatus();
}

static Result<std::vector<ArchiveEntry>> read_open(archive* a, const ArchiveLimits& limits) {
  std::vector<ArchiveEntry> out;
  std::set<std::string> seen;
  std::uint64_t total = 0;
  std::size_t count = 0;
  archive_entry* e = nullptr;
  for (;;) {
    int rc = archive_read_next_header(a, &e);
    if (rc == ARCHIVE_EOF) break;
    if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN)
      return refuse(Code::kInvalidArgument, std::string("not a readable archive: ") + error_text(a),
                    "content.not_archive");
    if (++count > limits.max_entries)
      return refuse(Code::kTooLarge,
                    "package has more than " + std::to_string(limits.max_entries) + " entries",
                    "content.too_many_entries");
    const char* name = archive_entry_pathname_utf8(e);
    if (!name) name = archive_entry_pathname(e);
    std::string path = name ? name : "";
    auto type = archive_entry_filetype(e);
    // Directory entries carry a trailing '/'; they are checked, then skipped.
    std::string check = path;
    if (type == AE_IFDIR && !check.empty() && check.back() == '/') check.pop_back();
    CHZ_TRY(check_entry_path(check));
    if (archive_entry_hardlink(e) != nullptr)
      return refuse(Code::kInvalidArgument, "package entry \"" + path + "\" is a hard link",
                    "content.link");
    if (type == AE_IFLNK || archive_entry_symlink(e) != nullptr)
      return refuse(Code::kInvalidArgument, "package entry \"" + path + "\" is a symbolic link",
                    "content.link");
    if (type == AE_IFDIR) continue;
    if (type != AE_IFREG)
      return refuse(Code::kInvalidArgument,
                    "package entry \"" + path + "\" is a device or special file",
                    "content.special");
    if (!seen.insert(path).second) return unsafe(path, "appears twice");
    if (archive_entry_size_is_set(e) &&
        static_cast<std::uint64_t>(archive_entry_size(e)) > limits.max_entry_bytes)
      return refuse(Code::kTooLarge, "package entry \"" + path + "\" is larger than the limit",
                    "content.entry_too_large");
    ArchiveEntry out_e;
    out_e.path = path;
    char buf[64 * 1024];
    for (;;) {
      la_ssize_t n = archive_read_data(a, buf, sizeof buf);
      if (n == 0) break;
      if (n < 0)
        return refuse(Code::kInvalidArgument,
                      "archive data unreadable: " + std::string(error_text(a)),
                      "content.not_archive");
      auto un = static_cast<std::uint64_t>(n);
      if (out_e.data.size() + un > limits.max_entry_bytes)
        return refuse(Code::kTooLarge, "package entry \"" + path + "\" inflates beyond the limit",
                      "content.entry_too_large");
      total += un;
      if (total > limits.max_total_bytes)
        return refuse(Code::kTooLarge, "package contents inflate beyond the total limit",
                      "content.total_too_large");
      out_e.data.append(buf, static_cast<std::size_t>(n));
    }
    out.push_back(std::move(out_e));
  }
  return out;
}

static std::unique_ptr<archive, ReadCloser> new_reader(ArchiveKind kind) {
  std::unique_ptr<archive, ReadCloser> a(archive_read_new());
  if (kind == ArchiveKind::kTar) {
    archive_read_support_format_tar(a.get());
    archive_read_support_filter_gzip(a.get());
    archive_read_support_filter_zstd(a.get());
    archive_read_support_filter_none(a.get());
  } else {
    archive_read_support_format_zip(a.get());
  }
  return a;
}

Result<std::vector<ArchiveEntry>> read_archive(std::string_view bytes, ArchiveKind kind,
                                               const ArchiveLimits& limits) {
  auto a = new_reader(kind);
  if (archive_read_open_memory(a.get(), bytes.data(), bytes.size()) != ARCHIVE_OK)
    return refuse(Code::kInvalidArgument,
                  std::string("not a readable archive: ") + error_text(a.get()),
                  "content.not_archive");
  return read_open(a.get(), limits);
}

Result<std::vector<ArchiveEntry>> read_archive_file(const std::filesystem::path& file,
                                                    ArchiveKind kind, const ArchiveLimits& limits) {
  auto a = new_reader(kind);
  if (archive_read_open_filename(a.get(), file.c_str(), 64 * 1024) != ARCHIVE_OK) {
    std::error_code ec;
    if (!std::filesystem::exists(file, ec))
      return Error(Code::kNotFound, file.string() + ": no such file");
    return refuse(Code::kInvalidArgument,
                  file.string() + ": not a readable archive: " + error_text(a.get()),
                  "content.not_archive");
  }
  return read_open(a.get(), limits);
}

static la_ssize_t write_cb(archive*, void* client, const void* buf, size_t n) {
  static_cast<std::string*>(client)->append(static_cast<const char*>(buf), n);
  return static_cast<la_ssize_t>(n);
}

Result<std::string> write_tar_gz(const std::vector<ArchiveEntry>& entries) {
  std::string out;
  std::unique_ptr<archive, WriteCloser> a(archive_write_new());
  archive_write_set_format_pax_restricted(a.get());
  archive_write_add_filter_gzip(a.get());
  // Paths are UTF-8 already; write them as bytes, whatever the locale.
  archive_write_set_options(a.get(), "hdrcharset=BINARY");
  archive_write_set_options(a.get(), "gzip:!timestamp");  // same input, same bytes
  archive_write_set_bytes_in_last_block(a.get(), 1);
  if (archive_write_open(a.get(), &out, nullptr, write_cb, nullptr) != ARCHIVE_OK)
    return Error(Code::kInternal, std::string("archive: ") + error_text(a.get()));
  for (const auto& en : entries) {
    CHZ_TRY(check_entry_path(en.path));
    std::unique_ptr<archive_entry, void (*)(archive_entry*)> e(archive_entry_new(),
                                                               archive_entry_free);
    archive_entry_copy_pathname(e.get(), en.path.c_str());
    archive_entry_set_filetype(e.get(), AE_IFREG);
    archive_entry_set_perm(e.get(), 0644);
    archive_entry_set_size(e.get(), static_cast<la_int64_t>(en.data.size()));
    archive_entry_set_mtime(e.get(), 0, 0);
    if (archive_write_header(a.get(), e.get()) != ARCHIVE_OK)
      return Error(Code::kInternal, std::string("archive: ") + error_text(a.get()));
    if (!en.data.empty() && archive_write_data(a.get(), en.data.data(), en.data.size()) !=
                                static_cast<la_ssize_t>(en.data.size()))
      return Error(Code::kInternal, std::string("archive: ") + error_text(a.get()));
  }
  if (archive_write_close(a.get()) != ARCHIVE_OK)
    return Error(Code::kInternal, std::string("archive: ") + error_text(a.get()));
  return out;
}

}  // namespace chz::content
