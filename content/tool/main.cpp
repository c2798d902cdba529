// chizheng-content: build, sign, verify and inspect course packages, and
// import question banks. Thin: every decision is in the chz_content library.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>

#include "common/fs.h"
#include "common/version.h"
#include "content/bank_toml.h"
#include "content/import.h"
#include "content/keys.h"
#include "content/package.h"
#include "content/source.h"

namespace fs = std::filesystem;
using namespace chz;
using namespace chz::content;

namespace {

Status keygen(const fs::path& name) {
  auto kp = ed25519_generate();
  fs::path key = name, pub = name;
  key += ".key";
  pub += ".pub";
  CHZ_TRY(write_key_file(key, kp.secret, "chizheng county content key (SECRET: keep off kiosks)",
                         0600));
  CHZ_TRY(
      write_key_file(pub, kp.pub, "chizheng county content public key (install on kiosks)", 0644));
  std::cout << "wrote " << key.string() << " and " << pub.string() << "\npublic key " << hex(kp.pub)
            << "\n";
  return OkStatus();
}

Result<std::optional<Key32>> optional_key(const std::string& key_file) {
  if (key_file.empty()) return std::optional<Key32>();
  CHZ_ASSIGN_OR_RETURN(Key32 k, read_key_file(key_file));
  return std::optional<Key32>(k);
}

Status build_one(const fs::path& src, const fs::path& out, const std::optional<Key32>& key) {
  CHZ_ASSIGN_OR_RETURN(SourceCourse sc, read_source(src));
  CHZ_ASSIGN_OR_RETURN(std::string pkg, build_package(sc, key));
  CHZ_TRY(write_file_atomic(out, pkg, 0644));
  const Course& c = sc.course;
  std::cout << out.string() << ": " << c.id << " v" << c.version << " 《" << c.name << "》 "
            << c.lessons.size() << " lessons, " << c.bank.size() << " questions, "
            << sc.media.size() << " images, " << pkg.size() << " bytes"
            << (key ? ", signed" : ", UNSIGNED") << "\n";
  return OkStatus();
}

Status build_all(const fs::path& root, const fs::path& out_dir, const std::optional<Key32>& key) {
  std::vector<fs::path> dirs;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(root, ec))
    if (e.is_directory() && fs::exists(e.path() / "course.toml")) dirs.push_back(e.path());
  if (ec) return Error(Code::kNotFound, root.string() + ": " + ec.message());
  std::sort(dirs.begin(), dirs.end());
  if (dirs.empty())
    return Error(Code::kNotFound, root.string() + ": no course folders (*/course.toml)");
  fs::create_directories(out_dir, ec);
  int failed = 0;
  for (const auto& d : dirs) {
    auto sc = read_source(d);
    if (!sc.ok()) {
      std::cerr << d.string() << ":\n" << sc.status().message() << "\n";
      ++failed;
      continue;
    }
    fs::path out =
        out_dir / (sc->course.id + "-v" + std::to_string(sc->course.version) + ".chzpkg");
    Status st = build_one(d, out, key);
    if (!st.ok()) {
      std::cerr << d.string() << ": " << st.message() << "\n";
      ++failed;
    }
  }
  if (failed)
    return Error(Code::kInvalidArgument, std::to_string(failed) + " course(s) failed to build");
  return OkStatus();
}

void print_package(const Package& p) {
  const Course& c = p.course;
  std::cout << "course      " << c.id << " 《" << c.name << "》\n"
            << "occupation  " << c.occupation
            << (c.occupation_code.empty() ? "" : " (" + c.occupation_code + ")") << "\nlevel       "
            << level_name(c.level) << "\nhours       theory " << c.theory_hours << ", practical "
            << c.practical_hours << "\nversion     " << c.version << " (format "
            << p.manifest.format_version << ")\nsigner      "
            << (p.signer ? hex(*p.signer) : std::string("none (unsigned)"))
            << (p.signer ? (p.signature_valid ? "  signature valid" : "  SIGNATURE INVALID") : "")
            << "\n";
  std::cout << "lessons     " << c.lessons.size() << "\n";
  for (const auto& l : c.lessons) std::cout << "  " << l.id << "  " << l.title << "\n";
  int by_type[4] = {0, 0, 0, 0};
  for (const auto& q : c.bank) by_type[static_cast<int>(q.type)]++;
  std::cout << "bank        " << c.bank.size() << " (单选 " << by_type[0] << ", 多选 " << by_type[1]
            << ", 判断 " << by_type[2] << ", 填空 " << by_type[3] << ")\nblueprint   "
            << blueprint_points(c.blueprint) << " points, " << c.blueprint.time_limit_minutes
            << " min, pass " << c.blueprint.pass_mark << "\n";
  for (const auto& it : c.blueprint.items)
    std::cout << "  " << question_type_name(it.type) << " × " << it.count << " × " << it.points_each
              << "  " << (it.chapter.empty() ? "(any chapter)" : it.chapter) << "\n";
  std::cout << "files       " << p.manifest.files.size() << "\n";
  for (const auto& f : p.manifest.files)
    std::cout << "  " << f.sha256.substr(0, 16) << "  " << f.size << "  " << f.path << "\n";
}

