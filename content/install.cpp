#include "content/install.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>

#include "common/fs.h"

namespace chz::content {

namespace fs = std::filesystem;

namespace {

fs::path content_root(const fs::path& data) {
  return data / "content";
}

std::string version_dir_name(std::int64_t v) {
  return "v" + std::to_string(v);
}

Status io_error(const std::string& what) {
  return Error(Code::kIoError, what + ": " + std::strerror(errno));
}

Status check_course_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return Error(Code::kInvalidArgument, "bad course id");
  for (char c : id)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'))
      return Error(Code::kInvalidArgument, "bad course id");
  return OkStatus();
}

// Serialises installs in one data folder; released by the kernel on a crash.
class InstallLock {
 public:
  static Result<InstallLock> take(const fs::path& root) {
    int fd = ::open((root / ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return io_error("cannot open install lock");
    if (::flock(fd, LOCK_EX) != 0) {
      ::close(fd);
      return io_error("cannot lock content folder");
    }
    return InstallLock(fd);
  }
  InstallLock(InstallLock&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  InstallLock& operator=(InstallLock&&) = delete;
  ~InstallLock() {
    if (fd_ >= 0) ::close(fd_);
  }

 private:
  explicit InstallLock(int fd) : fd_(fd) {}
  int fd_;
};

Status write_durable(const fs::path& file, const std::string& data) {
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) return io_error("cannot create " + file.string());
  std::size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Status st = io_error("cannot write " + file.string());
      ::close(fd);
      return st;
    }
    off += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    Status st = io_error("cannot fsync " + file.string());
    ::close(fd);
    return st;
  }
  if (::close(fd) != 0) return io_error("cannot close " + file.string());
  return OkStatus();
}

Result<std::string> read_pinned(const fs::path& dir, const std::string& path) {
  CHZ_TRY(check_entry_path(path));
  std::error_code ec;
  if (fs::is_symlink(dir / path, ec))
    return Error(Code::kTampered, path + " is a symbolic link", "content.link");
  return read_file(dir / path, 64u << 20);
}

Result<Manifest> read_manifest(const fs::path& vdir) {
  CHZ_ASSIGN_OR_RETURN(std::string bytes, read_file(vdir / std::string(kManifestPath)));
  return parse_manifest(bytes);
}

Result<fs::path> version_dir(const fs::path& data, std::string_view id,
                             std::optional<std::int64_t> version) {
  CHZ_TRY(check_course_id(id));
  std::int64_t v = 0;
  if (version) {
    v = *version;
  } else {
    CHZ_ASSIGN_OR_RETURN(v, installed_version(data, id));
  }
  fs::path dir = content_root(data) / std::string(id) / version_dir_name(v);
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    return Error(Code::kNotFound, "course " + std::string(id) + " version " + std::to_string(v) +
                                      " is not on this kiosk");
  return dir;
}

}  // namespace

Result<std::int64_t> installed_version(const fs::path& data, std::string_view id) {
  CHZ_TRY(check_course_id(id));
  fs::path p = content_root(data) / std::string(id) / "current";
  auto text = read_file(p, 64);
  if (!text.ok()) {
    if (text.status().code() == Code::kNotFound)
      return Error(Code::kNotFound, "course " + std::string(id) + " is not installed",
                   "content.not_installed");
    return text.status();
  }
  try {
    std::size_t used = 0;
    long long v = std::stoll(*text, &used);
    if (v < 1) throw std::invalid_argument("version");
    return static_cast<std::int64_t>(v);
  } catch (const std::exception&) {
    return Error(Code::kCorrupt, p.string() + " does not hold a version number");
  }
}

