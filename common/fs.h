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
// fsync an existing file's data and size (fdatasync).
Status fsync_file(const std::filesystem::path& path);
// Creates `path` empty with mode 0600 whatever the umask (an existing file
// is left as it is). SQLite creates a database 0644 minus the umask and gives
// its -wal and -shm files the database's mode, so a store file made here
// first stays private with all its companions.
Status create_private_file(const std::filesystem::path& path);

// An advisory lock on a lock file, held through one open file description
// (Linux OFD locks, fcntl F_OFD_SETLK): two holders in one process exclude
// each other like two processes do, closing some other descriptor of the
// file never drops it, and the kernel drops it when the holder dies.
// Shared = "I have the store open"; exclusive = "nobody else may".
class FileLock {
 public:
  enum class Mode { kShared, kExclusive };
  FileLock() = default;
  FileLock(FileLock&& o) noexcept : fd_(o.fd_), mode_(o.mode_) { o.fd_ = -1; }
  FileLock& operator=(FileLock&& o) noexcept;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock() { release(); }

  // Opens (creating it 0600 if absent) and locks `path` in `mode`, waiting
  // up to `wait_ms` for a conflicting holder to go. kUnavailable (key
  // "store.busy") if it is still held then; kReadOnly/kIoError if the file
  // cannot be opened.
  static Result<FileLock> acquire(const std::filesystem::path& path, Mode mode, int wait_ms);
  // Converts the held lock, waiting up to `wait_ms`. Atomic: on failure the
  // lock held before is still held (kUnavailable, key "store.busy").
  Status convert(Mode mode, int wait_ms);
  bool held() const { return fd_ >= 0; }
  Mode mode() const { return mode_; }
  void release();

 private:
  int fd_ = -1;
  Mode mode_ = Mode::kShared;
};

}  // namespace chz
