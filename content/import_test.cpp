#include "content/import.h"

#include <doctest/doctest.h>
#include <xlsxwriter.h>

#include <limits>

#include "common/fs.h"
#include "content/import_messages.h"
#include "content/testdata/sample_course.h"
#include "content/text_util.h"

using namespace chz;
using namespace chz::content;
using namespace chz::content::testing;
namespace fs = std::filesystem;

namespace {

fs::path fixture(const char* name) {
  const char* src = std::getenv("CHZ_SOURCE_DIR");
  return fs::path(src ? src : ".") / "content/testdata" / name;
}

ImportResult import_fixture(const char* name, ImportFormat f, bool skip = false) {
  ImportOptions o;
  o.skip_bad = skip;
  return import_file(fixture(name), f, o);
}

// The reason reported for `line`, or "" if none.
std::string reason_at(const ImportResult& r, int line) {
  for (const auto& i : r.errors)
    if (i.line == line) return i.reason;
  for (const auto& i : r.skipped)
    if (i.line == line) return i.reason;
  return "";
}

bool starts(const std::string& s, std::string_view prefix) {
  return s.rfind(prefix, 0) == 0;
}

void check_good_csv(const ImportResult& r) {
  REQUIRE_MESSAGE(r.ok(), (r.errors.empty() ? "" : to_string(r.errors[0])));
  REQUIRE(r.questions.size() == 7);
  const auto& q = r.questions;
  CHECK(q[0].id == "q001");
  CHECK(q[0].type == QuestionType::kSingle);
  CHECK(q[0].correct == std::vector<int>{0});  // full-width Ａ
  CHECK(q[0].points == 2);                     // full-width ２
  CHECK(q[0].chapter == "蜂群的组成");
  CHECK(q[1].type == QuestionType::kMultiple);
  CHECK(q[1].correct == std::vector<int>{0, 1, 2});  // "Ａ，Ｂ、C"
  CHECK(q[1].options[2] == "蜂王产卵减少，腹部缩小");
  CHECK(q[2].type == QuestionType::kTrueFalse);
  CHECK(q[2].truth);
  CHECK(q[3].truth);  // answered with the letter of the option "正确"
  CHECK(q[4].type == QuestionType::kFill);
  CHECK(q[4].stem == "中蜂蜂群由蜂王、____和雄蜂组成。");  // （　　） became a blank
  CHECK(q[4].blanks == std::vector<std::vector<std::string>>{{"工蜂", "工蜂群"}});
  CHECK(q[5].stem == "焊条电弧焊的\"三要素\"是____、____和焊接速度。");
  CHECK(q[5].blanks ==
        std::vector<std::vector<std::string>>{{"焊接电流"}, {"电弧电压", "电弧长度"}});
  CHECK(q[5].explanation == "多行\n解析：第二空也可答电弧长度。");
  CHECK(q[5].points == 3);
}

}  // namespace

TEST_CASE("import csv: UTF-8 with BOM, full-width answers, quoted cells, every type") {
  auto r = import_fixture("bank_good.csv", ImportFormat::kCsv);
  check_good_csv(r);
  CHECK(r.questions[6].stem.find("阿依古丽·买买提") != std::string::npos);
  CHECK(r.questions[6].stem.find("𠮷") != std::string::npos);
}

TEST_CASE("import csv: GB18030 is detected and converted") {
  auto raw = read_file(fixture("bank_gb18030.csv"));
  REQUIRE(raw.ok());
  CHECK(!is_valid_utf8(*raw));
  auto r = import_fixture("bank_gb18030.csv", ImportFormat::kCsv);
  check_good_csv(r);
  CHECK(r.questions[6].stem.find("𠮷") != std::string::npos);  // four-byte GB18030
}

TEST_CASE("import csv: every row error is reported with its row and nothing is imported") {
  auto r = import_fixture("bank_errors.csv", ImportFormat::kCsv);
  CHECK(r.questions.empty());
  REQUIRE(r.errors.size() == 13);
  CHECK(starts(reason_at(r, 2), msg::kUnknownType));
  CHECK(reason_at(r, 3) == msg::kEmptyStem);
  CHECK(reason_at(r, 4) == msg::kEmptyAnswer);
  CHECK(starts(reason_at(r, 5), msg::kAnswerNotLetters));
  CHECK(starts(reason_at(r, 6), msg::kAnswerNoOption));
  CHECK(reason_at(r, 7) == msg::kSingleOneAnswer);
  CHECK(reason_at(r, 8) == msg::kMultipleTwoAnswers);
  CHECK(reason_at(r, 9) == msg::kTooFewOptions);
  CHECK(starts(reason_at(r, 10), msg::kOptionGap));
  CHECK(starts(reason_at(r, 11), msg::kTruthAnswer));
  CHECK(reason_at(r, 12) == msg::kBlankCount);
  CHECK(starts(reason_at(r, 13), msg::kBadPoints));
  CHECK(starts(reason_at(r, 15), msg::kDuplicateId));
  CHECK(r.errors[0].file == "bank_errors.csv");
  CHECK(to_string(r.errors[0]).rfind("bank_errors.csv:2: ", 0) == 0);
}

