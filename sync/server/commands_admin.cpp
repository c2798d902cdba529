#include "sync/server/commands_admin.h"

#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "common/clock.h"
#include "sync/server/county_admin.h"

namespace chz::server {
namespace {
using nlohmann::json;

// Columns on a terminal: a CJK character takes two cells.
std::size_t display_width(const std::string& s) {
  std::size_t w = 0;
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    w += len >= 3 ? 2 : 1;  // every 3- and 4-byte character here is CJK or wider
    i += len;
  }
  return w;
}

std::string cell_text(const json& v, const std::string& field) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "是" : "否";
  if (v.is_number_integer() && field.size() > 3 && field.substr(field.size() - 3) == "_ms")
    return v.get<std::int64_t>() == 0 ? "从未 never" : format_china_time(v.get<std::int64_t>());
  return v.dump();
}

// The rows as aligned columns under their field names, then a count.
std::string text_table(const json& rows) {
  if (rows.empty()) return "0 rows\n";
  std::vector<std::string> fields;
  for (const auto& [k, v] : rows[0].items()) fields.push_back(k);
  // id-like fields first, in the order a reader looks for them.
  auto rank = [](const std::string& f) {
    for (int i = 0; const char* x : {"id", "key", "name", "site", "class", "date"}) {
      if (f == x) return i;
      ++i;
    }
    return 99;
  };
  std::stable_sort(fields.begin(), fields.end(),
                   [&](const auto& a, const auto& b) { return rank(a) < rank(b); });
  std::vector<std::vector<std::string>> cells;
  std::vector<std::size_t> width;
  for (const auto& f : fields) width.push_back(display_width(f));
  for (const auto& r : rows) {
    auto& line = cells.emplace_back();
    for (std::size_t i = 0; i < fields.size(); ++i) {
      line.push_back(cell_text(r.value(fields[i], json("")), fields[i]));
      width[i] = std::max(width[i], display_width(line.back()));
    }
  }
  std::string out;
  auto put = [&](const std::vector<std::string>& line) {
    for (std::size_t i = 0; i < line.size(); ++i) {
      out += line[i];
      if (i + 1 < line.size()) out += std::string(width[i] - display_width(line[i]) + 2, ' ');
    }
    out += "\n";
  };
  put(fields);
  for (const auto& l : cells) put(l);
  out += fmt::format("{} rows\n", rows.size());
  return out;
}

void on(CLI::App* sub, const AdminHooks& h, std::function<Status()> fn) {
  sub->callback([h, fn] {
    if (Status st = fn(); !st.ok()) h.fail(st);
  });
}

// What the commands' options fill in, owned by their callbacks.
struct Args {
  admin::ListFilter filter;
  bool json = false;
  std::string what, staff, class_id, id_number, cancel;
  std::string name, township, village, phone;
  admin::PersonCorrection fix;
  int minutes = 0;
};

}  // namespace

