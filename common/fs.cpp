#include "common/fs.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/crypto.h"

namespace chz {

static Status errno_status(std::string what, int e) {
  Code c = Code::kIoError;
  if (e == ENOSPC || e == EDQUOT) c = Code::kDiskFull;
  if (e == EROFS || e == EACCES || e == EPERM) c = Code::kReadOnly;
  if (e == ENOENT) c = Code::kNotFound;
  return Status(c, what + ": " + std::strerror(e));
}

Status fsync_dir(const std::filesystem::path& dir) {
  int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return errno_status("cannot open folder " + dir.string(), errno);
  int rc = ::fsync(fd);
  int e = errno;
  ::close(fd);
  if (rc != 0) return errno_status("cannot fsync folder " + dir.string(), e);
  return OkStatus();
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

Status copy_file_durable(const std::filesystem::path& from, const std::filesystem::path& to) {
  CHZ_ASSIGN_OR_RETURN(std::string data, read_file(from, std::size_t{16} << 30));
  return write_file_atomic(to, data, 0600);
}

}  // namespace chz
