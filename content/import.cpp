#include "content/import.h"

#include <cstdio>

#include "common/fs.h"
#include "content/import_messages.h"
#include "content/text_util.h"

namespace chz::content {

std::string to_string(const ImportIssue& i) {
  return i.file + ":" + std::to_string(i.line) + ": " + i.reason;
}

Result<ImportFormat> parse_format(std::string_view n) {
  if (n == "xlsx") return ImportFormat::kXlsx;
  if (n == "csv") return ImportFormat::kCsv;
  if (n == "gift") return ImportFormat::kGift;
  if (n == "aiken") return ImportFormat::kAiken;
  return Error(Code::kInvalidArgument,
               "unknown import format \"" + std::string(n) + "\" (xlsx, csv, gift, aiken)");
}

Result<ImportFormat> format_from_name(std::string_view name) {
  auto ext = std::filesystem::path(std::string(name)).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == ".xlsx") return ImportFormat::kXlsx;
  if (ext == ".csv") return ImportFormat::kCsv;
  if (ext == ".gift" || ext == ".txt") return ImportFormat::kGift;
  if (ext == ".aiken") return ImportFormat::kAiken;
  return Error(Code::kInvalidArgument,
               "cannot tell the format of " + std::string(name) + "; use --format");
}

static std::string next_id(const ImportOptions& o, std::set<std::string>& taken, int& counter) {
  for (;;) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%03d", ++counter);
    std::string id = o.id_prefix + buf;
    if (taken.insert(id).second) return id;
  }
}

ImportResult import_bytes(std::string_view bytes, std::string_view file_name, ImportFormat format,
                          const ImportOptions& opts) {
  ImportResult res;
  std::string file(file_name);
  std::vector<ParsedItem> items;
  if (format == ImportFormat::kCsv || format == ImportFormat::kXlsx) {
    auto rows = format == ImportFormat::kCsv ? read_csv(bytes) : read_xlsx(bytes);
    if (!rows.ok()) {
      res.errors.push_back({file, 0, rows.status().message()});
      return res;
    }
    items = parse_table(*rows, opts);
  } else {
    std::string text(bytes);
    if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
    if (!is_valid_utf8(text)) {
      auto conv = gb18030_to_utf8(text);
      if (!conv.ok()) {
        res.errors.push_back({file, 0, std::string(msg::kEncoding)});
        return res;
      }
      text = *conv;
    }
    items = format == ImportFormat::kGift ? parse_gift(text, opts) : parse_aiken(text, opts);
  }

  // Ids: keep given ones (unique), then number the rest.
  std::set<std::string> taken = opts.taken_ids;
  std::vector<ImportIssue> problems;
  for (auto& it : items) {
    if (!it.question || it.question->id.empty()) continue;
    if (!taken.insert(it.question->id).second) {
      it.error = std::string(msg::kDuplicateId) + it.question->id;
      it.question.reset();
    }
  }
  int counter = 0;
  for (auto& it : items) {
    if (it.question && it.question->id.empty()) it.question->id = next_id(opts, taken, counter);
    if (it.question) {
      if (it.question->chapter.empty()) it.question->chapter = opts.default_chapter;
      Status st = validate_question(*it.question);
      if (!st.ok()) {
        it.error = std::string(msg::kInvalid) + st.message();
        it.question.reset();
      }
    }
    if (!it.question) problems.push_back({file, it.line, it.error});
  }
  bool any = false;
  for (const auto& it : items) any |= it.question.has_value();
  if (!any && problems.empty()) problems.push_back({file, 0, std::string(msg::kNoQuestions)});

  if (!problems.empty() && !(opts.skip_bad && any)) {
    res.errors = std::move(problems);
    return res;
  }
  res.skipped = std::move(problems);
  for (auto& it : items)
    if (it.question) res.questions.push_back(std::move(*it.question));
  return res;
}

ImportResult import_file(const std::filesystem::path& file, ImportFormat format,
                         const ImportOptions& opts) {
  auto bytes = read_file(file, 256u << 20);
  if (!bytes.ok()) {
    ImportResult r;
    r.errors.push_back({file.filename().string(), 0, bytes.status().message()});
    return r;
  }
  return import_bytes(*bytes, file.filename().string(), format, opts);
}

}  // namespace chz::content
