// A throwaway PostgreSQL for tests and benches: initdb in a temp folder
// (as the unprivileged system user `chzpg` when running as root, created
// with useradd -r if missing), its unix socket in its own temp folder, TCP
// on 127.0.0.1 at a free port, fsync off; stopped and removed on destruction.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "common/status.h"

namespace chz::synctest {

class PgFixture {
 public:
  static Result<std::unique_ptr<PgFixture>> start();
  // One server per test process, started on first use (tests only).
  static Result<PgFixture*> shared();
  // Creates a fresh database and returns its URL.
  Result<std::string> new_database();
  ~PgFixture();
  std::string url(
      const std::string& db = "postgres") const;  // postgresql://postgres@127.0.0.1:<port>/<db>

 private:
  PgFixture() = default;
  std::filesystem::path root_;
  std::string bindir_, prefix_;
  int port_ = 0;
  bool running_ = false;
  int databases_ = 0;
};

}  // namespace chz::synctest
