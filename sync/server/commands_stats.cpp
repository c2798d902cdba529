#include "sync/server/commands_stats.h"

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <iostream>

#include "common/clock.h"
#include "common/fs.h"
#include "sync/server/county_model.h"
#include "sync/server/indicators.h"
#include "sync/server/report_table.h"
#include "sync/server/roster.h"
#include "sync/server/targets.h"

namespace chz::server {
namespace {

struct ReportArgs {
  std::string from, to, by = "total", format = "text", out, unit = "县人力资源和社会保障局";
  bool employed = false;
  int silent_days = 7;
};

std::string today(std::int64_t now) {
  return format_date(china_date(now));
}

// A plain-text table for the terminal: the cut, then each indicator.
std::string text_table(const ReportTable& t) {
  std::string out = t.title + "  " + t.period + "\n";
  auto cell = [&](const ReportCell& c, const ReportColumn& col) {
    return report_cell_text(c, col.type);
  };
  for (const auto& c : t.columns) out += c.title + "\t";
  out += "\n";
  for (const auto& r : t.rows) {
    for (std::size_t i = 0; i < r.size() && i < t.columns.size(); ++i)
      out += cell(r[i], t.columns[i]) + "\t";
    out += "\n";
  }
  if (!t.total.empty()) {
    for (std::size_t i = 0; i < t.total.size() && i < t.columns.size(); ++i)
      out += cell(t.total[i], t.columns[i]) + "\t";
    out += "\n";
  }
  for (const auto& n : t.notes) out += "注：" + n + "\n";
  return out;
}

Status write_out(const std::string& path, const std::string& bytes) {
  if (path.empty() || path == "-") {
    std::cout << bytes;
    return OkStatus();
  }
  return write_file_atomic(path, bytes);
}

// A table in the chosen format, to `path` or standard output.
Status emit_table(const ReportTable& t, const std::string& format, const std::string& path) {
  CHZ_TRY(check_report_table(t));
  if (format == "xlsx") {
    if (path.empty()) return Status(Code::kInvalidArgument, "--format xlsx needs -o FILE");
    CHZ_TRY(write_report_xlsx(t, path));
    std::cout << "wrote " << path << "\n";
    return OkStatus();
  }
  if (format != "text" && format != "json" && format != "csv")
    return Status(Code::kInvalidArgument, "--format is text, json, csv or xlsx");
  return write_out(path, format == "json"  ? report_json(t) + "\n"
                         : format == "csv" ? report_csv(t)
                                           : text_table(t));
}

void add_target_commands(CLI::App& app, const CliHooks& hooks);

}  // namespace

void add_stats_commands(CLI::App& app, const CliHooks& hooks) {
  auto a = std::make_shared<ReportArgs>();
  auto* rep = app.add_subcommand(
      "report", "certification statistics for a period, cut one way (指标口径见下)");
  rep->footer("指标 (indicators):\n" + stats::definitions_text());
  rep->add_option("--from", a->from, "first day, YYYY-MM-DD (China time)")->required();
  rep->add_option("--to", a->to, "last day, YYYY-MM-DD (included)")->required();
  rep->add_option(
      "--by", a->by,
      "total|township|residence|site|occupation|level|class|group|gender|age|month|county "
      "(county: at a city or province)");
  rep->add_option("--format", a->format, "text|json|csv|xlsx (xlsx needs -o)");
  rep->add_option("-o,--output", a->out, "write to this file instead of standard output");
  rep->add_option("--unit", a->unit, "填报单位");
  rep->add_flag("--employed", a->employed, "从业人员持证率: only employed registry people");
  rep->callback([a, hooks] {
    Status st = [&]() -> Status {
      CHZ_ASSIGN_OR_RETURN(stats::Cut cut, stats::parse_cut(a->by));
      if (a->format != "text" && a->format != "json" && a->format != "csv" && a->format != "xlsx")
        return Status(Code::kInvalidArgument, "--format is text, json, csv or xlsx");
      if (a->format == "xlsx" && a->out.empty())
        return Status(Code::kInvalidArgument, "--format xlsx needs -o FILE");
      CHZ_ASSIGN_OR_RETURN(auto store, hooks.open());
      stats::Query q{a->from, a->to, cut, a->employed};
      stats::Report r;
      CHZ_TRY(store->model([&](ModelTx& tx) -> Status {
        CHZ_ASSIGN_OR_RETURN(r, stats::compute(tx.sql(), q));
        return OkStatus();
      }));
      return emit_table(stats::to_table(r, a->unit, today(hooks.now_ms())), a->format, a->out);
    }();
    if (!st.ok()) hooks.fail(st);
  });

  auto* roster = app.add_subcommand(
      "roster", "a class's subsidy roster (培训补贴申领花名册): hours, results, certificates");
  auto cls = std::make_shared<std::string>();
  roster->add_option("--class", *cls, "class id")->required();
  roster->add_option("--format", a->format, "text|json|csv|xlsx (xlsx needs -o)");
  roster->add_option("-o,--output", a->out, "write to this file instead of standard output");
  roster->add_option("--unit", a->unit, "填报单位");
  roster->callback([a, cls, hooks] {
    Status st = [&]() -> Status {
      if (a->format == "xlsx" && a->out.empty())
        return Status(Code::kInvalidArgument, "--format xlsx needs -o FILE");
      CHZ_ASSIGN_OR_RETURN(auto store, hooks.open());
      ReportTable t;
      CHZ_TRY(store->model([&](ModelTx& tx) -> Status {
        CHZ_ASSIGN_OR_RETURN(t, class_roster(tx.sql(), *cls, 0, a->unit, today(hooks.now_ms())));
        return OkStatus();
      }));
      return emit_table(t, a->format, a->out);
    }();
    if (!st.ok()) hooks.fail(st);
  });

  auto* stats_cmd = app.add_subcommand("stats", "check the statistics and the kiosks' freshness");
  stats_cmd->require_subcommand(1);
  auto* verify = stats_cmd->add_subcommand(
      "verify",
      "recount the derived rows and pre-aggregated facts from the base tables, and every "
      "cut's report both ways; fail on any difference");
  verify->add_option("--from", a->from, "first day (default 2000-01-01)");
  verify->add_option("--to", a->to, "last day (default today)");
  verify->callback([a, hooks] {
    Status st = [&]() -> Status {
      CHZ_ASSIGN_OR_RETURN(auto store, hooks.open());
      stats::Query q{a->from.empty() ? "2000-01-01" : a->from,
                     a->to.empty() ? today(hooks.now_ms()) : a->to};
      std::vector<std::string> diffs;
      CHZ_TRY(store->model([&](ModelTx& tx) -> Status {
        CHZ_ASSIGN_OR_RETURN(diffs, stats::verify(tx.sql(), q));
        return OkStatus();
      }));
      for (const auto& d : diffs) std::cout << d << "\n";
      if (!diffs.empty())
        return Status(Code::kCorrupt, fmt::format("{} differences", diffs.size()), "stats.verify");
      std::cout << "stats verify: the model agrees with its base tables\n";
      return OkStatus();
    }();
    if (!st.ok()) hooks.fail(st);
  });
  auto* fresh = stats_cmd->add_subcommand(
      "freshness", "each kiosk's last sync, silent kiosks, certificates awaiting a decision");
  fresh->add_option("--silent-days", a->silent_days, "a kiosk is silent after this many days");
  fresh->callback([a, hooks] {
    Status st = [&]() -> Status {
      CHZ_ASSIGN_OR_RETURN(auto store, hooks.open());
      stats::Freshness f;
      std::int64_t now = hooks.now_ms();
      CHZ_TRY(store->model([&](ModelTx& tx) -> Status {
        CHZ_ASSIGN_OR_RETURN(f, stats::freshness(tx.sql(), now, a->silent_days));
        return OkStatus();
      }));
      for (const auto& d : f.devices)
        std::cout << d.device << "\t" << d.site_name << "\t" << format_china_time(d.last_ms) << "\t"
                  << d.records << " records" << (d.silent ? "\t未同步 / silent" : "") << "\n";
      for (const auto& c : f.counties)
        std::cout << c.area << "\t" << c.name << "\t"
                  << (c.last_ms > 0 ? format_china_time(c.last_ms) : std::string("-")) << "\t"
                  << c.records << " records, " << c.kiosks << " kiosks (" << c.silent << " silent)"
                  << (c.behind ? "\t未报送 / behind" : "") << "\n";
      std::cout << f.devices.size() << " kiosks, " << f.silent << " silent for " << a->silent_days
                << " days or more; " << f.pending_certificates
                << " certificates awaiting the county's decision\n";
      return OkStatus();
    }();
    if (!st.ok()) hooks.fail(st);
  });

  auto* re = app.add_subcommand(
      "reproject", "rebuild the county read model from the stored records; report differences");
  re->callback([hooks] {
    Status st = [&]() -> Status {
      CHZ_ASSIGN_OR_RETURN(auto store, hooks.open());
      std::vector<model::TableDiff> diffs;
      CHZ_TRY(store->model([&](ModelTx& tx) -> Status {
        CHZ_ASSIGN_OR_RETURN(diffs, model::reproject(tx));
        return OkStatus();
      }));
      for (const auto& d : diffs)
        std::cout << d.table << ": " << d.before << " rows before, " << d.after << " after; "
                  << d.gone << " gone, " << d.added << " new or changed\n";
      for (const auto& d : diffs)
        for (const auto& e : d.examples) std::cout << "  " << d.table << " " << e << "\n";
      if (!diffs.empty())
        return Status(
            Code::kCorrupt,
            fmt::format("the rebuilt model differs in {} tables (now rebuilt)", diffs.size()),
            "model.differed");
      std::cout << "reproject: the rebuilt model equals the one that was there\n";
      return OkStatus();
    }();
    if (!st.ok()) hooks.fail(st);
  });
  add_target_commands(app, hooks);
}

namespace {

void add_target_commands(CLI::App& app, const CliHooks& hooks) {
  auto* tc =
      app.add_subcommand("target", "the year's targets (目标) and how far each unit has come");
  tc->require_subcommand(1);
  struct Args {
    Target t;
    std::string value, to, format = "text", out, unit = "县人力资源和社会保障局";
  };
  auto a = std::make_shared<Args>();
  std::string indicators;
  for (const auto& i : stats::indicators()) indicators += std::string(i.key) + " ";
  indicators += std::string(kEmployedCertRate) + " (从业人员持证率)";
  auto common = [&](CLI::App* c) {
    c->add_option("--year", a->t.year, "the year, e.g. 2026")->required();
    c->add_option("--indicator", a->t.indicator, indicators)->required();
    c->add_option("--county", a->t.unit,
                  "at a city: the county (area code) the target is for; default: this server's "
                  "own area");
  };
  auto* set = tc->add_subcommand("set", "set a target: --value 55% for a rate, 400000 for people");
  common(set);
  set->add_option("--value", a->value, "a rate as 55% or 0.55; people, 人次 or 学时 as a number")
      ->required();
  set->callback([a, hooks] {
    Status st = [&]() -> Status {
      CHZ_ASSIGN_OR_RETURN(a->t.value, parse_target_value(a->t.indicator, a->value));
      CHZ_ASSIGN_OR_RETURN(auto store, hooks.open());
      CHZ_TRY(set_target(*store, a->t, hooks.now_ms()));
      std::cout << "target set: " << a->t.year << " " << a->t.indicator << " = " << a->value
                << (a->t.unit.empty() ? "" : " for " + a->t.unit) << "\n";
      return OkStatus();
    }();
    if (!st.ok()) hooks.fail(st);
  });
  auto* clear = tc->add_subcommand("clear", "withdraw a target");
  common(clear);
  clear->callback([a, hooks] {
    Status st = [&]() -> Status {
      CHZ_ASSIGN_OR_RETURN(auto store, hooks.open());
      return set_target(*store, a->t, hooks.now_ms(), /*clear=*/true);
    }();
    if (!st.ok()) hooks.fail(st);
  });
  auto* list = tc->add_subcommand("list", "the targets set, by year, unit and indicator");
  list->add_option("--year", a->t.year, "only this year");
  list->callback([a, hooks] {
    Status st = [&]() -> Status {
      CHZ_ASSIGN_OR_RETURN(auto store, hooks.open());
      std::vector<Target> ts;
      CHZ_TRY(store->model([&](ModelTx& tx) -> Status {
        CHZ_ASSIGN_OR_RETURN(ts, list_targets(tx.sql(), a->t.year));
        return OkStatus();
      }));
      for (const auto& t : ts)
        std::cout << t.year << "\t" << (t.unit.empty() ? "本级" : t.unit) << "\t" << t.indicator
                  << "\t" << fmt::format("{}", t.value) << "\n";
      std::cout << ts.size() << " targets\n";
      return OkStatus();
    }();
    if (!st.ok()) hooks.fail(st);
  });
  auto* report = tc->add_subcommand(
      "report", "目标完成情况表: per unit, each target, the figure so far, target reached");
  report->add_option("--year", a->t.year, "the year")->required();
  report->add_option("--to", a->to, "count up to this day (default: today, at most 31 December)");
  report->add_option("--format", a->format, "text|json|csv|xlsx (xlsx needs -o)");
  report->add_option("-o,--output", a->out, "write to this file instead of standard output");
  report->add_option("--unit", a->unit, "填报单位");
  report->callback([a, hooks] {
    Status st = [&]() -> Status {
      std::string to = a->to.empty() ? today(hooks.now_ms()) : a->to;
      if (!parse_date(to).ok())
        return Status(Code::kInvalidArgument, "--to must be a date YYYY-MM-DD");
      CHZ_ASSIGN_OR_RETURN(auto store, hooks.open());
      ReportTable t;
      CHZ_TRY(store->model([&](ModelTx& tx) -> Status {
        CHZ_ASSIGN_OR_RETURN(
            t, targets_table(tx.sql(), a->t.year, to, a->unit, today(hooks.now_ms())));
        return OkStatus();
      }));
      return emit_table(t, a->format, a->out);
    }();
    if (!st.ok()) hooks.fail(st);
  });
}

}  // namespace

}  // namespace chz::server
