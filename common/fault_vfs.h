// A SQLite VFS that wraps the default one and fails on purpose: the N-th
// write or the N-th sync from now returns SQLITE_IOERR (or SQLITE_FULL).
// Tests use it to prove that a failed transaction leaves the store exactly
// as it was. SQLite keeps VFSes in a process-wide list, so this is the one
// piece of global state outside the UI; it is inert unless armed.
#pragma once

#include <atomic>

namespace chz {

struct FaultPlan {
  // Fail the write/sync whose 1-based count since arm() equals this; 0 = never.
  std::atomic<long> fail_write_at{0};
  std::atomic<long> fail_sync_at{0};
  std::atomic<bool> disk_full{false};  // report SQLITE_FULL instead of IOERR
  std::atomic<long> writes{0};
  std::atomic<long> syncs{0};
  std::atomic<long> failures{0};
  void arm(long write_at, long sync_at, bool full = false) {
    writes = 0;
    syncs = 0;
    failures = 0;
    disk_full = full;
    fail_write_at = write_at;
    fail_sync_at = sync_at;
  }
  void disarm() { arm(0, 0); }
};

inline constexpr const char* kFaultVfsName = "chz-fault";

// Registers the VFS (once) and returns its plan.
FaultPlan& fault_vfs();

}  // namespace chz