Result<InstallResult> install_package(const fs::path& data, const fs::path& package_file,
                                      const std::vector<Key32>& trusted,
                                      const ArchiveLimits& limits, const InstallHook& hook) {
  auto step = [&](std::string_view name) {
    if (hook) hook(name);
  };
  // Verify everything in memory first: nothing is written for a bad package.
  CHZ_ASSIGN_OR_RETURN(Package pkg, open_package_file(package_file, trusted, limits));
  const std::string& id = pkg.course.id;
  CHZ_TRY(check_course_id(id));
  fs::path root = content_root(data);
  std::error_code ec;
  fs::create_directories(root, ec);
  if (ec) return Error(Code::kIoError, "cannot create " + root.string() + ": " + ec.message());
  CHZ_ASSIGN_OR_RETURN(InstallLock lock, InstallLock::take(root));
  step("locked");

  InstallResult res{id, pkg.course.version, std::nullopt};
  auto cur = installed_version(data, id);
  if (cur.ok()) {
    res.previous = *cur;
    if (pkg.course.version <= *cur)
      return Error(Code::kConflict,
                   "course " + id + " version " + std::to_string(pkg.course.version) +
                       " is not newer than the installed version " + std::to_string(*cur),
                   "content.downgrade");
  } else if (cur.status().code() != Code::kNotFound) {
    return cur.status();
  }

  // Staging leftovers of an interrupted install are garbage now.
  for (const auto& e : fs::directory_iterator(root, ec))
    if (e.path().filename().string().rfind(".tmp-", 0) == 0) fs::remove_all(e.path(), ec);

  std::array<std::uint8_t, 8> rnd;
  random_bytes(rnd);
  fs::path tmp = root / (".tmp-" + hex(rnd));
  if (!fs::create_directory(tmp, ec) || ec)
    return Error(Code::kIoError, "cannot create " + tmp.string());
  auto fail = [&](Status st) {
    fs::remove_all(tmp, ec);
    return st;
  };

  std::set<fs::path> dirs{tmp};
  auto write_one = [&](const std::string& path, const std::string& bytes) -> Status {
    fs::path f = tmp / path;
    for (fs::path d = f.parent_path(); d != tmp && !dirs.count(d); d = d.parent_path())
      dirs.insert(d);
    fs::create_directories(f.parent_path(), ec);
    if (ec) return Error(Code::kIoError, "cannot create " + f.parent_path().string());
    CHZ_TRY(write_durable(f, bytes));
    step("file");
    return OkStatus();
  };
  if (Status st = write_one(std::string(kManifestPath), pkg.manifest_bytes); !st.ok())
    return fail(st);
  if (Status st = write_one(std::string(kSignaturePath), pkg.signature_bytes); !st.ok())
    return fail(st);
  for (const auto& [path, bytes] : pkg.files)
    if (Status st = write_one(path, bytes); !st.ok()) return fail(st);
  for (auto it = dirs.rbegin(); it != dirs.rend(); ++it)
    if (Status st = fsync_dir(*it); !st.ok()) return fail(st);
  step("staged");

  // Verify what reached the disk, as a reader will see it.
  auto man = read_manifest(tmp);
  if (!man.ok()) return fail(man.status());
  auto on_disk = assemble_course(*man, [&](const std::string& p) { return read_pinned(tmp, p); });
  if (!on_disk.ok()) return fail(on_disk.status());
  step("checked");

  fs::path course_dir = root / id;
  if (!fs::exists(course_dir, ec)) {
    fs::create_directory(course_dir, ec);
    if (ec) return fail(Error(Code::kIoError, "cannot create " + course_dir.string()));
    if (Status st = fsync_dir(root); !st.ok()) return fail(st);
  }
  // A pointer temp file left by a crash inside write_file_atomic is garbage.
  for (const auto& e : fs::directory_iterator(course_dir, ec))
    if (e.path().filename().string().rfind("current.tmp-", 0) == 0) fs::remove(e.path(), ec);
  fs::path final_dir = course_dir / version_dir_name(res.version);
  fs::remove_all(final_dir, ec);  // a half-finished earlier attempt at this version, never in use
  if (::rename(tmp.c_str(), final_dir.c_str()) != 0)
    return fail(io_error("cannot move into " + final_dir.string()));
  CHZ_TRY(fsync_dir(root));
  CHZ_TRY(fsync_dir(course_dir));
  step("renamed");
  // The switch: one atomic rename of the pointer file.
  CHZ_TRY(write_file_atomic(course_dir / "current", std::to_string(res.version) + "\n", 0644));
  step("switched");
  return res;
}

