// The replay driver: runs every file of the corpus folders (or files) named
// on the command line through LLVMFuzzerTestOneInput once, so the fuzz
// targets build with GCC in the normal and the sanitizer builds and replay
// their committed corpus as ordinary CTest tests (label `fuzz`). A crash or
// a failed FUZZ_CHECK aborts with the file's name printed just before; a
// missing or empty corpus is a failure (a test that replays nothing proves
// nothing). With CHZ_FUZZ=ON the targets link libFuzzer's main instead.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "tests/fuzz/fuzz_util.h"

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR_OR_FILE...\n", argv[0]);
    return 2;
  }
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    fs::path p = argv[i];
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      for (const auto& e : fs::directory_iterator(p, ec))
        if (e.is_regular_file()) files.push_back(e.path());
    } else if (fs::is_regular_file(p, ec)) {
      files.push_back(p);
    } else {
      std::fprintf(stderr, "replay: %s: no such file or folder\n", argv[i]);
      return 2;
    }
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    std::fprintf(stderr, "replay: no input found in the corpus\n");
    return 1;
  }
  auto t0 = std::chrono::steady_clock::now();
  std::size_t bytes = 0;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) {
      std::fprintf(stderr, "replay: cannot read %s\n", f.c_str());
      return 1;
    }
    std::fprintf(stderr, "replay: %s (%zu bytes)\n", f.filename().c_str(), data.size());
    // A copy on the heap of exactly the input's size, as libFuzzer passes
    // it, so ASan sees a read past its end.
    std::vector<std::uint8_t> buf(data.begin(), data.end());
    LLVMFuzzerTestOneInput(buf.empty() ? nullptr : buf.data(), buf.size());
    bytes += data.size();
  }
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  std::printf("replay: %zu inputs, %zu bytes, %lld ms, no crash\n", files.size(), bytes,
              static_cast<long long>(ms));
  return 0;
}
