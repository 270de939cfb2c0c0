# Every dependency is a Debian -dev package (scripts/install-deps.sh installs them).
# Nothing is vendored and nothing is downloaded at build time.

find_package(Threads REQUIRED)
find_package(ZLIB REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(LZ4 REQUIRED IMPORTED_TARGET liblz4)
pkg_check_modules(ZSTD REQUIRED IMPORTED_TARGET libzstd)
pkg_check_modules(BROTLIENC REQUIRED IMPORTED_TARGET libbrotlienc)  # libbrotli-dev
pkg_check_modules(BROTLIDEC REQUIRED IMPORTED_TARGET libbrotlidec)
find_package(BZip2 REQUIRED)    # BZip2::BZip2 (libbz2-dev)
find_package(LibLZMA REQUIRED)  # LibLZMA::LibLZMA (liblzma-dev)
find_package(Snappy CONFIG QUIET)
if(NOT TARGET Snappy::snappy)
  find_library(SNAPPY_LIBRARY snappy REQUIRED)
  find_path(SNAPPY_INCLUDE_DIR snappy.h REQUIRED)
  add_library(Snappy::snappy UNKNOWN IMPORTED)
  set_target_properties(Snappy::snappy PROPERTIES IMPORTED_LOCATION ${SNAPPY_LIBRARY}
                        INTERFACE_INCLUDE_DIRECTORIES ${SNAPPY_INCLUDE_DIR})
endif()

find_package(nlohmann_json 3 REQUIRED)

if(CQLBULK_BUILD_TESTS)
  find_package(GTest REQUIRED)
  include(GoogleTest)
endif()
if(CQLBULK_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
# Iceberg's SQL catalogs (iceberg/catalog/): libsqlite3-dev and libpq-dev.
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)
