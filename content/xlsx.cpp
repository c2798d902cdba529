// XLSX in (libarchive zip + pugixml) and out (libxlsxwriter).
#include <xlsxwriter.h>
#include <pugixml.hpp>

#include <cstdio>
#include <map>

#include "content/archive.h"
#include "content/import.h"
#include "content/import_messages.h"
#include "content/text_util.h"

namespace chz::content {

namespace {

Status not_xlsx(std::string why) {
  return Error(Code::kInvalidArgument, std::string(msg::kNotXlsx) + why);
}

// Text of a shared string or inline string: every <t>, skipping phonetic runs.
std::string text_of(const pugi::xml_node& n) {
  std::string out;
  for (auto child : n.children()) {
    std::string_view name = child.name();
    if (name == "t")
      out += child.text().get();
    else if (name == "r")
      out += text_of(child);
  }
  return out;
}

// "BC12" -> column 54 (0-based); -1 on a malformed reference.
int column_index(std::string_view ref) {
  int col = 0;
  std::size_t i = 0;
  for (; i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z'; ++i) col = col * 26 + (ref[i] - 'A' + 1);
  return i == 0 ? -1 : col - 1;
}

}  // namespace

Result<std::vector<TableRow>> read_xlsx(std::string_view bytes) {
  ArchiveLimits lim;
  lim.max_entries = 2000;
  lim.max_entry_bytes = 128ull << 20;
  lim.max_total_bytes = 256ull << 20;
  auto entries = read_archive(bytes, ArchiveKind::kZip, lim);
  if (!entries.ok()) return not_xlsx(entries.status().message());
  std::map<std::string, const std::string*> files;
  for (const auto& e : *entries) files[e.path] = &e.data;
  auto parse = [&](const std::string& path, pugi::xml_document& doc) -> Status {
    auto it = files.find(path);
    if (it == files.end()) return not_xlsx("no " + path);
    if (!doc.load_buffer(it->second->data(), it->second->size()))
      return not_xlsx(path + " is not XML");
    return OkStatus();
  };

  // The first sheet, through the workbook's relationships.
  pugi::xml_document wb, rels;
  CHZ_TRY(parse("xl/workbook.xml", wb));
  auto sheet = wb.child("workbook").child("sheets").child("sheet");
  if (!sheet) return not_xlsx("the workbook has no sheet");
  std::string rid = sheet.attribute("r:id").value();
  std::string sheet_path = "xl/worksheets/sheet1.xml";
  if (parse("xl/_rels/workbook.xml.rels", rels).ok()) {
    for (auto r : rels.child("Relationships").children("Relationship")) {
      if (rid != r.attribute("Id").value()) continue;
      std::string target = r.attribute("Target").value();
      sheet_path = target.rfind("/", 0) == 0 ? target.substr(1) : "xl/" + target;
    }
  }

  std::vector<std::string> shared;
  pugi::xml_document ss;
  if (files.count("xl/sharedStrings.xml")) {
    CHZ_TRY(parse("xl/sharedStrings.xml", ss));
    for (auto si : ss.child("sst").children("si")) shared.push_back(text_of(si));
  }

  pugi::xml_document ws;
  CHZ_TRY(parse(sheet_path, ws));
  std::vector<TableRow> rows;
  int next_row = 1;
  for (auto row : ws.child("worksheet").child("sheetData").children("row")) {
    TableRow tr;
    tr.line = row.attribute("r") ? row.attribute("r").as_int() : next_row;
    next_row = tr.line + 1;
    int next_col = 0;
    for (auto c : row.children("c")) {
      int col = c.attribute("r") ? column_index(c.attribute("r").value()) : next_col;
      if (col < 0 || col > 16384) return not_xlsx("bad cell reference");
      next_col = col + 1;
      std::string type = c.attribute("t").value();
      std::string value;
      if (type == "s") {
        auto idx = static_cast<std::size_t>(c.child("v").text().as_ullong(~0ull));
        if (idx >= shared.size()) return not_xlsx("shared string index out of range");
        value = shared[idx];
      } else if (type == "inlineStr") {
        value = text_of(c.child("is"));
      } else if (type == "b") {  // a TRUE/FALSE cell, as a 判断 answer
        value = std::string(c.child("v").text().get()) == "1" ? "对" : "错";
      } else {
        value = c.child("v").text().get();
      }
      if (static_cast<std::size_t>(col) >= tr.cells.size())
        tr.cells.resize(static_cast<std::size_t>(col) + 1);
      tr.cells[static_cast<std::size_t>(col)] = std::move(value);
    }
    rows.push_back(std::move(tr));
  }
  return rows;
}

Status export_xlsx(const std::vector<Question>& bank, const std::filesystem::path& out) {
  lxw_workbook* wb = workbook_new(out.c_str());
  if (!wb) return Error(Code::kIoError, "cannot create " + out.string());
  lxw_worksheet* ws = workbook_add_worksheet(wb, "题库");
  const char* headers[] = {"编号",  "题型",  "章节",  "题干", "选项A", "选项B", "选项C",
                           "选项D", "选项E", "选项F", "答案", "解析",  "分值",  "图片"};
  for (lxw_col_t c = 0; c < 14; ++c) worksheet_write_string(ws, 0, c, headers[c], nullptr);
  worksheet_set_column(ws, 3, 3, 60, nullptr);
  lxw_row_t r = 1;
  for (const auto& q : bank) {
    auto put = [&](lxw_col_t c, const std::string& s) {
      if (!s.empty()) worksheet_write_string(ws, r, c, s.c_str(), nullptr);
    };
    put(0, q.id);
    put(1, std::string(question_type_name(q.type)));
    put(2, q.chapter);
    put(3, q.stem);
    for (std::size_t i = 0; i < q.options.size() && i < 6; ++i)
      put(static_cast<lxw_col_t>(4 + i), q.options[i]);
    std::string answer;
    switch (q.type) {
      case QuestionType::kSingle:
      case QuestionType::kMultiple:
        answer = answer_letters(q.correct);
        break;
      case QuestionType::kTrueFalse:
        answer = q.truth ? "对" : "错";
        break;
      case QuestionType::kFill:
        for (std::size_t b = 0; b < q.blanks.size(); ++b) {
          if (b) answer += ";";
          for (std::size_t k = 0; k < q.blanks[b].size(); ++k)
            answer += (k ? "|" : "") + q.blanks[b][k];
        }
        break;
    }
    put(10, answer);
    put(11, q.explanation);
    worksheet_write_number(ws, r, 12, q.points, nullptr);
    put(13, q.image);
    ++r;
  }
  lxw_error e = workbook_close(wb);
  if (e != LXW_NO_ERROR)
    return Error(Code::kIoError, std::string("cannot write XLSX: ") + lxw_strerror(e));
  return OkStatus();
}

}  // namespace chz::content
