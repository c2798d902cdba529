// Certificates people already hold (职业技能等级证书, 职业资格证书, 专项职业
// 能力证书), as the bureau lists them: kind and level spellings, dates in
// the forms office software writes, one row per certificate number.
//
// A row is refused for: no usable ID number (as in the registry), an empty
// or over-long name, occupation or issuer, an unknown kind, a 等级
// certificate without a known level, an empty certificate number or one
// already seen, a date that is not a real date.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "common/clock.h"
#include "content/text_util.h"
#include "sync/server/internal/registry_cells.h"
#include "sync/server/registry_file.h"

namespace chz::server {

namespace {

using internal::ColumnSpec;
using internal::Header;

enum Field { kName, kId, kKind, kOccupation, kLevel, kNumber, kDate, kIssuer };

const std::vector<ColumnSpec>& certificate_columns() {
  static const std::vector<ColumnSpec> kSpec = {
      {kName, {"姓名"}, true},
      {kId,
       {"身份证号", "身份证号码", "公民身份号码", "公民身份证号码", "证件号码", "身份证"},
       true},
      {kNumber, {"证书编号", "证书号", "证书号码"}, true},
      {kKind, {"证书类型", "证书种类", "证书类别"}},
      {kOccupation,
       {"职业(工种)", "职业", "工种", "专项能力名称", "职业(工种)名称", "职业名称", "工种名称",
        "专项职业能力名称"}},
      {kLevel, {"等级", "技能等级", "职业等级", "证书等级", "级别"}},
      {kDate, {"发证日期", "颁证日期", "发证时间", "取证日期", "取证时间"}},
      {kIssuer, {"发证机构", "发证单位", "颁证机构", "评价机构", "认定机构"}},
  };
  return kSpec;
}

std::string kind_of(const std::string& v) {
  static const std::map<std::string, std::string, std::less<>> kKinds = {
      {"职业技能等级证书", "等级"}, {"职业技能等级", "等级"},
      {"技能等级证书", "等级"},     {"等级", "等级"},
      {"职业资格证书", "等级"},     {"职业资格", "等级"},
      {"专项职业能力证书", "专项"}, {"专项职业能力", "专项"},
      {"专项能力证书", "专项"},     {"专项", "专项"},
  };
  auto it = kKinds.find(v);
  return it == kKinds.end() ? "" : it->second;
}

// "五级/初级工", "四级（中级工）", "高级技师", "3": the level 5..1; 0 if
// unknown or if its parts disagree.
int level_of(const std::string& v) {
  static const std::map<std::string, int, std::less<>> kLevels = {
      {"五级", 5},     {"初级工", 5}, {"初级", 5}, {"四级", 4}, {"中级工", 4}, {"中级", 4},
      {"三级", 3},     {"高级工", 3}, {"高级", 3}, {"二级", 2}, {"技师", 2},   {"一级", 1},
      {"高级技师", 1}, {"1", 1},      {"2", 2},    {"3", 3},    {"4", 4},      {"5", 5},
      {"1级", 1},      {"2级", 2},    {"3级", 3},  {"4级", 4},  {"5级", 5},
  };
  int level = 0;
  for (const auto& part :
       content::split_any(content::fold_fullwidth(v), {"/", "(", ")", " ", "、", "|"})) {
    std::string p = content::trim(part);
    if (p.empty()) continue;
    auto it = kLevels.find(p);
    if (it == kLevels.end() || (level && level != it->second)) return 0;
    level = it->second;
  }
  return level;
}

std::string iso(const CivilDate& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

bool plausible(const CivilDate& d) {
  return d.year >= 1950 && d.year <= 2100 && is_valid_date(d);
}

// A date cell as "YYYY-MM-DD"; "" if it is not one.
std::string date_of(const Cell& c) {
  std::string s = content::trim(content::fold_fullwidth(c.text));
  if (c.numeric) {
    if (all_digits(s) && s.size() == 8) {  // 20210305 typed as a number
      CivilDate d{std::atoi(s.substr(0, 4).c_str()), std::atoi(s.substr(4, 2).c_str()),
                  std::atoi(s.substr(6, 2).c_str())};
      return plausible(d) ? iso(d) : "";
    }
    // An Excel date serial (1900 system): 25569 is 1970-01-01. Serials
    // before 61 fall around Excel's fictional 1900-02-29: never a real one.
    double v = std::strtod(s.c_str(), nullptr);
    if (!(v >= 61 && v < 2958466)) return "";
    CivilDate d = civil_from_days(static_cast<std::int64_t>(std::floor(v)) - 25569);
    return plausible(d) ? iso(d) : "";
  }
  if (auto sp = s.find_first_of(" T"); sp != std::string::npos) s.erase(sp);  // a time part
  if (all_digits(s) && s.size() == 8) s = s.substr(0, 4) + "-" + s.substr(4, 2) + "-" + s.substr(6);
  std::vector<std::string> parts;
  for (auto& p : content::split_any(s, {"-", "/", ".", "年", "月", "日"}))
    if (!p.empty()) parts.push_back(p);
  if (parts.size() != 3 || parts[0].size() != 4) return "";
  for (const auto& p : parts)
    if (!all_digits(p) || p.size() > 4) return "";
  CivilDate d{std::atoi(parts[0].c_str()), std::atoi(parts[1].c_str()),
              std::atoi(parts[2].c_str())};
  return plausible(d) ? iso(d) : "";
}

std::string column_label(const Header& h, int field, const char* fallback) {
  auto it = h.column_name.find(field);
  return it == h.column_name.end() ? fallback : it->second;
}

}  // namespace

Result<CertificateFile> read_held_certificates(const Table& table) {
  CHZ_ASSIGN_OR_RETURN(Header h, internal::find_header(table, certificate_columns()));
  CertificateFile out;
  out.header_row = h.row;
  std::map<std::string, int> seen;  // certificate number -> first row
  for (std::size_t r = h.at + 1; r < table.rows.size(); ++r) {
    const TableRow& row = table.rows[r];
    if (internal::is_blank(row)) continue;
    ++out.data_rows;
    bool refused = false;
    auto refuse = [&](int field, const char* fallback, std::string what, std::string key) {
      out.issues.push_back(
          {row.row, column_label(h, field, fallback), std::move(what), true, std::move(key)});
      refused = true;
    };
    HeldCertificate c;
    c.row = row.row;

    const Cell* id_cell = internal::field_cell(h, row, kId);
    auto id = internal::check_id_cell(id_cell ? *id_cell : Cell{});
    if (id.card)
      c.id_number = id.card->number;
    else
      refuse(kId, "身份证号", id.what, id.key);

    c.name = internal::field_text(h, row, kName);
    c.occupation = internal::field_text(h, row, kOccupation);
    c.issuer = internal::field_text(h, row, kIssuer);
    if (c.name.empty()) refuse(kName, "姓名", "姓名为空", "registry.name_empty");
    if (c.occupation.empty())
      refuse(kOccupation, "职业(工种)", "职业（工种）为空", "registry.occupation_empty");
    for (auto [field, label, value] :
         {std::tuple<int, const char*, std::string*>{kName, "姓名", &c.name},
          std::tuple<int, const char*, std::string*>{kOccupation, "职业(工种)", &c.occupation},
          std::tuple<int, const char*, std::string*>{kIssuer, "发证机构", &c.issuer}})
      if (internal::utf8_length(*value) > 200) {
        refuse(field, label, "字段过长（超过 200 个字）", "registry.too_long");
        value->clear();
      }

    std::string kind = content::trim(content::fold_fullwidth(internal::field_text(h, row, kKind)));
    std::string level_text = internal::field_text(h, row, kLevel);
    c.kind = kind_of(kind);
    if (kind.empty() && level_of(level_text) > 0) c.kind = "等级";  // a level says which kind
    if (c.kind.empty())
      refuse(kKind, "证书类型", kind.empty() ? "证书类型为空" : "证书类型无法识别",
             "registry.certificate_kind");
    if (c.kind == "等级") {
      c.level = level_of(level_text);
      if (c.level == 0)
        refuse(kLevel, "等级",
               level_text.empty() ? "等级为空" : "等级无法识别（应为五级/初级工 … 一级/高级技师）",
               "registry.level");
    }

    const Cell* number = internal::field_cell(h, row, kNumber);
    c.number = number ? content::trim(number->text) : "";
    if (c.number.empty()) {
      refuse(kNumber, "证书编号", "证书编号为空", "registry.number_empty");
    } else if (number->numeric && c.number.find_first_of("eE.") != std::string::npos) {
      refuse(kNumber, "证书编号",
             "证书编号被 Excel 存成了数字，末几位可能已经丢失：请把该列设为文本格式后重新录入",
             "registry.number_as_number");
    } else if (auto it = seen.find(c.number); it != seen.end()) {
      refuse(kNumber, "证书编号", "与第 " + std::to_string(it->second) + " 行证书编号重复",
             "registry.duplicate_number");
    }

    if (const Cell* date = internal::field_cell(h, row, kDate);
        date && !content::trim(date->text).empty()) {
      c.date = date_of(*date);
      if (c.date.empty())
        refuse(kDate, "发证日期", "发证日期无法识别（应如 2021-03-05、2021/3/5 或 2021年3月5日）",
               "registry.date");
    }

    if (refused) continue;
    seen.emplace(c.number, c.row);
    out.certificates.push_back(std::move(c));
  }
  return out;
}

Result<CertificateFile> read_held_certificates(const std::string& path) {
  CHZ_ASSIGN_OR_RETURN(Table t, read_table_file(path));
  return read_held_certificates(t);
}

}  // namespace chz::server
