#include "sync/server/commands_registry.h"

#include <fmt/format.h>

#include <memory>
#include <set>
#include <vector>

#include "common/fs.h"
#include "sync/server/county.h"
#include "sync/server/registry_import.h"
#include "sync/server/store.h"

namespace chz::server {
namespace {

struct Opened {
  std::unique_ptr<ServerStore> store;
  CountyKeys keys;
};
Result<Opened> open_county(const RegistryCliEnv& env) {
  CHZ_ASSIGN_OR_RETURN(CountyKeys k, load_county_keys(env.data));
  CHZ_ASSIGN_OR_RETURN(auto s, open_store(env.data, env.db));
  return Opened{std::move(s), std::move(k)};
}

void on(CLI::App* sub, const RegistryCliEnv& env, std::function<Status()> fn) {
  sub->callback([fail = env.fail, fn] {
    Status st = fn();
    if (!st.ok()) fail(st);
  });
}

// Refused rows, the first issues, and the --errors file.
Status report_issues(int data_rows, int header_row, const std::vector<RowIssue>& issues,
                     const std::string& errors_file) {
  std::set<int> refused;
  for (const auto& i : issues)
    if (i.fatal) refused.insert(i.row);
  fmt::print("读取数据行 {}（表头在第 {} 行）/ rows read {} (header row {})\n", data_rows,
             header_row, data_rows, header_row);
  fmt::print("未导入的行 / refused rows: {}；问题 / issues: {}\n", refused.size(), issues.size());
  constexpr std::size_t kShown = 20;
  for (std::size_t i = 0; i < issues.size() && i < kShown; ++i)
    fmt::print("第 {} 行 [{}]: {}\n", issues[i].row, issues[i].column, issues[i].what);
  if (issues.size() > kShown)
    fmt::print("…… 另有 {} 个问题 / {} more issues{}\n", issues.size() - kShown,
               issues.size() - kShown, errors_file.empty() ? " (--errors FILE lists all)" : "");
  if (!errors_file.empty()) {
    CHZ_TRY(write_file_atomic(errors_file, issues_csv(issues), 0600));
    fmt::print("问题清单 / issues written to {}\n", errors_file);
  }
  return OkStatus();
}

}  // namespace

void add_registry_commands(CLI::App& app, RegistryCliEnv env) {
  auto* reg = app.add_subcommand("registry", "the labour-force registry (劳动力花名册)");
  reg->require_subcommand(1);

  // Options live as long as the app: CLI11 writes them during parse.
  struct Args {
    std::string file, errors, today;
    bool dry_run = false;
  };
  auto a = std::make_shared<Args>();

  auto* imp = reg->add_subcommand("import", "import a registry file (CSV, XLSX, XLS)");
  imp->add_option("file", a->file, "the registry file")->required();
  imp->add_option("--errors", a->errors, "write the row issues as CSV (opens in Excel)");
  imp->add_flag("--dry-run", a->dry_run, "count what would change, write nothing");
  imp->add_option("--today", a->today, "YYYY-MM-DD: the day memberships start and end");
  on(imp, env, [env, a]() -> Status {
    CHZ_ASSIGN_OR_RETURN(Opened o, open_county(env));
    RegistryImportOptions opt;
    opt.dry_run = a->dry_run;
    opt.today = a->today.empty() ? format_date(china_date(env.clock.now_ms())) : a->today;
    CHZ_ASSIGN_OR_RETURN(RegistryImportResult r,
                         import_registry(*o.store, o.keys, a->file, opt, env.clock.now_ms()));
    CHZ_TRY(report_issues(r.file.data_rows, r.file.header_row, r.file.issues, a->errors));
    fmt::print("{}新增 / added {}，更新 / updated {}，未变 / unchanged {}，退出 / left {}\n",
               a->dry_run ? "[试运行 dry run，未写入] " : "", r.added, r.updated, r.unchanged,
               r.left);
    if (r.leaves_skipped)
      fmt::print(
          "有未导入的行，本次不登记退出（未导入的行可能是仍在册的人）/ rows were refused, so no "
          "one was marked as left\n");
    return OkStatus();
  });

  auto* cert = reg->add_subcommand("import-certificates",
                                   "import certificates people already hold (持证名单)");
  cert->add_option("file", a->file, "the certificate list")->required();
  cert->add_option("--errors", a->errors, "write the row issues as CSV (opens in Excel)");
  cert->add_flag("--dry-run", a->dry_run, "count what would change, write nothing");
  on(cert, env, [env, a]() -> Status {
    CHZ_ASSIGN_OR_RETURN(Opened o, open_county(env));
    CHZ_ASSIGN_OR_RETURN(
        HeldImportResult r,
        import_held_certificates(*o.store, o.keys, a->file, a->dry_run, env.clock.now_ms()));
    CHZ_TRY(report_issues(r.file.data_rows, r.file.header_row, r.file.issues, a->errors));
    fmt::print("{}新增 / added {}，已有 / unchanged {}\n",
               a->dry_run ? "[试运行 dry run，未写入] " : "", r.added, r.unchanged);
    return OkStatus();
  });

  on(reg->add_subcommand("status", "registry members, leavers, people not in the registry"), env,
     [env]() -> Status {
       CHZ_ASSIGN_OR_RETURN(Opened o, open_county(env));
       CHZ_ASSIGN_OR_RETURN(RegistryCounts c, registry_counts(*o.store));
       fmt::print("在册 / registry members today: {}\n", c.members);
       fmt::print("已退出 / left: {}\n", c.left);
       fmt::print("不在花名册的人员 / people not in the registry: {}\n", c.not_in_registry);
       return OkStatus();
     });
}

}  // namespace chz::server
