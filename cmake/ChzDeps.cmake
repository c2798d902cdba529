# Every external dependency, found once. Only Debian packages (see
# packaging/debian-packages.txt); nothing is downloaded at build time.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(OpenSSL 3 REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(CLI11 REQUIRED)
find_package(doctest REQUIRED)
find_package(CURL REQUIRED)
# The server's HTTP front: Boost.Beast + Boost.Asio, header-only (libboost-dev).
find_package(Boost 1.74 REQUIRED)

# SQLCipher exports the sqlite3_* symbols: never link plain libsqlite3 beside it.
pkg_check_modules(SQLCIPHER REQUIRED IMPORTED_TARGET sqlcipher)
pkg_check_modules(TOMLPP REQUIRED IMPORTED_TARGET tomlplusplus)
pkg_check_modules(LIBARCHIVE REQUIRED IMPORTED_TARGET libarchive)
pkg_check_modules(ZSTD REQUIRED IMPORTED_TARGET libzstd)
pkg_check_modules(PUGIXML REQUIRED IMPORTED_TARGET pugixml)
pkg_check_modules(XLSXWRITER REQUIRED IMPORTED_TARGET xlsxwriter)
# Old .xls (BIFF) registry files at the county server.
pkg_check_modules(FREEXL REQUIRED IMPORTED_TARGET freexl)
pkg_check_modules(QRENCODE REQUIRED IMPORTED_TARGET libqrencode)
pkg_check_modules(CAIRO REQUIRED IMPORTED_TARGET cairo cairo-pdf cairo-png)
pkg_check_modules(PANGOCAIRO REQUIRED IMPORTED_TARGET pangocairo)
pkg_check_modules(MD4C REQUIRED IMPORTED_TARGET md4c)
# Tests only, as an HTTP client, and the raw-POST floor of the upload bench.
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
pkg_check_modules(LIBPQXX REQUIRED IMPORTED_TARGET libpqxx)
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)
# sd_notify: chizheng-server tells systemd when it listens (Type=notify).
pkg_check_modules(LIBSYSTEMD REQUIRED IMPORTED_TARGET libsystemd)
# Benchmark floor only: a separate binary links plain SQLite (tests/bench).
pkg_check_modules(PLAIN_SQLITE REQUIRED IMPORTED_TARGET sqlite3)

if(CHZ_BUILD_UI)
  find_package(SDL2 REQUIRED)
  pkg_check_modules(SDL2_TTF REQUIRED IMPORTED_TARGET SDL2_ttf)
  pkg_check_modules(RIME REQUIRED IMPORTED_TARGET rime)
  find_path(ESPEAK_NG_INCLUDE espeak-ng/speak_lib.h REQUIRED)
  find_library(ESPEAK_NG_LIB espeak-ng REQUIRED)
endif()
