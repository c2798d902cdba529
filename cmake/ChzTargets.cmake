# Helpers that make every module look the same:
#   chz_module(<target> DEPS <targets...>)   library from this folder's *.cpp
#                                            (not *_test.cpp, not *_main.cpp)
#   chz_module_tests(<target> [LABELS ...] [DEPS ...])
#                                            one test binary per *_test.cpp
#   chz_executable(<name> SOURCES ... DEPS ...)
#   chz_test(<name> SOURCES ... DEPS ... LABELS ... [TIMEOUT s])

set(CHZ_WARNINGS -Wall -Wextra -Wno-missing-field-initializers)
if(CHZ_WERROR)
  list(APPEND CHZ_WARNINGS -Werror)
endif()

function(chz_apply_warnings target)
  target_compile_options(${target} PRIVATE ${CHZ_WARNINGS})
endfunction()

function(chz_module target)
  cmake_parse_arguments(M "" "" "DEPS;PRIVATE_DEPS;EXCLUDE" ${ARGN})
  file(GLOB_RECURSE srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  list(FILTER srcs EXCLUDE REGEX "_test\\.cpp$")
  list(FILTER srcs EXCLUDE REGEX "_main\\.cpp$")
  list(FILTER srcs EXCLUDE REGEX "/(testdata|fixtures|tool|cli|bench|testing)/")
  foreach(ex IN LISTS M_EXCLUDE)
    list(FILTER srcs EXCLUDE REGEX "${ex}")
  endforeach()
  add_library(${target} STATIC ${srcs})
  # Public headers are reached by path from the repo root: #include "kiosk/store.h".
  target_include_directories(${target} PUBLIC ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/generated)
  target_link_libraries(${target} PUBLIC ${M_DEPS} PRIVATE ${M_PRIVATE_DEPS})
  chz_apply_warnings(${target})
  set_property(GLOBAL APPEND PROPERTY CHZ_MODULES ${target})
endfunction()

add_library(chz_doctest_main STATIC ${CMAKE_SOURCE_DIR}/cmake/doctest_main.cpp)
target_link_libraries(chz_doctest_main PUBLIC doctest::doctest)

function(chz_test name)
  cmake_parse_arguments(T "" "TIMEOUT;WORKDIR" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE chz_doctest_main chz_testing ${T_DEPS})
  target_include_directories(${name} PRIVATE ${CMAKE_SOURCE_DIR})
  chz_apply_warnings(${name})
  if(NOT T_LABELS)
    set(T_LABELS unit)
  endif()
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "CHZ_SOURCE_DIR=${CMAKE_SOURCE_DIR};CHZ_BINARY_DIR=${CMAKE_BINARY_DIR}")
endfunction()

function(chz_module_tests target)
  cmake_parse_arguments(M "" "TIMEOUT" "LABELS;DEPS" ${ARGN})
  file(GLOB_RECURSE tests CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*_test.cpp)
  foreach(t IN LISTS tests)
    get_filename_component(stem ${t} NAME_WE)
    file(RELATIVE_PATH rel ${CMAKE_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR})
    string(REPLACE "/" "_" prefix ${rel})
    set(args)
    if(M_TIMEOUT)
      set(args TIMEOUT ${M_TIMEOUT})
    endif()
    chz_test(${prefix}_${stem} SOURCES ${t} DEPS ${target} ${M_DEPS} LABELS ${M_LABELS} ${args})
  endforeach()
endfunction()

function(chz_executable name)
  cmake_parse_arguments(E "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${E_SOURCES})
  target_link_libraries(${name} PRIVATE ${E_DEPS})
  chz_apply_warnings(${name})
  install(TARGETS ${name} RUNTIME DESTINATION bin)
endfunction()

# chz_bench(<name> SOURCES ... DEPS ...): a benchmark executable under
# tests/bench. packaging/bench builds the `benches` target and runs every
# name listed in <build>/benches.txt. Each bench prints result lines:
#   BENCH<TAB>name<TAB>figure<TAB>floor<TAB>ratio<TAB>bar<TAB>PASS|FAIL
# (figure/floor with units; ratio = figure/floor; bar such as "<= 1.10").
add_custom_target(benches)
function(chz_bench name)
  cmake_parse_arguments(B "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${B_SOURCES})
  target_link_libraries(${name} PRIVATE chz_testing ${B_DEPS})
  target_include_directories(${name} PRIVATE ${CMAKE_SOURCE_DIR})
  chz_apply_warnings(${name})
  add_dependencies(benches ${name})
  set_property(GLOBAL APPEND PROPERTY CHZ_BENCHES ${name})
endfunction()
