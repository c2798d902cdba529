// Errors as values. Every fallible call in Chizheng returns a Status or a
// Result<T>; exceptions never cross a module boundary.
//
// A Status has a Code (what kind of failure, for program logic), an English
// message (for logs and operators; never holds personal data), and an
// optional stable `key` such as "id.check_digit" that the UI's string table
// turns into words a trainee can read (app/strings).
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace chz {

enum class Code {
  kOk = 0,
  kInvalidArgument,  // bad input from a person or a file
  kNotFound,
  kAlreadyExists,
  kConflict,            // the request contradicts what is stored
  kPermissionDenied,    // the actor's role does not allow it
  kUnauthenticated,     // bad signature, bad PIN, unknown device
  kLocked,              // account locked out for a while
  kFailedPrecondition,  // the state does not allow it now (session closed...)
  kOutOfRange,
  kTooLarge,
  kTampered,  // signature/hash mismatch on signed data
  // Store-specific: each gets its own message, never SQLite's raw text.
  kWrongKey,
  kNotAStore,
  kCorrupt,
  kNewerSchema,
  kDiskFull,
  kReadOnly,
  kMissingKeyFile,
  kInsecureKeyFile,
  kNoEncryption,  // SQLCipher did not answer: refuse to run unencrypted
  kIoError,
  kUnavailable,  // network or peer unavailable; retry later
  kInternal,
};

// Short stable name of a code, e.g. "wrong_key" (for logs, JSON, tests).
std::string_view code_name(Code c);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Code code, std::string message, std::string key = {})
      : code_(code), message_(std::move(message)), key_(std::move(key)) {}

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::string& key() const { return key_; }
  // "wrong_key: the key file does not open this store"
  std::string to_string() const;
  // Marks a Status as deliberately ignored.
  void ignore() const {}

 private:
  Code code_ = Code::kOk;
  std::string message_;
  std::string key_;
};

inline Status OkStatus() {
  return {};
}
inline Status Error(Code c, std::string msg, std::string key = {}) {
  return {c, std::move(msg), std::move(key)};
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status s) : v_(std::move(s)) {      // NOLINT
    assert(!std::get<Status>(v_).ok() && "Result from an OK status");
  }
  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace chz

#define CHZ_CONCAT_INNER(a, b) a##b
#define CHZ_CONCAT(a, b) CHZ_CONCAT_INNER(a, b)

// Returns the Status from the enclosing function if `expr` failed.
#define CHZ_TRY(expr)                                  \
  do {                                                 \
    ::chz::Status chz_try_status_ = (expr);            \
    if (!chz_try_status_.ok()) return chz_try_status_; \
  } while (0)

// CHZ_ASSIGN_OR_RETURN(auto x, f()); declares x from a Result or returns its Status.
#define CHZ_ASSIGN_OR_RETURN(lhs, expr) \
  CHZ_ASSIGN_OR_RETURN_IMPL(CHZ_CONCAT(chz_result_, __LINE__), lhs, expr)
#define CHZ_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  lhs = std::move(tmp).value()