void add_admin_commands(CLI::App& app, const AdminHooks& h) {
  // ---- list ----
  auto a = std::make_shared<Args>();
  auto* ls = app.add_subcommand(
      "list",
      "list the county's sites, devices (with last sync), staff, classes, sessions or "
      "people (ID numbers and phones masked), from the read model");
  ls->add_option("what", a->what, "sites | devices | staff | classes | sessions | people")
      ->required()
      ->check(CLI::IsMember({"sites", "devices", "staff", "classes", "sessions", "people"}));
  ls->add_option("--site", a->filter.site, "only this site's");
  ls->add_option("--class", a->filter.class_id, "sessions, people: only this class's");
  ls->add_option("--limit", a->filter.limit, "at most this many rows (default 1000)")
      ->check(CLI::Range(1, 1000000));
  ls->add_flag("--json", a->json, "one JSON array instead of a table");
  on(ls, h, [h, a]() -> Status {
    CHZ_ASSIGN_OR_RETURN(admin::Listing l, admin::listing_named(a->what));
    CHZ_ASSIGN_OR_RETURN(auto store, h.open());
    CHZ_ASSIGN_OR_RETURN(json rows, admin::list(*store, l, a->filter));
    std::cout << (a->json ? rows.dump() + "\n" : text_table(rows));
    return OkStatus();
  });

  // ---- staff ----
  for (bool active : {false, true}) {
    auto* sub = app.add_subcommand(
        active ? "reactivate-staff" : "deactivate-staff",
        active ? "let a deactivated trainer / assessor / site admin sign in again"
               : "stop a trainer / assessor / site admin signing in at any kiosk of their site "
                 "(their past records stay)");
    sub->add_option("--id", a->staff, "the staff id")->required();
    on(sub, h, [h, a, active]() -> Status {
      CHZ_ASSIGN_OR_RETURN(auto store, h.open());
      CHZ_ASSIGN_OR_RETURN(bool changed,
                           admin::set_staff_active(*store, a->staff, active, h.now_ms()));
      std::cout << (changed ? fmt::format("staff {} is now {}: written to the site's feed\n",
                                          a->staff, active ? "active" : "inactive")
                            : fmt::format("staff {} is already {}; nothing written\n", a->staff,
                                          active ? "active" : "inactive"));
      return OkStatus();
    });
  }

  // ---- unenrol ----
  auto* un = app.add_subcommand(
      "unenrol", "take a person off a class's roster (their confirmed 学时 in it stay)");
  un->add_option("--class", a->class_id)->required();
  un->add_option("--id-number", a->id_number, "the person's ID number")->required();
  on(un, h, [h, a]() -> Status {
    CHZ_ASSIGN_OR_RETURN(auto store, h.open());
    CHZ_ASSIGN_OR_RETURN(CountyKeys k, h.keys());
    CHZ_TRY(admin::unenrol(*store, k, a->class_id, a->id_number, h.now_ms()));
    std::cout << "unenrolled from " << a->class_id << ": written to the class's site feed\n";
    return OkStatus();
  });

  // ---- cancel ----
  auto* cs = app.add_subcommand(
      "cancel-session",
      "cancel a future session no kiosk has records of (kiosks drop it at their next sync)");
  cs->add_option("--id", a->cancel, "the session id")->required();
  on(cs, h, [h, a]() -> Status {
    CHZ_ASSIGN_OR_RETURN(auto store, h.open());
    CHZ_TRY(admin::cancel_session(*store, a->cancel, h.now_ms()));
    std::cout << "session " << a->cancel << " cancelled\n";
    return OkStatus();
  });
  auto* cc = app.add_subcommand(
      "cancel-class", "cancel a class whose sessions all lie in the future with no records");
  cc->add_option("--id", a->cancel, "the class id")->required();
  on(cc, h, [h, a]() -> Status {
    CHZ_ASSIGN_OR_RETURN(auto store, h.open());
    CHZ_ASSIGN_OR_RETURN(int n, admin::cancel_class(*store, a->cancel, h.now_ms()));
    std::cout << "class " << a->cancel << " cancelled with its " << n << " sessions\n";
    return OkStatus();
  });

  // ---- minutes per 学时 ----
  auto* mph = app.add_subcommand(
      "minutes-per-hour",
      "show, or with a value set, the county's minutes per 学时 (20-120, default 45): every "
      "kiosk applies it at its next sync and every figure in 学时 uses it");
  mph->add_option("minutes", a->minutes, "the new value")->check(CLI::Range(1, 100000));
  on(mph, h, [h, a]() -> Status {
    CHZ_ASSIGN_OR_RETURN(auto store, h.open());
    if (a->minutes == 0) {
      CHZ_ASSIGN_OR_RETURN(auto have, admin::county_minutes_per_hour(*store));
      std::cout << "1 学时 = " << have.value_or(45) << " 分钟"
                << (have ? "" : " (the default: the county never set it)") << "\n";
      return OkStatus();
    }
    CHZ_ASSIGN_OR_RETURN(bool changed, admin::set_minutes_per_hour(*store, a->minutes, h.now_ms()));
    std::cout << (changed
                      ? fmt::format("1 学时 = {} 分钟: written to every site's feed\n", a->minutes)
                      : fmt::format("1 学时 is already {} 分钟; nothing written\n", a->minutes));
    return OkStatus();
  });

  // ---- correct-person ----
  auto* cpc = app.add_subcommand(
      "correct-person",
      "correct a person's record (name typo, township, village, phone, key groups) or end "
      "their registry membership (moved away, died); kiosks of their sites receive it. The "
      "next registry import wins for registry people: correct the registry file too");
  cpc->add_option("--id-number", a->id_number, "the person's ID number")->required();
  auto* o_name = cpc->add_option("--name", a->name, "the right name");
  auto* o_town = cpc->add_option("--township", a->township, "乡镇");
  auto* o_vill = cpc->add_option("--village", a->village, "村");
  auto* o_phone = cpc->add_option("--phone", a->phone, "mobile number, or \"\" to clear it");
  cpc->add_option("--add-group", a->fix.add_groups, "a key employment group to add (repeatable)");
  cpc->add_option("--remove-group", a->fix.remove_groups, "a key employment group to remove");
  cpc->add_option("--leave-registry", a->fix.leave_day,
                  "YYYY-MM-DD: no longer in the registry from this day (earlier periods keep "
                  "them in 持证率)");
  on(cpc, h, [h, a, o_name, o_town, o_vill, o_phone]() -> Status {
    if (o_name->count()) a->fix.name = a->name;
    if (o_town->count()) a->fix.township = a->township;
    if (o_vill->count()) a->fix.village = a->village;
    if (o_phone->count()) a->fix.phone = a->phone;
    CHZ_ASSIGN_OR_RETURN(auto store, h.open());
    CHZ_ASSIGN_OR_RETURN(CountyKeys k, h.keys());
    CHZ_ASSIGN_OR_RETURN(auto sites,
                         admin::correct_person(*store, k, a->id_number, a->fix, h.now_ms()));
    std::string where;
    for (const auto& s : sites) where += (where.empty() ? "" : ", ") + s;
    std::cout << "person corrected" << (where.empty() ? "" : ": written to " + where) << "\n";
    return OkStatus();
  });
}

}  // namespace chz::server
