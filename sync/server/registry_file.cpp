// The labour-force registry: header columns and the rules for each row.
//
// A row is refused (fatal issue) for: no usable ID number (empty, stored as
// a number, bad length/characters/region/date/check character), a birth year
// after `today_year`, the ID of an earlier imported row, an empty name, a
// name, township or village over 200 characters, a 性别 that contradicts
// the ID number, a key group outside the ten. A row is imported with a
// warning for: a phone that is not a mobile number (dropped), an employment
// status we do not know (unknown), a 性别 that is neither 男 nor 女.
#include "sync/server/registry_file.h"

#include <cstdio>
#include <map>

#include "common/utf8.h"
#include "content/text_util.h"
#include "sync/protocol/record_kinds.h"
#include "sync/server/internal/registry_cells.h"

namespace chz::server {

namespace {

using internal::ColumnSpec;
using internal::Header;

enum Field { kName, kId, kGender, kTownship, kVillage, kPhone, kEmployment, kGroups };

const std::vector<ColumnSpec>& registry_columns() {
  static const std::vector<ColumnSpec> kSpec = {
      {kName, {"姓名"}, true},
      {kId,
       {"身份证号", "身份证号码", "公民身份号码", "公民身份证号码", "证件号码", "身份证"},
       true},
      {kGender, {"性别"}},
      {kTownship,
       {"乡镇", "乡(镇)", "乡镇(街道)", "乡(镇、街道)", "乡(镇)(街道)", "乡镇街道", "所属乡镇",
        "镇(乡)", "街道(乡镇)"}},
      {kVillage,
       {"村", "村(社区)", "行政村", "村(居)", "村居", "村(居)委会", "所属村", "社区", "村名"}},
      {kPhone, {"联系电话", "手机号", "手机号码", "电话", "联系方式", "手机", "电话号码"}},
      {kEmployment, {"就业状态", "就业情况", "是否就业"}},
      {kGroups, {"重点群体", "人员类别", "重点群体类别", "群体类别", "所属重点群体"}},
  };
  return kSpec;
}

// The spelling a row issue names when the header is absent from the file.
std::string column_label(const Header& h, int field, const char* fallback) {
  auto it = h.column_name.find(field);
  return it == h.column_name.end() ? fallback : it->second;
}

std::string employment_of(const std::string& v, bool* known) {
  static const std::map<std::string, std::string, std::less<>> kValues = {
      {"已就业", "employed"},     {"就业", "employed"},     {"务工", "employed"},
      {"灵活就业", "employed"},   {"外出务工", "employed"}, {"本地务工", "employed"},
      {"就近就业", "employed"},   {"自主创业", "employed"}, {"创业", "employed"},
      {"公益性岗位", "employed"}, {"是", "employed"},       {"未就业", "unemployed"},
      {"失业", "unemployed"},     {"待业", "unemployed"},   {"无业", "unemployed"},
      {"否", "unemployed"},
  };
  *known = true;
  if (v.empty()) return "";
  auto it = kValues.find(v);
  if (it != kValues.end()) return it->second;
  *known = false;
  return "";
}

// Spellings of the ten groups in use since 2021 (脱贫 for 贫困) and the
// long forms of the registry itself; each names exactly one of the ten.
std::string_view group_alias(std::string_view g) {
  static const std::map<std::string_view, std::string_view> kAlias = {
      {"脱贫劳动力", "贫困劳动力"},
      {"建档立卡贫困劳动力", "贫困劳动力"},
      {"脱贫家庭子女", "贫困家庭子女"},
      {"建档立卡贫困家庭子女", "贫困家庭子女"},
  };
  auto it = kAlias.find(g);
  return it == kAlias.end() ? g : it->second;
}

bool is_key_group(std::string_view g) {
  for (auto k : sync::kinds::kKeyGroups)
    if (k == g) return true;
  return false;
}

std::string cut(std::string_view s, std::size_t max_points) {
  std::string out;
  std::size_t n = 0;
  while (!s.empty() && n < max_points) {
    std::size_t len = utf8_sequence_length(s);
    if (!len) len = 1;
    out.append(s.substr(0, len));
    s.remove_prefix(len);
    ++n;
  }
  return s.empty() ? out : out + "…";
}

std::string iso_date(const CivilDate& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

}  // namespace

Result<RegistryFile> read_registry(const Table& table, int today_year) {
  CHZ_ASSIGN_OR_RETURN(Header h, internal::find_header(table, registry_columns()));
  RegistryFile out;
  out.header_row = h.row;
  std::map<std::string, int> seen;  // ID number -> row it was imported from
  const std::string id_col = column_label(h, kId, "身份证号");
  for (std::size_t r = h.at + 1; r < table.rows.size(); ++r) {
    const TableRow& row = table.rows[r];
    if (internal::is_blank(row)) continue;
    ++out.data_rows;
    std::vector<RowIssue> issues;
    auto issue = [&](int field, const char* fallback, std::string what, bool fatal,
                     std::string key) {
      issues.push_back(
          {row.row, column_label(h, field, fallback), std::move(what), fatal, std::move(key)});
    };
    RegistryPerson p;
    p.row = row.row;

    const Cell* id_cell = internal::field_cell(h, row, kId);
    auto id = internal::check_id_cell(id_cell ? *id_cell : Cell{});
    if (!id.card) {
      issue(kId, "身份证号", id.what, true, id.key);
    } else {
      p.id_number = id.card->number;
      p.birth = iso_date(id.card->birth);
      p.gender = id.card->gender == sync::Gender::kMale ? "男" : "女";
      if (id.card->birth.year > today_year)
        issue(kId, "身份证号", "身份证号中的出生年份晚于今年", true, "registry.birth_future");
      if (auto it = seen.find(p.id_number); it != seen.end())
        issue(kId, "身份证号", "与第 " + std::to_string(it->second) + " 行身份证号重复", true,
              "registry.duplicate_id");
    }

    p.name = internal::field_text(h, row, kName);
    if (p.name.empty()) issue(kName, "姓名", "姓名为空", true, "registry.name_empty");
    p.township = internal::field_text(h, row, kTownship);
    p.village = internal::field_text(h, row, kVillage);
    auto bound = [&](int field, const char* label, std::string& value) {
      if (internal::utf8_length(value) <= 200) return;
      issue(field, label, "字段过长（超过 200 个字）", true, "registry.too_long");
      value.clear();
    };
    bound(kName, "姓名", p.name);
    bound(kTownship, "乡镇", p.township);
    bound(kVillage, "村", p.village);

    std::string gender = internal::field_text(h, row, kGender);
    if (gender == "男性") gender = "男";
    if (gender == "女性") gender = "女";
    if (!gender.empty() && id.card) {
      if (gender != "男" && gender != "女")
        issue(kGender, "性别", "性别无法识别，已按身份证号", false, "registry.gender_unknown");
      else if (gender != p.gender)
        issue(kGender, "性别", "性别与身份证号不符", true, "registry.gender_mismatch");
    }

    if (std::string phone = internal::field_text(h, row, kPhone); !phone.empty()) {
      auto ph = sync::parse_phone(content::fold_fullwidth(phone));
      if (ph.ok())
        p.phone = *ph;
      else
        issue(kPhone, "联系电话", "联系电话不是 11 位手机号，未导入该电话", false, "phone.invalid");
    }

    bool known = true;
    p.employment = employment_of(internal::field_text(h, row, kEmployment), &known);
    if (!known)
      issue(kEmployment, "就业状态", "就业状态无法识别（应为已就业或未就业），按未知导入", false,
            "registry.employment_unknown");

    std::string groups = internal::field_text(h, row, kGroups);
    if (groups != "无" && groups != "-") {
      for (const auto& part : internal::split_list(groups)) {
        std::string_view g = group_alias(part);
        if (!is_key_group(g)) {
          issue(kGroups, "重点群体", "重点群体「" + cut(part, 20) + "」不在十类重点群体之中", true,
                "registry.unknown_group");
          continue;
        }
        bool dup = false;
        for (const auto& have : p.groups) dup |= have == g;
        if (!dup) p.groups.emplace_back(g);
      }
    }

    bool refused = false;
    for (const auto& i : issues) refused |= i.fatal;
    out.issues.insert(out.issues.end(), issues.begin(), issues.end());
    if (refused) continue;
    seen.emplace(p.id_number, p.row);
    out.people.push_back(std::move(p));
  }
  return out;
}

Result<RegistryFile> read_registry(const std::string& path, int today_year) {
  CHZ_ASSIGN_OR_RETURN(Table t, read_table_file(path));
  return read_registry(t, today_year);
}

}  // namespace chz::server
