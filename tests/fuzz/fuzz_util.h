// Shared by the fuzz targets (tests/fuzz/*_fuzz.cpp): the entry point's
// declaration, a check that aborts (libFuzzer and the replay driver both
// report an abort as a crash, with the input), a reader that splits one
// input into parts, and fixed keys derived from names (test keys, not
// secrets: anyone can derive them, which is the point).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/crypto.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

#define FUZZ_CHECK(cond)                                                                 \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      std::fprintf(stderr, "%s:%d: FUZZ_CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (0)

namespace chz::fuzz {

inline std::string_view as_view(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Splits an input at a separator line: part(i) is the text between the
// i-th and (i+1)-th occurrence of `sep` ("" past the end). Seeds write
// their fields joined by the separator; mutations move the borders.
class Parts {
 public:
  Parts(std::string_view in, std::string_view sep) : in_(in), sep_(sep) {}
  std::string_view next() {
    if (pos_ > in_.size()) return {};
    std::size_t e = in_.find(sep_, pos_);
    std::string_view p =
        in_.substr(pos_, e == std::string_view::npos ? std::string_view::npos : e - pos_);
    pos_ = e == std::string_view::npos ? in_.size() + 1 : e + sep_.size();
    return p;
  }
  std::string_view rest() const {
    return pos_ > in_.size() ? std::string_view() : in_.substr(pos_);
  }

 private:
  std::string_view in_, sep_;
  std::size_t pos_ = 0;
};

// A 32-byte key from a name: SHA-256("chz-fuzz:" + name). Used as an
// Ed25519 seed or an X25519 secret by the targets and the seed writer.
inline Key32 fixed_key(std::string_view name) {
  return sha256(std::string("chz-fuzz:") + std::string(name));
}

}  // namespace chz::fuzz