TEST_CASE("import csv: infinite points (inf, 1e999) are refused as bad points") {
  // Caught by tests/fuzz/csv_fuzz's bank.json round trip: strtod reads both
  // as infinity, which passed "> 0" and made a bank that bank.json cannot
  // hold (null points).
  for (std::string p : {"inf", "INF", "1e999", "nan"}) {
    std::string csv = "题型,题干,选项A,选项B,答案,分值\n单选,蜂王有几只？,一只,两只,A," + p + "\n";
    auto r = import_bytes(csv, "bank.csv", ImportFormat::kCsv);
    CHECK_MESSAGE(r.questions.empty(), p);
    REQUIRE(r.errors.size() == 1);
    CHECK(starts(r.errors[0].reason, msg::kBadPoints));
  }
  Question q = sample_course().course.bank[0];
  q.points = std::numeric_limits<double>::infinity();
  CHECK(!validate_question(q).ok());
}

TEST_CASE("import csv: with skip-bad the good rows come in and the bad are listed") {
  auto r = import_fixture("bank_errors.csv", ImportFormat::kCsv, true);
  CHECK(r.ok());
  REQUIRE(r.questions.size() == 1);
  CHECK(r.questions[0].id == "e14");
  CHECK(r.skipped.size() == 13);
}

TEST_CASE("import csv: file-level errors") {
  auto r = import_fixture("bank_unterminated.csv", ImportFormat::kCsv);
  REQUIRE(r.errors.size() == 1);
  CHECK(starts(r.errors[0].reason, msg::kUnterminatedQuote));
  r = import_fixture("bank_missing_column.csv", ImportFormat::kCsv);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].reason == std::string(msg::kMissingColumn) + "题型");
  CHECK(r.errors[0].line == 1);
  r = import_fixture("bank_bad_encoding.csv", ImportFormat::kCsv);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].reason == msg::kEncoding);
  r = import_bytes("题型,题干,答案\n", "empty.csv", ImportFormat::kCsv);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].reason == msg::kNoQuestions);
  r = import_bytes("not a zip", "bad.xlsx", ImportFormat::kXlsx);
  REQUIRE(r.errors.size() == 1);
  CHECK(starts(r.errors[0].reason, msg::kNotXlsx));
}

TEST_CASE("import gift: categories, titles, weights, true/false, short answer, escapes, comments") {
  auto r = import_fixture("bank.gift", ImportFormat::kGift);
  REQUIRE_MESSAGE(r.ok(), (r.errors.empty() ? "" : to_string(r.errors[0])));
  REQUIRE(r.questions.size() == 8);
  const auto& q = r.questions;
  CHECK(q[0].id == "Q蜂王数量");
  CHECK(q[0].chapter == "蜂群的组成");
  CHECK(q[0].type == QuestionType::kSingle);
  CHECK(q[0].options == std::vector<std::string>{"一只", "两只", "三只", "没有固定数量"});
  CHECK(q[0].correct == std::vector<int>{0});
  CHECK(q[0].explanation == "正常蜂群只有一只产卵蜂王。");
  CHECK(q[1].type == QuestionType::kMultiple);
  CHECK(q[1].correct == std::vector<int>{0, 1, 2});
  CHECK(q[2].chapter == "中蜂的特点");
  CHECK(q[2].type == QuestionType::kTrueFalse);
  CHECK(q[2].truth);
  CHECK(q[2].id == "q001");
  CHECK(q[3].id == "Q意蜂");
  CHECK(!q[3].truth);
  CHECK(q[3].explanation == "意蜂原产于意大利。");
  CHECK(q[4].type == QuestionType::kFill);
  CHECK(q[4].stem == "中蜂蜂群由蜂王、____和雄蜂组成。");
  CHECK(q[4].blanks ==
        std::vector<std::vector<std::string>>{{"工蜂", "工蜂群"}});  // 50% answer left out
  CHECK(q[5].stem == "蜂箱巢门应朝向哪个方向？____");
  CHECK(q[5].blanks == std::vector<std::vector<std::string>>{{"南", "南方"}});
  CHECK(q[6].stem == "转义测试：1:1 的比例、a=b、{花括号}、#号与~波浪号？");
  CHECK(q[6].options == std::vector<std::string>{"比例 1:1", "a=b", "{x}"});
  CHECK(q[7].id == "多行");
  CHECK(q[7].stem == "第一行\n第二行的题干，含全角标点：“引号”、（括号）！");
}