Status import_cmd(const fs::path& file, const std::string& format_name, const fs::path& out,
                  const fs::path& into, bool skip_bad, const std::string& chapter) {
  if (out.empty() == into.empty())
    return Error(Code::kInvalidArgument, "give exactly one of -o FILE or --into SRC_DIR");
  ImportFormat format;
  if (!format_name.empty()) {
    CHZ_ASSIGN_OR_RETURN(format, parse_format(format_name));
  } else {
    CHZ_ASSIGN_OR_RETURN(format, format_from_name(file.filename().string()));
  }
  ImportOptions opts;
  opts.skip_bad = skip_bad;
  opts.default_chapter = chapter;
  std::vector<Question> bank;
  fs::path target = out;
  if (!into.empty()) {
    target = into / "bank.toml";
    if (fs::exists(target)) {
      CHZ_ASSIGN_OR_RETURN(std::string text, read_file(target));
      CHZ_ASSIGN_OR_RETURN(bank, parse_bank_toml(text, target.string()));
      for (const auto& q : bank) opts.taken_ids.insert(q.id);
    }
  }
  ImportResult r = import_file(file, format, opts);
  for (const auto& e : r.errors) std::cerr << "error: " << to_string(e) << "\n";
  for (const auto& e : r.skipped) std::cerr << "skipped: " << to_string(e) << "\n";
  if (!r.ok())
    return Error(Code::kInvalidArgument,
                 std::to_string(r.errors.size()) +
                     " problem(s); nothing imported (--skip-bad imports the good rows)");
  std::size_t added = r.questions.size();
  for (auto& q : r.questions) bank.push_back(std::move(q));
  CHZ_TRY(write_file_atomic(target, write_bank_toml(bank), 0644));
  std::cout << "imported " << added << " question(s) into " << target.string();
  if (!r.skipped.empty()) std::cout << "; skipped " << r.skipped.size() << " (listed above)";
  std::cout << "\n";
  return OkStatus();
}

