// The county's registry files (sync/server/table_file.h, registry_file.h)
// as a bureau uploads them: the bytes go to a file, read_table_file decides
// CSV / XLSX / XLS by content, and the table is read both as a labour-force
// registry and as a list of held certificates. Checks the promise that no
// issue and no refusal quotes an ID-number-like cell. Limits are kept small
// (a bomb costs a moment); the checks are the server's.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "sync/server/registry_file.h"
#include "sync/server/table_file.h"
#include "tests/fuzz/fuzz_util.h"

using namespace chz;

namespace {
// The scratch file, removed at exit (never destroyed, so the exit handler
// may still use it).
const std::string& scratch() {
  static const std::string* path = [] {
    auto* p = new std::string((std::filesystem::temp_directory_path() /
                               ("chz-fuzz-registry-" + std::to_string(::getpid())))
                                  .string());
    std::atexit([] { std::remove(scratch().c_str()); });
    return p;
  }();
  return *path;
}
bool id_like(const std::string& s) {
  if (s.size() < 15) return false;
  for (char c : s)
    if (!(c >= '0' && c <= '9') && c != 'X' && c != 'x') return false;
  return true;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  {
    std::ofstream f(scratch(), std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    FUZZ_CHECK(f.good());
  }
  server::TableLimits lim;
  lim.max_file_bytes = 4u << 20;
  lim.max_part_bytes = 16u << 20;
  lim.max_rows = 20'000;
  lim.max_cells = 400'000;
  auto t = server::read_table_file(scratch(), lim);
  if (!t.ok()) {
    FUZZ_CHECK(t.status().key().starts_with("registry."));
    return 0;
  }
  FUZZ_CHECK(t->rows.size() <= lim.max_rows);
  std::vector<std::string> ids;
  for (const auto& r : t->rows)
    for (const auto& c : r.cells)
      if (id_like(c.text)) ids.push_back(c.text);
  auto hides = [&](const std::string& text) {
    for (const auto& id : ids) FUZZ_CHECK(text.find(id) == std::string::npos);
  };
  auto reg = server::read_registry(*t, 2026);
  if (reg.ok()) {
    for (const auto& i : reg->issues) hides(i.what);
    (void)server::issues_csv(*reg);
    for (const auto& p : reg->people) FUZZ_CHECK(p.id_number.size() == 18);
  } else {
    hides(reg.status().message());
  }
  auto held = server::read_held_certificates(*t);
  if (held.ok()) {
    for (const auto& i : held->issues) hides(i.what);
    (void)server::issues_csv(held->issues);
  } else {
    hides(held.status().message());
  }
  return 0;
}
