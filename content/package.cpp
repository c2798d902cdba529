#include "content/package.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <set>
#include <stdexcept>

#include "content/json_codec.h"

namespace chz::content {

using nlohmann::json;

std::string lesson_path(const Lesson& l) {
  return "lessons/" + l.id + ".md";
}

static std::string sha_hex(std::string_view data) {
  return hex(sha256(data));
}

std::string manifest_json(const Manifest& m) {
  const Course& c = m.course;
  json lessons = json::array();
  for (const auto& l : c.lessons)
    lessons.push_back(
        {{"id", l.id}, {"title", l.title}, {"minutes", l.minutes}, {"path", lesson_path(l)}});
  json items = json::array();
  for (const auto& it : c.blueprint.items)
    items.push_back({{"type", std::string(question_type_name(it.type))},
                     {"chapter", it.chapter},
                     {"count", it.count},
                     {"points_each", it.points_each}});
  json files = json::array();
  for (const auto& f : m.files)
    files.push_back({{"path", f.path}, {"sha256", f.sha256}, {"size", f.size}});
  json j = {
      {"format_version", m.format_version},
      {"package_version", m.package_version},
      {"course",
       {{"id", c.id},
        {"name", c.name},
        {"occupation", c.occupation},
        {"occupation_code", c.occupation_code},
        {"level", static_cast<int>(c.level)},
        {"level_name", std::string(level_name(c.level))},
        {"theory_hours", c.theory_hours},
        {"practical_hours", c.practical_hours},
        {"theory_pass", c.theory_pass},
        {"practical_pass", c.practical_pass},
        {"version", c.version},
        {"summary", c.summary}}},
      {"lessons", lessons},
      {"bank", {{"path", std::string(kBankPath)}, {"count", c.bank.size()}}},
      {"blueprint",
       {{"time_limit_minutes", c.blueprint.time_limit_minutes},
        {"pass_mark", c.blueprint.pass_mark},
        {"multiple_partial_credit", c.blueprint.multiple_partial_credit},
        {"max_attempts", c.blueprint.max_attempts},
        {"items", items}}},
      {"files", files},
  };
  return j.dump(1);
}

static Status bad_manifest(std::string why) {
  return Error(Code::kInvalidArgument, "manifest: " + why, "content.bad_manifest");
}

namespace {
// An integer field (json::at's refusal if absent), or `def` when `def` is
// given and the key is absent. A float is refused, not converted: 1e300
// does not fit, and converting it is undefined.
template <class T>
T integer(const json& o, const char* key, std::optional<T> def = std::nullopt) {
  if (def && !o.contains(key)) return *def;
  const json& v = o.at(key);
  if (!v.is_number_integer()) throw std::invalid_argument(std::string(key) + " is not an integer");
  return v.get<T>();
}
}  // namespace

Result<Manifest> parse_manifest(std::string_view text) {
  Manifest m;
  try {
    json j = json::parse(text);
    if (!j.is_object()) return bad_manifest("not a JSON object");
    if (!j.contains("format_version") || !j["format_version"].is_number_integer())
      return bad_manifest("no format_version");
    m.format_version = j["format_version"].get<int>();
    if (m.format_version != kFormatVersion)
      return Error(Code::kFailedPrecondition,
                   "package format version " + std::to_string(m.format_version) +
                       " is not known to this kiosk (knows " + std::to_string(kFormatVersion) + ")",
                   "content.format_version");
    m.package_version = integer<std::int64_t>(j, "package_version");
    const json& c = j.at("course");
    Course& co = m.course;
    co.id = c.at("id").get<std::string>();
    co.name = c.at("name").get<std::string>();
    co.occupation = c.value("occupation", "");
    co.occupation_code = c.value("occupation_code", "");
    int lv = integer<int>(c, "level");
    if (lv < 0 || lv > 5) return bad_manifest("level out of range");
    co.level = static_cast<Level>(lv);
    co.theory_hours = integer<int>(c, "theory_hours", 0);
    co.practical_hours = integer<int>(c, "practical_hours", 0);
    co.theory_pass = c.value("theory_pass", 60.0);
    co.practical_pass = c.value("practical_pass", 60.0);
    co.version = integer<std::int64_t>(c, "version");
    co.summary = c.value("summary", "");
    if (co.version != m.package_version)
      return bad_manifest("course version differs from package version");
    for (const auto& l : j.at("lessons")) {
      Lesson le;
      le.id = l.at("id").get<std::string>();
      le.title = l.at("title").get<std::string>();
      le.minutes = integer<int>(l, "minutes", 45);
      if (l.value("path", "") != lesson_path(le))
        return bad_manifest("lesson path is not lessons/<id>.md");
      co.lessons.push_back(std::move(le));
    }
    const json& b = j.at("blueprint");
    co.blueprint.time_limit_minutes = integer<int>(b, "time_limit_minutes", 60);
    co.blueprint.pass_mark = b.value("pass_mark", 60.0);
    co.blueprint.multiple_partial_credit = b.value("multiple_partial_credit", false);
    co.blueprint.max_attempts = integer<int>(b, "max_attempts", 3);
    for (const auto& it : b.at("items")) {
      BlueprintItem bi;
      auto t = parse_question_type(it.at("type").get<std::string>());
      if (!t.ok()) return bad_manifest(t.status().message());
      bi.type = *t;
      bi.chapter = it.value("chapter", "");
      bi.count = integer<int>(it, "count");
      bi.points_each = it.value("points_each", 1.0);
      co.blueprint.items.push_back(bi);
    }
    for (const auto& f : j.at("files")) {
      ManifestFile mf;
      mf.path = f.at("path").get<std::string>();
      mf.sha256 = f.at("sha256").get<std::string>();
      mf.size = integer<std::uint64_t>(f, "size");
      m.files.push_back(std::move(mf));
    }
  } catch (const std::exception& e) {  // json's refusals and integer()'s
    return bad_manifest(e.what());
  }
  std::set<std::string> seen;
  for (const auto& f : m.files) {
    if (Status st = check_entry_path(f.path); !st.ok()) return st;
    if (f.path == kManifestPath || f.path == kSignaturePath || !seen.insert(f.path).second)
      return bad_manifest("file listed twice or reserved: " + f.path);
  }
  return m;
}

Result<std::string> signature_json(std::string_view manifest_bytes, const Key32& secret) {
  CHZ_ASSIGN_OR_RETURN(Key32 pub, ed25519_public_from_secret(secret));
  CHZ_ASSIGN_OR_RETURN(auto sig, ed25519_sign(secret, as_bytes(manifest_bytes)));
  json j = {{"alg", "Ed25519"}, {"public_key", hex(pub)}, {"signature", hex(sig)}};
  return j.dump(1);
}

Result<Course> assemble_course(const Manifest& m, const FileReader& read, bool check_media) {
  std::map<std::string, const ManifestFile*> pinned;
  for (const auto& f : m.files) pinned[f.path] = &f;
  auto get = [&](const std::string& path) -> Result<std::string> {
    auto it = pinned.find(path);
    if (it == pinned.end())
      return Error(Code::kTampered, "the manifest does not list " + path, "content.missing_file");
    CHZ_ASSIGN_OR_RETURN(std::string data, read(path));
    if (data.size() != it->second->size)
      return Error(Code::kTampered, path + ": size differs from the manifest",
                   "content.size_mismatch");
    if (sha_hex(data) != it->second->sha256)
      return Error(Code::kTampered, path + ": SHA-256 differs from the manifest",
                   "content.hash_mismatch");
    return data;
  };
  // Every pinned file must check out, media included.
  if (check_media)
    for (const auto& f : m.files) CHZ_TRY(get(f.path).status());
  Course c = m.course;
  for (auto& l : c.lessons) {
    CHZ_ASSIGN_OR_RETURN(l.markdown, get(lesson_path(l)));
  }
  CHZ_ASSIGN_OR_RETURN(std::string bank, get(std::string(kBankPath)));
  auto parsed = bank_from_json(bank);
  if (!parsed.ok())
    return Error(Code::kInvalidArgument, parsed.status().message(), "content.invalid_course");
  c.bank = std::move(*parsed);
  for (const auto& q : c.bank)
    if (!q.image.empty() && !pinned.count(q.image))
      return Error(Code::kInvalidArgument, "question " + q.id + " names a missing image",
                   "content.invalid_course");
  if (Status st = validate_course(c); !st.ok())
    return Error(Code::kInvalidArgument, st.message(), "content.invalid_course");
  return c;
}

Result<std::string> build_package(const SourceCourse& src, const std::optional<Key32>& secret) {
  CHZ_TRY(validate_for_publish(src.course));
  Manifest m;
  m.package_version = src.course.version;
  m.course = src.course;
  m.course.bank.clear();
  std::vector<ArchiveEntry> entries;
  auto add = [&](std::string path, std::string data) {
    m.files.push_back({path, sha_hex(data), data.size()});
    entries.push_back({std::move(path), std::move(data)});
  };
  for (auto& l : m.course.lessons) {
    add(lesson_path(l), l.markdown);
    l.markdown.clear();
  }
  add(std::string(kBankPath), bank_to_json(src.course.bank));
  for (const auto& [path, data] : src.media) add(path, data);
  std::string mj = manifest_json(m);
  std::vector<ArchiveEntry> all;
  all.push_back({std::string(kManifestPath), mj});
  if (secret) {
    CHZ_ASSIGN_OR_RETURN(std::string sig, signature_json(mj, *secret));
    all.push_back({std::string(kSignaturePath), std::move(sig)});
  }
  for (auto& e : entries) all.push_back(std::move(e));
  return write_tar_gz(all);
}

// Verifies and assembles; trust == nullptr means "inspect": report, don't judge.
static Result<Package> open_entries(std::vector<ArchiveEntry> entries,
                                    const std::vector<Key32>* trusted) {
  Package p;
  std::optional<std::string> sig_text;
  std::map<std::string, std::string> files;
  for (auto& e : entries) {
    if (e.path == kManifestPath)
      p.manifest_bytes = std::move(e.data);
    else if (e.path == kSignaturePath)
      sig_text = std::move(e.data);
    else
      files[e.path] = std::move(e.data);
  }
  bool has_manifest = false;
  for (const auto& e : entries) has_manifest |= e.path == kManifestPath;
  if (!has_manifest) return bad_manifest("the package has no manifest.json");
  if (sig_text) {
    p.signature_bytes = *sig_text;
    try {
      json s = json::parse(*sig_text);
      auto pub = unhex(s.at("public_key").get<std::string>());
      auto sig = unhex(s.at("signature").get<std::string>());
      if (s.value("alg", "") == "Ed25519" && pub.ok() && pub->size() == 32 && sig.ok()) {
        Key32 k;
        std::copy(pub->begin(), pub->end(), k.begin());
        p.signer = k;
        p.signature_valid = ed25519_verify(k, as_bytes(p.manifest_bytes), *sig).ok();
      }
    } catch (const json::exception&) {
    }
  }
  if (trusted) {
    if (!sig_text)
      return Error(Code::kUnauthenticated, "the package is not signed (no manifest.sig)",
                   "content.no_signature");
    if (!p.signer)
      return Error(Code::kTampered, "manifest.sig is malformed", "content.bad_signature");
    bool known = false;
    for (const auto& k : *trusted) known |= equal_ct(k, *p.signer);
    if (!known)
      return Error(Code::kUnauthenticated,
                   "the package is signed by key " + hex(*p.signer).substr(0, 16) +
                       "..., which this kiosk does not trust",
                   "content.untrusted_key");
    if (!p.signature_valid)
      return Error(Code::kTampered, "the manifest signature does not verify",
                   "content.bad_signature");
  }
  CHZ_ASSIGN_OR_RETURN(p.manifest, parse_manifest(p.manifest_bytes));
  std::set<std::string> pinned;
  for (const auto& f : p.manifest.files) pinned.insert(f.path);
  for (const auto& [path, data] : files)
    if (!pinned.count(path))
      return Error(Code::kTampered, path + " is in the package but not in the manifest",
                   "content.extra_file");
  for (const auto& f : p.manifest.files)
    if (!files.count(f.path))
      return Error(Code::kTampered, f.path + " is in the manifest but not in the package",
                   "content.missing_file");
  CHZ_ASSIGN_OR_RETURN(
      p.course, assemble_course(p.manifest, [&](const std::string& path) -> Result<std::string> {
        return files.at(path);
      }));
  p.files = std::move(files);
  return p;
}

Result<Package> open_package(std::string_view bytes, const std::vector<Key32>& trusted,
                             const ArchiveLimits& limits) {
  CHZ_ASSIGN_OR_RETURN(auto entries, read_archive(bytes, ArchiveKind::kTar, limits));
  return open_entries(std::move(entries), &trusted);
}

Result<Package> open_package_file(const std::filesystem::path& file,
                                  const std::vector<Key32>& trusted, const ArchiveLimits& limits) {
  CHZ_ASSIGN_OR_RETURN(auto entries, read_archive_file(file, ArchiveKind::kTar, limits));
  return open_entries(std::move(entries), &trusted);
}

Result<Package> inspect_package(std::string_view bytes, const ArchiveLimits& limits) {
  CHZ_ASSIGN_OR_RETURN(auto entries, read_archive(bytes, ArchiveKind::kTar, limits));
  return open_entries(std::move(entries), nullptr);
}

Result<std::string> sign_package(std::string_view package, const Key32& secret) {
  CHZ_ASSIGN_OR_RETURN(Package p, inspect_package(package));
  std::vector<ArchiveEntry> all;
  all.push_back({std::string(kManifestPath), p.manifest_bytes});
  CHZ_ASSIGN_OR_RETURN(std::string sig, signature_json(p.manifest_bytes, secret));
  all.push_back({std::string(kSignaturePath), std::move(sig)});
  for (const auto& f : p.manifest.files) all.push_back({f.path, p.files.at(f.path)});
  return write_tar_gz(all);
}

}  // namespace chz::content