Result<std::vector<InstalledCourse>> list_installed(const fs::path& data) {
  std::vector<InstalledCourse> out;
  std::error_code ec;
  fs::path root = content_root(data);
  if (!fs::is_directory(root, ec)) return out;
  for (const auto& e : fs::directory_iterator(root, ec)) {
    std::string id = e.path().filename().string();
    if (!e.is_directory() || id.empty() || id[0] == '.' || !check_course_id(id).ok()) continue;
    auto v = installed_version(data, id);
    if (!v.ok()) continue;
    InstalledCourse ic;
    ic.id = id;
    ic.version = *v;
    auto man = read_manifest(e.path() / version_dir_name(*v));
    if (man.ok()) {
      ic.name = man->course.name;
      ic.level = man->course.level;
    }
    for (const auto& d : fs::directory_iterator(e.path(), ec)) {
      std::string n = d.path().filename().string();
      if (d.is_directory() && n.size() > 1 && n[0] == 'v' &&
          n.find_first_not_of("0123456789", 1) == std::string::npos)
        ic.kept_versions.push_back(std::stoll(n.substr(1)));
    }
    std::sort(ic.kept_versions.begin(), ic.kept_versions.end());
    out.push_back(std::move(ic));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

Result<Course> load_installed(const fs::path& data, std::string_view id,
                              std::optional<std::int64_t> version) {
  CHZ_ASSIGN_OR_RETURN(fs::path dir, version_dir(data, id, version));
  CHZ_ASSIGN_OR_RETURN(Manifest m, read_manifest(dir));
  if (m.course.id != id) return Error(Code::kCorrupt, "installed manifest names another course");
  return assemble_course(
      m, [&](const std::string& p) { return read_pinned(dir, p); }, /*check_media=*/false);
}

Result<std::string> read_installed_file(const fs::path& data, std::string_view id,
                                        std::int64_t version, std::string_view path) {
  CHZ_ASSIGN_OR_RETURN(fs::path dir, version_dir(data, id, version));
  CHZ_ASSIGN_OR_RETURN(Manifest m, read_manifest(dir));
  for (const auto& f : m.files) {
    if (f.path != path) continue;
    CHZ_ASSIGN_OR_RETURN(std::string bytes, read_pinned(dir, f.path));
    if (bytes.size() != f.size || hex(sha256(bytes)) != f.sha256)
      return Error(Code::kTampered, f.path + " differs from the manifest", "content.hash_mismatch");
    return bytes;
  }
  return Error(Code::kNotFound, std::string(path) + " is not in the package");
}

Status verify_installed(const fs::path& data, std::string_view id, std::int64_t version,
                        const std::vector<Key32>& trusted) {
  CHZ_ASSIGN_OR_RETURN(fs::path dir, version_dir(data, id, version));
  // Re-run the full package check over the files on disk.
  std::vector<ArchiveEntry> entries;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(dir, ec)) {
    if (e.is_symlink())
      return Error(Code::kTampered, e.path().string() + " is a link", "content.link");
    if (!e.is_regular_file()) continue;
    CHZ_ASSIGN_OR_RETURN(std::string bytes, read_file(e.path()));
    entries.push_back({fs::relative(e.path(), dir).generic_string(), std::move(bytes)});
  }
  CHZ_ASSIGN_OR_RETURN(std::string tar, write_tar_gz(entries));
  CHZ_ASSIGN_OR_RETURN(Package p, open_package(tar, trusted));
  if (p.course.id != id || p.course.version != version)
    return Error(Code::kCorrupt, "installed folder holds another course or version");
  return OkStatus();
}

Status prune_versions(const fs::path& data, std::string_view id,
                      const std::set<std::int64_t>& keep) {
  CHZ_ASSIGN_OR_RETURN(std::int64_t cur, installed_version(data, id));
  fs::path course_dir = content_root(data) / std::string(id);
  CHZ_ASSIGN_OR_RETURN(InstallLock lock, InstallLock::take(content_root(data)));
  std::error_code ec;
  for (const auto& d : fs::directory_iterator(course_dir, ec)) {
    std::string n = d.path().filename().string();
    if (!d.is_directory() || n.size() < 2 || n[0] != 'v' ||
        n.find_first_not_of("0123456789", 1) != std::string::npos)
      continue;
    std::int64_t v = std::stoll(n.substr(1));
    if (v == cur || keep.count(v)) continue;
    fs::remove_all(d.path(), ec);
    if (ec)
      return Error(Code::kIoError, "cannot remove " + d.path().string() + ": " + ec.message());
  }
  return fsync_dir(course_dir);
}

}  // namespace chz::content
