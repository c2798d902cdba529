// Whether this build runs under AddressSanitizer. Tests that bound resident
// memory skip that bound there (and say so): ASan's allocator keeps freed
// blocks in quarantine and maps shadow memory, so RSS says little.
#pragma once

namespace chz::testing {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kAddressSanitizer = true;
#else
inline constexpr bool kAddressSanitizer = false;
#endif
#else
inline constexpr bool kAddressSanitizer = false;
#endif

}  // namespace chz::testing
