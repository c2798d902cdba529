// Test helpers for the registry readers: fictional valid ID numbers, files
// written to a temp folder, and a way to run /usr/bin/python3 scripts
// (openpyxl, xlwt) that reports whether it could.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "sync/protocol/idcard.h"

namespace chz::server::testing {

// A valid 18-character number: region (e.g. "140521"), birth date, sequence
// (odd = male), with its check character.
inline std::string make_id(const char* region, int y, int m, int d, int seq) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%04d%02d%02d%03d", region, y, m, d, seq % 1000);
  std::string s(buf);
  return s + sync::id_check_char(s);
}

// The same number with a wrong check character.
inline std::string bad_check(const std::string& id) {
  std::string s = id;
  s[17] = s[17] == '0' ? '1' : '0';
  return s;
}

inline void write_file(const std::filesystem::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary);
  out << bytes;
}

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// True iff Debian's /usr/bin/python3 can import `module`.
inline bool python_has(const std::string& module) {
  std::string cmd = "/usr/bin/python3 -c 'import " + module + "' >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

// Writes `script` beside `dir`/script.py and runs it with /usr/bin/python3 in
// `dir`. True iff it exited 0.
inline bool run_python(const std::filesystem::path& dir, const std::string& script) {
  auto path = dir / "script.py";
  write_file(path, script);
  std::string cmd = "cd '" + dir.string() + "' && /usr/bin/python3 '" + path.string() + "'";
  return std::system(cmd.c_str()) == 0;
}

}  // namespace chz::server::testing
