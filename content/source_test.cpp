#include "content/source.h"

#include <doctest/doctest.h>

#include "common/fs.h"
#include "content/bank_toml.h"
#include "content/testdata/sample_course.h"
#include "content/text_util.h"

using namespace chz;
using namespace chz::content;
using namespace chz::content::testing;
namespace fs = std::filesystem;

namespace {

// Writes the sample course as a source folder.
void write_source(const fs::path& dir) {
  auto s = sample_course(4);
  fs::create_directories(dir / "lessons");
  fs::create_directories(dir / "media");
  REQUIRE(write_file_atomic(dir / "course.toml", R"(id = "zhongfeng-test"
name = "中蜂养殖（测试）"
occupation = "中蜂养殖"
level = "专项职业能力"
theory_hours = 24
practical_hours = 16
version = 4
summary = "测试。"

[blueprint]
time_limit_minutes = 45
pass_mark = 60

[[blueprint.items]]
type = "单选"
count = 2
points_each = 20

[[blueprint.items]]
type = "多选"
chapter = "分蜂"
count = 1
points_each = 20

[[blueprint.items]]
type = "判断"
count = 2
points_each = 10

[[blueprint.items]]
type = "填空"
count = 1
points_each = 20
)",
                            0644)
              .ok());
  for (const auto& l : s.course.lessons)
    REQUIRE(write_file_atomic(dir / "lessons" / (l.id + ".md"), l.markdown, 0644).ok());
  REQUIRE(write_file_atomic(dir / "bank.toml", write_bank_toml(s.course.bank), 0644).ok());
  REQUIRE(write_file_atomic(dir / "media/蜂箱.png", kTinyPng, 0644).ok());
}

}  // namespace

TEST_CASE("source: a course folder reads into the model and is publishable") {
  TempDir tmp;
  write_source(tmp.path / "c");
  auto sc = read_source(tmp.path / "c");
  REQUIRE_MESSAGE(sc.ok(), sc.status().message());
  CHECK(sc->course.version == 4);
  CHECK(sc->course.level == Level::kSpecial);
  CHECK(sc->course.blueprint.time_limit_minutes == 45);
  REQUIRE(sc->course.lessons.size() == 2);
  CHECK(sc->course.lessons[0].id == "01-蜂群的组成");
  CHECK(sc->course.lessons[0].title == "蜂群的组成");
  CHECK(sc->course.bank.size() == 6);
  CHECK(sc->media.count("media/蜂箱.png") == 1);
  CHECK(validate_for_publish(sc->course).ok());
}

TEST_CASE("source: every problem is listed with its file") {
  TempDir tmp;
  auto dir = tmp.path / "c";
  write_source(dir);
  REQUIRE(write_file_atomic(dir / "lessons/03-无标题.md", "没有标题行\n", 0644).ok());
  REQUIRE(
      write_file_atomic(dir / "lessons/04-缺图.md", "# 缺图\n\n![](../media/没有这张.png)\n", 0644)
          .ok());
  REQUIRE(write_file_atomic(dir / "media/notes.txt", "not an image", 0644).ok());
  auto sc = read_source(dir);
  REQUIRE(!sc.ok());
  const auto& m = sc.status().message();
  CHECK(m.find("03-无标题.md:1: the first line must be") != std::string::npos);
  CHECK(m.find("image not found: media/没有这张.png") != std::string::npos);
  CHECK(m.find("notes.txt: only PNG or JPEG") != std::string::npos);
}

TEST_CASE("source: a bad question in bank.toml names the file, line and question") {
  TempDir tmp;
  auto dir = tmp.path / "c";
  write_source(dir);
  REQUIRE(write_file_atomic(dir / "bank.toml", R"([[question]]
id = "q001"
type = "单选"
chapter = "蜂群的组成"
stem = "蜂王有几只？"
options = ["一只", "两只"]
answer = "C"
)",
                            0644)
              .ok());
  auto sc = read_source(dir);
  REQUIRE(!sc.ok());
  CHECK(sc.status().message().find("bank.toml:1: question q001: ") != std::string::npos);
  REQUIRE(write_file_atomic(dir / "bank.toml", "[[question]\nid = ", 0644).ok());
  sc = read_source(dir);
  REQUIRE(!sc.ok());
  CHECK(sc.status().message().find("bank.toml:1") != std::string::npos);
}

TEST_CASE("bank.toml: written then parsed gives the same questions, escapes included") {
  auto bank = sample_course().course.bank;
  bank[0].stem = "含\"引号\"、反斜杠\\与换行\n第二行\t制表";
  bank[0].explanation = "解析：喆、堃、𠮷、䶮";
  bank[1].points = 2.5;
  auto text = write_bank_toml(bank);
  auto back = parse_bank_toml(text, "bank.toml");
  REQUIRE_MESSAGE(back.ok(), back.status().message());
  REQUIRE(back->size() == bank.size());
  for (std::size_t i = 0; i < bank.size(); ++i) {
    CHECK((*back)[i].stem == bank[i].stem);
    CHECK((*back)[i].explanation == bank[i].explanation);
    CHECK((*back)[i].points == bank[i].points);
    CHECK((*back)[i].blanks == bank[i].blanks);
    CHECK((*back)[i].correct == bank[i].correct);
    CHECK((*back)[i].truth == bank[i].truth);
    CHECK((*back)[i].image == bank[i].image);
  }
  CHECK(write_bank_toml(*back) == text);
}

TEST_CASE("text: full-width folding, truth words, blanks and answer letters") {
  CHECK(fold_fullwidth("Ａ，Ｂ　２") == "A,B 2");
  CHECK(fold_fullwidth("蜂王（一只）") == "蜂王(一只)");
  CHECK(*parse_truth("√") == true);
  CHECK(*parse_truth("错误") == false);
  CHECK(*parse_truth("Ｔ") == true);
  CHECK(!parse_truth("也许").ok());
  CHECK(normalise_blanks("由蜂王、（　　）和雄蜂组成") == "由蜂王、____和雄蜂组成");
  CHECK(normalise_blanks("a ______ b ( ) c") == "a ____ b ____ c");
  CHECK(normalise_blanks("蜂王（一只）") == "蜂王（一只）");
  CHECK(count_blanks("____与________") == 2);
  CHECK(*parse_answer_letters("a、c，Ｄ") == std::vector<int>{0, 2, 3});
  CHECK(!parse_answer_letters("G").ok());
  CHECK(answer_letters({1, 3}) == "BD");
  CHECK(is_valid_utf8("𠮷田"));
  CHECK(!is_valid_utf8("\xC0\x80"));
  auto gb = utf8_to_gb18030_or_empty("䶮𠮷");
  CHECK(!gb.empty());
  CHECK(*gb18030_to_utf8(gb) == "䶮𠮷");
  CHECK(trim("　 题干 　") == "题干");
}

TEST_CASE("source: markdown image references are normalised to package paths") {
  auto imgs =
      markdown_images("![a](../media/a.png) text ![b](./media/b.jpg \"标题\") ![c](media/c.png)");
  CHECK(imgs == std::vector<std::string>{"media/a.png", "media/b.jpg", "media/c.png"});
}
