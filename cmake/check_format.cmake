# Fails when a C++ source under our modules differs from clang-format's output.
# Run: cmake -DSRC=<root> -DCLANG_FORMAT=<path> -P cmake/check_format.cmake
# Fix: clang-format -i $(git ls-files '*.h' '*.cpp')
file(GLOB_RECURSE files ${SRC}/common/*.h ${SRC}/common/*.cpp ${SRC}/kiosk/*.h ${SRC}/kiosk/*.cpp
  ${SRC}/content/*.h ${SRC}/content/*.cpp ${SRC}/sync/*.h ${SRC}/sync/*.cpp
  ${SRC}/app/*.h ${SRC}/app/*.cpp ${SRC}/tests/*.h ${SRC}/tests/*.cpp)
execute_process(COMMAND ${CLANG_FORMAT} --dry-run -Werror --style=file ${files}
  WORKING_DIRECTORY ${SRC} RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  string(SUBSTRING "${err}" 0 3000 head)
  message(FATAL_ERROR "clang-format differences (run clang-format -i on them):\n${head}")
endif()
