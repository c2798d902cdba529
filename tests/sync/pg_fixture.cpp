#include "tests/sync/pg_fixture.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <pqxx/pqxx>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <random>

namespace chz::synctest {
namespace {
std::string capture(const std::string& cmd) {
  std::string out;
  FILE* f = popen(cmd.c_str(), "r");
  if (!f) return out;
  std::array<char, 256> buf{};
  while (fgets(buf.data(), buf.size(), f)) out += buf.data();
  pclose(f);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}
int free_port() {
  int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t len = sizeof a;
  int port = 0;
  if (::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) == 0)
    port = ntohs(a.sin_port);
  ::close(s);
  return port;
}
}  // namespace

Result<std::unique_ptr<PgFixture>> PgFixture::start() {
  std::unique_ptr<PgFixture> f(new PgFixture());
  f->bindir_ = capture("pg_config --bindir 2>/dev/null");
  if (f->bindir_.empty() || !std::filesystem::exists(f->bindir_ + "/initdb"))
    f->bindir_ = "/usr/lib/postgresql/15/bin";
  if (!std::filesystem::exists(f->bindir_ + "/initdb"))
    return Status(Code::kUnavailable, "no PostgreSQL binaries");
  std::random_device rd;
  f->root_ = std::filesystem::temp_directory_path() / ("chz-pg-" + std::to_string(rd()));
  std::filesystem::create_directories(f->root_ / "sock");
  if (::geteuid() == 0) {
    if (std::system("id chzpg >/dev/null 2>&1 || useradd -r -M -s /usr/sbin/nologin chzpg "
                    ">/dev/null 2>&1") != 0)
      return Status(Code::kUnavailable, "cannot create the chzpg user");
    if (std::system(("chown -R chzpg " + f->root_.string()).c_str()) != 0)
      return Status(Code::kUnavailable, "cannot chown the PostgreSQL folder");
    std::filesystem::permissions(f->root_, std::filesystem::perms::owner_all);
    f->prefix_ = "runuser -u chzpg -- ";
  }
  f->port_ = free_port();
  std::string data = (f->root_ / "data").string();
  std::string init = f->prefix_ + f->bindir_ + "/initdb -D " + data +
                     " -A trust -U postgres --no-sync -E UTF8 --locale=C.UTF-8 >" +
                     (f->root_ / "initdb.log").string() + " 2>&1";
  if (std::system(init.c_str()) != 0)
    return Status(Code::kUnavailable, "initdb failed (see " + f->root_.string() + ")");
  std::string opts =
      "-k " + (f->root_ / "sock").string() + " -p " + std::to_string(f->port_) +
      " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200 -c shared_buffers=64MB";
  std::string start = f->prefix_ + f->bindir_ + "/pg_ctl -D " + data + " -w -t 60 -o \"" + opts +
                      "\" -l " + (f->root_ / "pg.log").string() + " start >/dev/null 2>&1";
  if (std::system(start.c_str()) != 0)
    return Status(Code::kUnavailable, "PostgreSQL did not start");
  f->running_ = true;
  return f;
}

PgFixture::~PgFixture() {
  if (running_ && std::system((prefix_ + bindir_ + "/pg_ctl -D " + (root_ / "data").string() +
                               " -m immediate stop >/dev/null 2>&1")
                                  .c_str()) != 0) {
  }
  std::error_code ec;
  std::filesystem::remove_all(root_, ec);
}

std::string PgFixture::url(const std::string& db) const {
  return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" + db;
}

Result<PgFixture*> PgFixture::shared() {
  static std::mutex mu;
  static std::unique_ptr<PgFixture> one;
  std::lock_guard g(mu);
  if (!one) {
    CHZ_ASSIGN_OR_RETURN(one, start());
  }
  return one.get();
}

Result<std::string> PgFixture::new_database() {
  std::string name = "chz_test_" + std::to_string(++databases_);
  try {
    pqxx::connection c(url());
    pqxx::nontransaction n(c);
    n.exec("CREATE DATABASE " + name);
  } catch (const std::exception& e) {
    return Status(Code::kUnavailable, std::string("cannot create a test database: ") + e.what());
  }
  return url(name);
}

}  // namespace chz::synctest
