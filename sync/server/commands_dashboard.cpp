#include "sync/server/commands_dashboard.h"

#include <fmt/format.h>
#include <termios.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <iostream>
#include <memory>

#include "sync/server/dashboard_auth.h"
#include "sync/server/routes.h"

namespace chz::server {
namespace {
namespace fs = std::filesystem;

// One line from standard input; with echo off when it is a terminal.
Result<std::string> read_secret(const std::string& prompt) {
  bool tty = isatty(STDIN_FILENO) == 1;
  termios old{};
  if (tty) {
    std::cerr << prompt << std::flush;
    tcgetattr(STDIN_FILENO, &old);
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  bool got = static_cast<bool>(std::getline(std::cin, line));
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::cerr << "\n";
  }
  if (!got) return Status(Code::kInvalidArgument, "no password on standard input", "user.password");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// The new password: typed twice at a terminal, once from a pipe.
Result<dash::PasswordHash> new_password(const std::string& name) {
  CHZ_ASSIGN_OR_RETURN(std::string pw, read_secret("password for " + name + ": "));
  if (isatty(STDIN_FILENO) == 1) {
    CHZ_ASSIGN_OR_RETURN(std::string again, read_secret("again: "));
    if (again != pw)
      return Status(Code::kInvalidArgument, "the two passwords differ", "user.password");
  }
  CHZ_TRY(dash::check_password_policy(name, pw));
  return dash::hash_password(pw);
}

Status with_tables(ServerStore& s, const std::function<Status(Sql&)>& fn) {
  return s.model([&](ModelTx& tx) {
    CHZ_TRY(dash::create_tables(tx.sql()));
    return fn(tx.sql());
  });
}

// The command line's own entry in the audit chain.
Status audit_cli(Sql& sql, std::string_view what, const std::string& detail, std::int64_t now) {
  return dash::audit(sql, "(command line)", "", what, detail, "", now);
}

}  // namespace

std::string default_web_dir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  for (fs::path p : {exe.parent_path() / ".." / "share" / "chizheng-server" / "web",
                     exe.parent_path() / ".." / ".." / "web"})
    if (fs::exists(p / "index.html", ec)) return fs::weakly_canonical(p, ec).string();
  return {};
}

void add_dashboard_commands(CLI::App& app, const CliHooks& hooks) {
  auto* user = app.add_subcommand("user", "dashboard users: add, reset, unlock, list");
  user->require_subcommand(1);
  auto name = std::make_shared<std::string>();
  auto role = std::make_shared<std::string>("viewer");
  auto run = [hooks](std::function<Status(ServerStore&)> fn) {
    return [hooks, fn] {
      Status st = [&]() -> Status {
        CHZ_ASSIGN_OR_RETURN(auto store, hooks.open());
        return fn(*store);
      }();
      if (!st.ok()) hooks.fail(st);
    };
  };

  auto* add = user->add_subcommand(
      "add", "create a user; the password is read from the terminal or standard input");
  add->add_option("--name", *name, "user name")->required();
  add->add_option("--role", *role, "viewer|admin|security|audit")->required();
  add->callback(run([name, role, hooks](ServerStore& s) -> Status {
    CHZ_ASSIGN_OR_RETURN(dash::Role r, dash::parse_role(*role));
    CHZ_TRY(dash::check_user_name(*name));
    CHZ_ASSIGN_OR_RETURN(dash::PasswordHash h, new_password(*name));
    CHZ_TRY(with_tables(s, [&](Sql& sql) {
      CHZ_TRY(dash::add_user(sql, *name, r, h, hooks.now_ms()));
      return audit_cli(sql, "user_add", *name + " " + *role, hooks.now_ms());
    }));
    std::cout << "user " << *name << " (" << *role << ") added\n";
    return OkStatus();
  }));

  auto* reset =
      user->add_subcommand("reset", "set a new password (read as for add); ends sessions");
  reset->add_option("--name", *name, "user name")->required();
  reset->callback(run([name, hooks](ServerStore& s) -> Status {
    CHZ_TRY(with_tables(s, [&](Sql& sql) { return dash::user(sql, *name).status(); }));
    CHZ_ASSIGN_OR_RETURN(dash::PasswordHash h, new_password(*name));
    CHZ_TRY(with_tables(s, [&](Sql& sql) {
      CHZ_TRY(dash::set_password(sql, *name, h, hooks.now_ms()));
      return audit_cli(sql, "user_reset", *name, hooks.now_ms());
    }));
    std::cout << "password of " << *name << " reset\n";
    return OkStatus();
  }));

  auto* unlock = user->add_subcommand("unlock", "end a lock after wrong passwords");
  unlock->add_option("--name", *name, "user name")->required();
  unlock->callback(run([name, hooks](ServerStore& s) -> Status {
    CHZ_TRY(with_tables(s, [&](Sql& sql) {
      CHZ_TRY(dash::unlock_user(sql, *name, hooks.now_ms()));
      return audit_cli(sql, "user_unlock", *name, hooks.now_ms());
    }));
    std::cout << *name << " unlocked\n";
    return OkStatus();
  }));

  user->add_subcommand("list", "list the users")->callback(run([hooks](ServerStore& s) -> Status {
    return with_tables(s, [&](Sql& sql) -> Status {
      CHZ_ASSIGN_OR_RETURN(auto list, dash::users(sql));
      std::int64_t now = hooks.now_ms();
      for (const auto& u : list)
        fmt::print("{}\t{}\t{}\n", u.name, dash::role_name(u.role),
                   u.disabled                ? "disabled"
                   : u.locked_until_ms > now ? "locked"
                                             : "active");
      return OkStatus();
    });
  }));

  auto* audit = app.add_subcommand("audit", "the server's audit chain of dashboard actions");
  audit->require_subcommand(1);
  audit->add_subcommand("verify", "recompute the chain; exit 1 naming the first bad entries")
      ->callback(run([hooks](ServerStore& s) -> Status {
        std::vector<std::string> problems;
        std::int64_t n = 0;
        CHZ_TRY(with_tables(s, [&](Sql& sql) -> Status {
          CHZ_ASSIGN_OR_RETURN(problems, dash::verify_audit(sql));
          CHZ_ASSIGN_OR_RETURN(n, sql.scalar("SELECT count(*) FROM dash_audit"));
          return OkStatus();
        }));
        if (!problems.empty()) {
          for (const auto& p : problems) std::cout << p << "\n";
          return Status(Code::kTampered,
                        fmt::format("the audit chain is broken ({} problems)", problems.size()),
                        "audit.broken");
        }
        std::cout << "audit chain intact: " << n << " entries\n";
        return OkStatus();
      }));
  audit->add_subcommand("list", "print the entries")->callback(run([](ServerStore& s) -> Status {
    return with_tables(s, [&](Sql& sql) -> Status {
      std::int64_t after = 0;
      for (;;) {
        CHZ_ASSIGN_OR_RETURN(auto list, dash::audit_after(sql, after, 500));
        if (list.empty()) return OkStatus();
        for (const auto& e : list)
          fmt::print("{}\t{}\t{}\t{}\t{}\t{}\t{}\n", e.seq, format_china_time(e.at_ms), e.who,
                     e.role, e.what, e.detail, e.peer);
        after = list.back().seq;
      }
    });
  }));

  app.add_subcommand("routes", "the HTTP route table as JSON: method, path, roles")->callback([] {
    nlohmann::json j = nlohmann::json::array();
    for (const Route& r : all_routes())
      j.push_back({{"method", r.method},
                   {"path", r.path},
                   {"prefix", r.segment},
                   {"signed", r.is_signed},
                   {"dashboard", r.dashboard},
                   {"roles", dash::role_names(r.roles)}});
    std::cout << j.dump(1) << "\n";
  });
}

}  // namespace chz::server
