#include "common/status.h"

namespace chz {

std::string_view code_name(Code c) {
  switch (c) {
    case Code::kOk:
      return "ok";
    case Code::kInvalidArgument:
      return "invalid_argument";
    case Code::kNotFound:
      return "not_found";
    case Code::kAlreadyExists:
      return "already_exists";
    case Code::kConflict:
      return "conflict";
    case Code::kPermissionDenied:
      return "permission_denied";
    case Code::kUnauthenticated:
      return "unauthenticated";
    case Code::kLocked:
      return "locked";
    case Code::kFailedPrecondition:
      return "failed_precondition";
    case Code::kOutOfRange:
      return "out_of_range";
    case Code::kTooLarge:
      return "too_large";
    case Code::kTampered:
      return "tampered";
    case Code::kWrongKey:
      return "wrong_key";
    case Code::kNotAStore:
      return "not_a_store";
    case Code::kCorrupt:
      return "corrupt";
    case Code::kNewerSchema:
      return "newer_schema";
    case Code::kDiskFull:
      return "disk_full";
    case Code::kReadOnly:
      return "read_only";
    case Code::kMissingKeyFile:
      return "missing_key_file";
    case Code::kInsecureKeyFile:
      return "insecure_key_file";
    case Code::kNoEncryption:
      return "no_encryption";
    case Code::kIoError:
      return "io_error";
    case Code::kUnavailable:
      return "unavailable";
    case Code::kInternal:
      return "internal";
  }
  return "unknown";
}

std::string Status::to_string() const {
  if (ok()) return "ok";
  std::string s(code_name(code_));
  s += ": ";
  s += message_;
  return s;
}

}  // namespace chz
