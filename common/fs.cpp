#include "common/fs.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "common/crypto.h"

namespace chz {

static Status errno_status(std::string what, int e) {
  Code c = Code::kIoError;
  if (e == ENOSPC || e == EDQUOT) c = Code::kDiskFull;
  if (e == EROFS || e == EACCES || e == EPERM) c = Code::kReadOnly;
  if (e == ENOENT) c = Code::kNotFound;
  return Status(c, what + ": " + std::strerror(e));
}

// Opens `path` read-only with `flags`, then fsync (or fdatasync) and close.
static Status sync_path(const std::filesystem::path& path, int flags, bool data_only,
                        const std::string& what) {
  int fd = ::open(path.empty() ? "." : path.c_str(), O_RDONLY | O_CLOEXEC | flags);
  if (fd < 0) return errno_status("cannot open " + what + path.string(), errno);
  int rc = data_only ? ::fdatasync(fd) : ::fsync(fd);
  int e = errno;
  ::close(fd);
  if (rc != 0) return errno_status("cannot fsync " + what + path.string(), e);
  return OkStatus();
}

Status fsync_dir(const std::filesystem::path& dir) {
  return sync_path(dir, O_DIRECTORY, false, "folder ");
}

static Status write_all(int fd, std::string_view data) {
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_status("write failed", errno);
    }
    off += static_cast<size_t>(n);
  }
  return OkStatus();
}

Status write_file_atomic(const std::filesystem::path& path, std::string_view data, unsigned mode) {
  std::array<std::uint8_t, 6> r;
  random_bytes(r);
  auto tmp = path;
  tmp += ".tmp-" + hex(r);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) return errno_status("cannot create " + tmp.string(), errno);
  // The umask may have narrowed the mode; set it exactly.
  Status st = ::fchmod(fd, mode) == 0 ? OkStatus() : errno_status("chmod failed", errno);
  if (st.ok()) st = write_all(fd, data);
  if (st.ok() && ::fsync(fd) != 0) st = errno_status("fsync failed", errno);
  if (::close(fd) != 0 && st.ok()) st = errno_status("close failed", errno);
  if (st.ok() && ::rename(tmp.c_str(), path.c_str()) != 0)
    st = errno_status("cannot rename into " + path.string(), errno);
  if (!st.ok()) {
    ::unlink(tmp.c_str());
    return st;
  }
  return fsync_dir(path.parent_path());
}

Result<std::string> read_file(const std::filesystem::path& path, std::size_t max_bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno_status("cannot open " + path.string(), errno);
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      ::close(fd);
      return errno_status("cannot read " + path.string(), e);
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
    if (out.size() > max_bytes) {
      ::close(fd);
      return Status(Code::kTooLarge,
                    path.string() + " is larger than " + std::to_string(max_bytes) + " bytes");
    }
  }
  ::close(fd);
  return out;
}

Status fsync_file(const std::filesystem::path& path) {
  return sync_path(path, 0, true, "");
}

Status create_private_file(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return OkStatus();
    return errno_status("cannot create " + path.string(), errno);
  }
  // The umask may have narrowed the mode (never widened it); set it exactly.
  Status st = ::fchmod(fd, 0600) == 0 ? OkStatus() : errno_status("chmod failed", errno);
  ::close(fd);
  return st;
}

FileLock& FileLock::operator=(FileLock&& o) noexcept {
  if (this != &o) {
    release();
    fd_ = o.fd_;
    mode_ = o.mode_;
    o.fd_ = -1;
  }
  return *this;
}

void FileLock::release() {
  if (fd_ >= 0) ::close(fd_);  // closing the description drops its OFD lock
  fd_ = -1;
}

// One non-blocking attempt; true if taken, false if another holder conflicts.
static Result<bool> try_ofd_lock(int fd, FileLock::Mode mode) {
  struct flock fl {};
  fl.l_type = mode == FileLock::Mode::kExclusive ? F_WRLCK : F_RDLCK;
  fl.l_whence = SEEK_SET;
  fl.l_start = 0;
  fl.l_len = 0;  // the whole file
  for (;;) {
    if (::fcntl(fd, F_OFD_SETLK, &fl) == 0) return true;
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EACCES) return false;
    return errno_status("cannot lock", errno);
  }
}

// Polls rather than F_OFD_SETLKW so the wait is bounded; 10 ms steps.
static Status lock_with_wait(int fd, FileLock::Mode mode, int wait_ms) {
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
  for (;;) {
    CHZ_ASSIGN_OR_RETURN(bool got, try_ofd_lock(fd, mode));
    if (got) return OkStatus();
    if (std::chrono::steady_clock::now() >= until)
      return Status(Code::kUnavailable,
                    mode == FileLock::Mode::kExclusive
                        ? "the store is busy: another program has it open (the kiosk UI, its "
                          "sync, a kioskctl command or the server); nothing was changed"
                        : "the store is busy: another program holds it exclusively (a key "
                          "rotation or a new store being created); try again in a moment",
                    "store.busy");
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

Result<FileLock> FileLock::acquire(const std::filesystem::path& path, Mode mode, int wait_ms) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return errno_status("cannot open lock file " + path.string(), errno);
  FileLock lk;
  lk.fd_ = fd;
  lk.mode_ = mode;
  CHZ_TRY(lock_with_wait(fd, mode, wait_ms));
  return lk;
}

Status FileLock::convert(Mode mode, int wait_ms) {
  if (fd_ < 0) return Status(Code::kFailedPrecondition, "no lock held");
  if (mode == mode_) return OkStatus();
  CHZ_TRY(lock_with_wait(fd_, mode, wait_ms));
  mode_ = mode;
  return OkStatus();
}

}  // namespace chz
