#include "content/source.h"

#include <toml++/toml.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "common/fs.h"
#include "content/bank_toml.h"
#include "content/text_util.h"

namespace chz::content {

namespace fs = std::filesystem;

std::vector<std::string> markdown_images(std::string_view md) {
  std::vector<std::string> out;
  for (std::size_t p = md.find("!["); p != std::string_view::npos; p = md.find("![", p + 2)) {
    std::size_t close = md.find("](", p);
    if (close == std::string_view::npos) break;
    std::size_t end = md.find(')', close);
    if (end == std::string_view::npos) break;
    std::string target = trim(md.substr(close + 2, end - close - 2));
    if (auto sp = target.find(' '); sp != std::string::npos)
      target.resize(sp);  // ![](a.png "title")
    while (target.rfind("../", 0) == 0 || target.rfind("./", 0) == 0)
      target.erase(0, target.find('/') + 1);
    if (!target.empty()) out.push_back(target);
  }
  return out;
}

bool is_png_or_jpeg(std::string_view b) {
  return b.rfind("\x89PNG\r\n\x1a\n", 0) == 0 || b.rfind("\xFF\xD8\xFF", 0) == 0;
}

static Status read_course_toml(const fs::path& file, Course* c) {
  toml::table t;
  try {
    t = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    std::ostringstream m;
    m << file.string() << ":" << e.source().begin.line << ": " << e.description();
    return Error(Code::kInvalidArgument, m.str());
  }
  auto str = [&](const char* k) { return t[k].value_or(std::string()); };
  c->id = str("id");
  c->name = str("name");
  c->occupation = str("occupation");
  c->occupation_code = str("occupation_code");
  auto lv = parse_level(str("level"));
  if (!lv.ok()) return Error(Code::kInvalidArgument, file.string() + ": " + lv.status().message());
  c->level = *lv;
  c->theory_hours = t["theory_hours"].value_or(0);
  c->practical_hours = t["practical_hours"].value_or(0);
  c->theory_pass = t["theory_pass"].value_or(60.0);
  c->practical_pass = t["practical_pass"].value_or(60.0);
  c->version = t["version"].value_or(int64_t{1});
  c->summary = str("summary");
  Blueprint& b = c->blueprint;
  if (const auto* bt = t["blueprint"].as_table()) {
    b.time_limit_minutes = (*bt)["time_limit_minutes"].value_or(60);
    b.pass_mark = (*bt)["pass_mark"].value_or(60.0);
    b.multiple_partial_credit = (*bt)["multiple_partial_credit"].value_or(false);
    b.max_attempts = (*bt)["max_attempts"].value_or(3);
    if (const auto* items = (*bt)["items"].as_array()) {
      for (const auto& n : *items) {
        const auto* it = n.as_table();
        if (!it) continue;
        BlueprintItem bi;
        auto ty = parse_question_type((*it)["type"].value_or(std::string()));
        if (!ty.ok())
          return Error(Code::kInvalidArgument,
                       file.string() + ": blueprint: " + ty.status().message());
        bi.type = *ty;
        bi.chapter = (*it)["chapter"].value_or(std::string());
        bi.count = (*it)["count"].value_or(0);
        bi.points_each = (*it)["points_each"].value_or(1.0);
        b.items.push_back(bi);
      }
    }
  }
  return OkStatus();
}

Result<SourceCourse> read_source(const fs::path& dir) {
  SourceCourse out;
  std::vector<std::string> problems;
  auto note = [&](const Status& st) {
    if (!st.ok()) problems.push_back(st.message());
  };
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    return Error(Code::kNotFound, dir.string() + ": not a course source folder");
  note(read_course_toml(dir / "course.toml", &out.course));

  // Lessons, in file-name order (NN- prefix).
  std::vector<fs::path> lesson_files;
  if (fs::is_directory(dir / "lessons", ec))
    for (const auto& e : fs::directory_iterator(dir / "lessons", ec))
      if (e.is_regular_file() && e.path().extension() == ".md") lesson_files.push_back(e.path());
  std::sort(lesson_files.begin(), lesson_files.end());
  if (lesson_files.empty()) problems.push_back((dir / "lessons").string() + ": no lessons/*.md");
  for (const auto& f : lesson_files) {
    auto text = read_file(f);
    if (!text.ok()) {
      note(text.status());
      continue;
    }
    if (!is_valid_utf8(*text)) {
      problems.push_back(f.string() + ": not UTF-8");
      continue;
    }
    Lesson l;
    l.id = f.stem().string();
    std::string first = text->substr(0, text->find('\n'));
    if (first.rfind("# ", 0) != 0) {
      problems.push_back(f.string() + ":1: the first line must be \"# 标题\"");
      continue;
    }
    l.title = trim(first.substr(2));
    l.markdown = *text;
    out.course.lessons.push_back(std::move(l));
  }

  // Media.
  if (fs::is_directory(dir / "media", ec)) {
    for (const auto& e : fs::recursive_directory_iterator(dir / "media", ec)) {
      if (!e.is_regular_file()) continue;
      auto bytes = read_file(e.path());
      if (!bytes.ok()) {
        note(bytes.status());
        continue;
      }
      if (!is_png_or_jpeg(*bytes)) {
        problems.push_back(e.path().string() + ": only PNG or JPEG images are allowed");
        continue;
      }
      out.media["media/" + fs::relative(e.path(), dir / "media").generic_string()] =
          std::move(*bytes);
    }
  }

  // Bank.
  auto bank_text = read_file(dir / "bank.toml");
  if (!bank_text.ok()) {
    problems.push_back((dir / "bank.toml").string() + ": " + bank_text.status().message());
  } else {
    auto bank = parse_bank_toml(*bank_text, (dir / "bank.toml").string());
    if (bank.ok())
      out.course.bank = std::move(*bank);
    else
      problems.push_back(trim(bank.status().message()));
  }

  for (const auto& l : out.course.lessons)
    for (const auto& img : markdown_images(l.markdown))
      if (!out.media.count(img))
        problems.push_back("lessons/" + l.id + ".md: image not found: " + img);
  for (const auto& q : out.course.bank)
    if (!q.image.empty() && !out.media.count(q.image))
      problems.push_back("bank.toml: question " + q.id + ": image not found: " + q.image);

  if (!problems.empty()) {
    std::string m;
    for (const auto& p : problems) m += p + "\n";
    m.pop_back();
    return Error(Code::kInvalidArgument, m, "content.source");
  }
  return out;
}

}  // namespace chz::content
