// Test helpers shared by content's unit tests and tests/content: a small,
// valid sample course and a raw tar writer (libarchive) for crafting
// hostile packages the real builder would never produce. The sample course
// is a package source (lessons, media, its own id "zhongfeng-test"), not the
// kiosk tests' 中蜂养殖 course (kiosk/exam_test_course.h): content sits
// below kiosk and cannot use kiosk's fixtures, and packaging needs the
// lessons and media that the exam tests do not.
#pragma once

#include <archive.h>
#include <archive_entry.h>
#include <sys/sysmacros.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "common/crypto.h"
#include "common/fs.h"
#include "content/archive.h"
#include "content/package.h"
#include "content/source.h"

namespace chz::content::testing {

inline const std::string kTinyPng = std::string("\x89PNG\r\n\x1a\n", 8) + "not really pixels";

inline SourceCourse sample_course(std::int64_t version = 1) {
  SourceCourse s;
  Course& c = s.course;
  c.id = "zhongfeng-test";
  c.name = "中蜂养殖（测试）";
  c.occupation = "中蜂养殖";
  c.level = Level::kSpecial;
  c.theory_hours = 24;
  c.practical_hours = 16;
  c.version = version;
  c.summary = "测试用课程：蜂群、蜂王与分蜂。版本 " + std::to_string(version) + "。";
  c.lessons.push_back(
      {"01-蜂群的组成", "蜂群的组成",
       "# 蜂群的组成\n\n一个蜂群由蜂王、工蜂和雄蜂组成。\n\n![蜂箱](../media/蜂箱.png)\n", 45});
  c.lessons.push_back({"02-分蜂", "分蜂",
                       "# 分蜂\n\n春末夏初，蜂群容易发生分蜂。喆、堃、𠮷、䶮都是测试字。\n", 30});
  auto single = [&](std::string id, std::string stem) {
    Question q;
    q.id = std::move(id);
    q.type = QuestionType::kSingle;
    q.chapter = "蜂群的组成";
    q.stem = std::move(stem);
    q.options = {"一只", "两只", "三只", "没有固定数量"};
    q.correct = {0};
    q.explanation = "正常蜂群只有一只产卵蜂王。";
    return q;
  };
  c.bank.push_back(single("q001", "一个正常的中蜂蜂群中，蜂王通常有几只？"));
  c.bank.push_back(single("q002", "蜂群中产卵的蜂王有几只？"));
  Question m;
  m.id = "q003";
  m.type = QuestionType::kMultiple;
  m.chapter = "分蜂";
  m.stem = "分蜂前常见的征兆有哪些？";
  m.options = {"造王台", "工蜂怠工", "蜂王产卵减少", "巢门无蜂"};
  m.correct = {0, 1, 2};
  m.image = "media/蜂箱.png";
  c.bank.push_back(m);
  Question t;
  t.id = "q004";
  t.type = QuestionType::kTrueFalse;
  t.chapter = "分蜂";
  t.stem = "分蜂多发生在春末夏初。";
  t.truth = true;
  c.bank.push_back(t);
  t.id = "q005";
  t.stem = "雄蜂负责采蜜。";
  t.truth = false;
  c.bank.push_back(t);
  Question f;
  f.id = "q006";
  f.type = QuestionType::kFill;
  f.chapter = "蜂群的组成";
  f.stem = "中蜂蜂群由蜂王、____和雄蜂组成。";
  f.blanks = {{"工蜂", "工蜂们"}};
  c.bank.push_back(f);
  c.blueprint.items = {{QuestionType::kSingle, "", 2, 20},
                       {QuestionType::kMultiple, "分蜂", 1, 20},
                       {QuestionType::kTrueFalse, "", 2, 10},
                       {QuestionType::kFill, "", 1, 20}};
  s.media["media/蜂箱.png"] = kTinyPng;
  return s;
}

struct RawEntry {
  std::string path;
  std::string data;
  unsigned type = AE_IFREG;  // AE_IFLNK, AE_IFCHR, AE_IFDIR...
  std::string link;          // symlink target
  std::string hardlink;      // hard link target
};

// A gzip'd tar written exactly as told, hostile entries included.
inline std::string write_raw_tar(const std::vector<RawEntry>& entries) {
  std::string out;
  archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  archive_write_add_filter_gzip(a);
  // Paths are UTF-8 already; write them as bytes, whatever the locale.
  archive_write_set_options(a, "hdrcharset=BINARY");
  archive_write_open(
      a, &out, nullptr,
      [](archive*, void* client, const void* buf, size_t n) -> la_ssize_t {
        static_cast<std::string*>(client)->append(static_cast<const char*>(buf), n);
        return static_cast<la_ssize_t>(n);
      },
      nullptr);
  for (const auto& en : entries) {
    archive_entry* e = archive_entry_new();
    archive_entry_copy_pathname(e, en.path.c_str());
    archive_entry_set_filetype(e, en.type);
    archive_entry_set_perm(e, 0644);
    if (!en.link.empty()) archive_entry_set_symlink(e, en.link.c_str());
    if (!en.hardlink.empty()) archive_entry_set_hardlink(e, en.hardlink.c_str());
    if (en.type == AE_IFCHR) archive_entry_set_rdev(e, makedev(1, 3));
    archive_entry_set_size(e, en.type == AE_IFREG ? static_cast<la_int64_t>(en.data.size()) : 0);
    archive_write_header(a, e);
    if (en.type == AE_IFREG && !en.data.empty())
      archive_write_data(a, en.data.data(), en.data.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  return out;
}

// The entries of a good package, for crafting variants of it.
inline std::vector<RawEntry> package_entries(const std::string& pkg) {
  std::vector<RawEntry> out;
  auto r = read_archive(pkg, ArchiveKind::kTar);
  if (r.ok())
    for (auto& e : *r) out.push_back({e.path, e.data});
  return out;
}

inline std::string* find_entry(std::vector<RawEntry>& es, std::string_view path) {
  for (auto& e : es)
    if (e.path == path) return &e.data;
  return nullptr;
}

// A temp folder removed at scope exit.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::array<std::uint8_t, 6> r;
    random_bytes(r);
    path = std::filesystem::temp_directory_path() / ("chz-content-" + hex(r));
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

inline std::filesystem::path write_temp(const TempDir& d, const std::string& name,
                                        const std::string& bytes) {
  auto p = d.path / name;
  (void)write_file_atomic(p, bytes, 0644);
  return p;
}

// Every file under a folder with its hash: a snapshot to compare.
inline std::map<std::string, std::string> tree_snapshot(const std::filesystem::path& dir) {
  std::map<std::string, std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir, ec)) {
    std::string rel = std::filesystem::relative(e.path(), dir).generic_string();
    if (rel == "content/.lock") continue;
    if (e.is_regular_file()) {
      auto b = read_file(e.path());
      out[rel] = b.ok() ? hex(sha256(*b)) : "?";
    } else {
      out[rel] = "dir";
    }
  }
  return out;
}

}  // namespace chz::content::testing