Status export_cmd(const fs::path& from, const fs::path& out) {
  fs::path bank_file = fs::is_directory(from) ? from / "bank.toml" : from;
  CHZ_ASSIGN_OR_RETURN(std::string text, read_file(bank_file));
  CHZ_ASSIGN_OR_RETURN(auto bank, parse_bank_toml(text, bank_file.string()));
  CHZ_TRY(export_xlsx(bank, out));
  std::cout << "wrote " << bank.size() << " question(s) to " << out.string() << "\n";
  return OkStatus();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "chizheng-content: course packages (build, sign, verify, inspect) and question-bank import"};
  app.set_version_flag("--version", chz::version_text("chizheng-content"));
  app.require_subcommand(1);
  app.fallthrough();  // global options after the subcommand too
  Status st;
  auto run = [&st](CLI::App* sub, std::function<Status()> fn) {
    sub->callback([&st, fn] { st = fn(); });
  };

  fs::path key_name;
  auto* kg = app.add_subcommand("keygen",
                                "Create a county content key pair NAME.key (secret) and NAME.pub");
  kg->add_option("-o,--out", key_name, "Path prefix for the key files")->required();
  run(kg, [&] { return keygen(key_name); });

  fs::path src, out;
  std::string key_file;
  auto* b = app.add_subcommand(
      "build", "Validate a course source folder and package it (signed with --key)");
  b->add_option("src", src, "Course source folder (content/courses/<id>)")
      ->required()
      ->check(CLI::ExistingDirectory);
  b->add_option("-o,--out", out, "Package file to write")->required();
  b->add_option("--key", key_file, "County content secret key file (omit for an unsigned package)");
  run(b, [&]() -> Status {
    CHZ_ASSIGN_OR_RETURN(auto key, optional_key(key_file));
    return build_one(src, out, key);
  });

  auto* ba =
      app.add_subcommand("build-all", "Build every course folder under a directory into OUT_DIR");
  ba->add_option("root", src, "Folder of course folders (content/courses)")
      ->required()
      ->check(CLI::ExistingDirectory);
  ba->add_option("-o,--out", out, "Output folder")->required();
  ba->add_option("--key", key_file, "County content secret key file");
  run(ba, [&]() -> Status {
    CHZ_ASSIGN_OR_RETURN(auto key, optional_key(key_file));
    return build_all(src, out, key);
  });

  auto* ck =
      app.add_subcommand("check", "Validate a course source folder without writing anything");
  ck->add_option("src", src, "Course source folder")->required()->check(CLI::ExistingDirectory);
  run(ck, [&]() -> Status {
    CHZ_ASSIGN_OR_RETURN(SourceCourse sc, read_source(src));
    CHZ_TRY(validate_for_publish(sc.course));
    std::cout << src.string() << ": ok, " << sc.course.lessons.size() << " lessons, "
              << sc.course.bank.size() << " questions\n";
    return OkStatus();
  });

  fs::path pkg_file;
  auto* sg = app.add_subcommand("sign", "Sign (or re-sign) a package with the county content key");
  sg->add_option("file", pkg_file, "Package file")->required()->check(CLI::ExistingFile);
  sg->add_option("--key", key_file, "County content secret key file")->required();
  sg->add_option("-o,--out", out, "Write here instead of replacing the file");
  run(sg, [&]() -> Status {
    CHZ_ASSIGN_OR_RETURN(Key32 k, read_key_file(key_file));
    CHZ_ASSIGN_OR_RETURN(std::string bytes, read_file(pkg_file, 1ull << 30));
    CHZ_ASSIGN_OR_RETURN(std::string signed_pkg, sign_package(bytes, k));
    fs::path dest = out.empty() ? pkg_file : out;
    CHZ_TRY(write_file_atomic(dest, signed_pkg, 0644));
    std::cout << "signed " << dest.string() << "\n";
    return OkStatus();
  });

  std::vector<std::string> pubs;
  auto* vf = app.add_subcommand(
      "verify", "Verify a package as a kiosk would: trusted signature, every file's hash");
  vf->add_option("file", pkg_file, "Package file")->required()->check(CLI::ExistingFile);
  vf->add_option("--pub", pubs, "Trusted public key file(s)")->required();
  run(vf, [&]() -> Status {
    std::vector<Key32> trusted;
    for (const auto& p : pubs) {
      CHZ_ASSIGN_OR_RETURN(Key32 k, read_key_file(p));
      trusted.push_back(k);
    }
    CHZ_ASSIGN_OR_RETURN(Package p, open_package_file(pkg_file, trusted));
    std::cout << "OK " << p.course.id << " v" << p.course.version << ", " << p.manifest.files.size()
              << " files verified, signed by " << hex(*p.signer).substr(0, 16) << "...\n";
    return OkStatus();
  });

  auto* in = app.add_subcommand("inspect",
                                "Show what a package holds (checks hashes, reports the signer)");
  in->add_option("file", pkg_file, "Package file")->required()->check(CLI::ExistingFile);
  run(in, [&]() -> Status {
    CHZ_ASSIGN_OR_RETURN(std::string bytes, read_file(pkg_file, 1ull << 30));
    CHZ_ASSIGN_OR_RETURN(Package p, inspect_package(bytes));
    print_package(p);
    return OkStatus();
  });

  fs::path import_file_path, into;
  std::string format, chapter;
  bool skip_bad = false;
  auto* im = app.add_subcommand("import",
                                "Import questions from XLSX, CSV (UTF-8/GB18030), GIFT or Aiken");
  im->add_option("file", import_file_path, "File to import")->required()->check(CLI::ExistingFile);
  im->add_option("--format", format, "xlsx | csv | gift | aiken (default: from the extension)");
  im->add_option("-o,--out", out, "Write a new bank.toml here");
  im->add_option("--into", into, "Append to <SRC_DIR>/bank.toml, numbering after existing ids")
      ->check(CLI::ExistingDirectory);
  im->add_flag("--skip-bad", skip_bad, "Import the good questions and list the skipped ones");
  im->add_option("--chapter", chapter, "Chapter for questions that have none");
  run(im, [&] { return import_cmd(import_file_path, format, out, into, skip_bad, chapter); });

  auto* ex = app.add_subcommand("export-xlsx",
                                "Export a bank (source folder or bank.toml) to XLSX for editing");
  ex->add_option("from", src, "Course source folder or bank.toml")
      ->required()
      ->check(CLI::ExistingPath);
  ex->add_option("-o,--out", out, "XLSX file to write")->required();
  run(ex, [&] { return export_cmd(src, out); });

  CLI11_PARSE(app, argc, argv);
  if (!st.ok()) {
    std::cerr << "error: " << st.to_string() << "\n";
    return st.code() == Code::kInvalidArgument ? 2 : 1;
  }
  return 0;
}