TEST_CASE("import gift: one = answer with partial-credit options stays single choice") {
  auto r = import_bytes("焊条烘干温度一般是？{=350℃左右 ~%50%250℃左右 ~100℃左右}\n", "w.gift",
                        ImportFormat::kGift);
  REQUIRE(r.ok());
  REQUIRE(r.questions.size() == 1);
  CHECK(r.questions[0].type == QuestionType::kSingle);
  CHECK(r.questions[0].correct == std::vector<int>{0});
  CHECK(r.questions[0].stem == "焊条烘干温度一般是？");
}

TEST_CASE("import gift: every error is reported with its line") {
  auto r = import_fixture("bank_errors.gift", ImportFormat::kGift);
  CHECK(r.questions.empty());
  REQUIRE(r.errors.size() == 7);
  CHECK(reason_at(r, 3) == msg::kGiftNoAnswerBlock);
  CHECK(reason_at(r, 5) == msg::kGiftUnterminated);
  CHECK(starts(reason_at(r, 7), msg::kGiftUnsupported));
  CHECK(starts(reason_at(r, 9), msg::kGiftUnsupported));
  CHECK(starts(reason_at(r, 11), msg::kGiftUnsupported));
  CHECK(reason_at(r, 13) == msg::kGiftNoCorrect);
  CHECK(reason_at(r, 15) == msg::kTooFewOptions);
  auto skip = import_fixture("bank_errors.gift", ImportFormat::kGift, true);
  REQUIRE(skip.questions.size() == 1);
  CHECK(skip.questions[0].id == "Q好题");
  CHECK(skip.questions[0].chapter == "错误示例");
}

TEST_CASE("import aiken: Moodle and Chinese option styles, full-width ANSWER") {
  ImportOptions o;
  o.default_chapter = "综合";
  auto r = import_file(fixture("bank.aiken"), ImportFormat::kAiken, o);
  REQUIRE_MESSAGE(r.ok(), (r.errors.empty() ? "" : to_string(r.errors[0])));
  REQUIRE(r.questions.size() == 4);
  CHECK(r.questions[0].options.size() == 4);
  CHECK(r.questions[0].chapter == "综合");
  CHECK(r.questions[1].options[0] == "果实初熟、尚带绿色时");
  CHECK(r.questions[2].options[0] == "焊接面罩（护目镜）");
  CHECK(r.questions[2].correct == std::vector<int>{0});
  CHECK(r.questions[3].options[0] == "真实、准确，不作虚假宣传");
}

TEST_CASE("import aiken: every error is reported with its line") {
  auto r = import_fixture("bank_errors.aiken", ImportFormat::kAiken);
  REQUIRE(r.errors.size() == 5);
  CHECK(reason_at(r, 1) == msg::kAikenNoAnswer);
  CHECK(reason_at(r, 5) == msg::kAikenNoOptions);
  CHECK(reason_at(r, 8) == msg::kTooFewOptions);
  CHECK(starts(reason_at(r, 12), msg::kAnswerNotLetters));
  CHECK(starts(reason_at(r, 17), msg::kAnswerNoOption));
}

TEST_CASE("import xlsx: export then import gives the same questions") {
  TempDir tmp;
  auto bank = sample_course().course.bank;
  bank[0].points = 2.5;
  bank[0].explanation = "含“全角引号”与换行\n第二行";
  auto out = tmp.path / "题库.xlsx";
  REQUIRE(export_xlsx(bank, out).ok());
  auto r = import_file(out, ImportFormat::kXlsx);
  REQUIRE_MESSAGE(r.ok(), (r.errors.empty() ? "" : to_string(r.errors[0])));
  REQUIRE(r.questions.size() == bank.size());
  for (std::size_t i = 0; i < bank.size(); ++i) {
    const auto& a = bank[i];
    const auto& b = r.questions[i];
    CHECK(a.id == b.id);
    CHECK(a.type == b.type);
    CHECK(a.chapter == b.chapter);
    CHECK(a.stem == b.stem);
    CHECK(a.options == b.options);
    CHECK(a.correct == b.correct);
    CHECK(a.truth == b.truth);
    CHECK(a.blanks == b.blanks);
    CHECK(a.points == b.points);
    CHECK(a.explanation == b.explanation);
    CHECK(a.image == b.image);
  }
}

TEST_CASE("import xlsx: inline strings (constant-memory writers) are read too") {
  TempDir tmp;
  auto path = tmp.path / "inline.xlsx";
  lxw_workbook_options opts = {};
  opts.constant_memory = LXW_TRUE;
  lxw_workbook* wb = workbook_new_opt(path.c_str(), &opts);
  lxw_worksheet* ws = workbook_add_worksheet(wb, nullptr);
  const char* header[] = {"题型", "章节", "题干", "选项A", "选项B", "答案", "分值"};
  const char* row[] = {"单选", "焊接安全", "电焊作业前应检查什么？", "焊机接地", "天气预报",
                       "A",    nullptr};
  for (lxw_col_t c = 0; c < 7; ++c) worksheet_write_string(ws, 0, c, header[c], nullptr);
  for (lxw_col_t c = 0; c < 6; ++c) worksheet_write_string(ws, 1, c, row[c], nullptr);
  worksheet_write_number(ws, 1, 6, 4, nullptr);
  REQUIRE(workbook_close(wb) == LXW_NO_ERROR);
  auto bytes = read_file(path);
  REQUIRE(bytes.ok());
  CHECK(bytes->find("sharedStrings") == std::string::npos);
  auto r = import_bytes(*bytes, "inline.xlsx", ImportFormat::kXlsx);
  REQUIRE_MESSAGE(r.ok(), (r.errors.empty() ? "" : to_string(r.errors[0])));
  REQUIRE(r.questions.size() == 1);
  CHECK(r.questions[0].stem == "电焊作业前应检查什么？");
  CHECK(r.questions[0].chapter == "焊接安全");
  CHECK(r.questions[0].points == 4);
}

TEST_CASE("import xlsx: title rows above the header and TRUE/FALSE cells") {
  TempDir tmp;
  auto path = tmp.path / "titled.xlsx";
  lxw_workbook* wb = workbook_new(path.c_str());
  lxw_worksheet* ws = workbook_add_worksheet(wb, nullptr);
  worksheet_write_string(ws, 0, 0, "沁水县家政服务员题库（2026年版）", nullptr);
  const char* header[] = {"题号", "试题类型", "试题内容", "正确答案", "知识点"};
  for (lxw_col_t c = 0; c < 5; ++c) worksheet_write_string(ws, 2, c, header[c], nullptr);
  worksheet_write_string(ws, 3, 0, "J-01", nullptr);
  worksheet_write_string(ws, 3, 1, "判断题", nullptr);
  worksheet_write_string(ws, 3, 2, "为老人洗澡前应先调好水温。", nullptr);
  worksheet_write_boolean(ws, 3, 3, 1, nullptr);
  worksheet_write_string(ws, 3, 4, "老年照护", nullptr);
  REQUIRE(workbook_close(wb) == LXW_NO_ERROR);
  auto r = import_file(path, ImportFormat::kXlsx);
  REQUIRE_MESSAGE(r.ok(), (r.errors.empty() ? "" : to_string(r.errors[0])));
  REQUIRE(r.questions.size() == 1);
  CHECK(r.questions[0].id == "J-01");
  CHECK(r.questions[0].type == QuestionType::kTrueFalse);
  CHECK(r.questions[0].truth);
  CHECK(r.questions[0].chapter == "老年照护");
}

TEST_CASE("import: ids continue after those already in the bank") {
  ImportOptions o;
  o.taken_ids = {"q001", "q002"};
  auto r = import_file(fixture("bank.aiken"), ImportFormat::kAiken, o);
  REQUIRE(r.ok());
  CHECK(r.questions[0].id == "q003");
}

TEST_CASE("import: format from file name") {
  CHECK(*format_from_name("题库.XLSX") == ImportFormat::kXlsx);
  CHECK(*format_from_name("a.csv") == ImportFormat::kCsv);
  CHECK(*format_from_name("a.gift") == ImportFormat::kGift);
  CHECK(*format_from_name("a.aiken") == ImportFormat::kAiken);
  CHECK(!format_from_name("a.doc").ok());
}
