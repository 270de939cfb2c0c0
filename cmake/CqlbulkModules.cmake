# Helpers that make the module graph of DESIGN.md the link graph.

# cqlbulk_add_module(name SOURCES ... [DEPS module...] [LIBS target...])
# Declares the static library cqlbulk_<name> from src/cqlbulk/<name>/. DEPS are other
# cqlbulk modules (PUBLIC: our headers include theirs); LIBS are third-party targets, kept
# PRIVATE because only one adapter file per library includes them (STYLE.md §1 rule 5).
function(cqlbulk_add_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LIBS;PUBLIC_LIBS" ${ARGN})
  set(target cqlbulk_${name})
  add_library(${target} STATIC ${ARG_SOURCES})
  add_library(cqlbulk::${name} ALIAS ${target})
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_compile_options(${target} PRIVATE ${CQLBULK_WARNINGS})
  foreach(dep IN LISTS ARG_DEPS)
    target_link_libraries(${target} PUBLIC cqlbulk_${dep})
  endforeach()
  if(ARG_LIBS)
    target_link_libraries(${target} PRIVATE ${ARG_LIBS})
  endif()
  if(ARG_PUBLIC_LIBS)
    target_link_libraries(${target} PUBLIC ${ARG_PUBLIC_LIBS})
  endif()
endfunction()

# cqlbulk_add_test(name SOURCES ... DEPS module... [LIBS ...] [LABELS ...]
#                  [COMPILE_OPTIONS ...] [RESOURCE_LOCK name])
# One gtest executable; each TEST becomes a ctest case run from the source tree, so tests
# find ../shared/testdata through CQLBULK_TESTDATA_DIR. Suites whose tests share a fixed
# resource (a cqlsim address block) name it in RESOURCE_LOCK: ctest then runs them one at a
# time while other executables run beside them.
function(cqlbulk_add_test name)
  cmake_parse_arguments(ARG "" "RESOURCE_LOCK" "SOURCES;DEPS;LIBS;LABELS;COMPILE_OPTIONS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_compile_options(${name} PRIVATE ${CQLBULK_WARNINGS} ${ARG_COMPILE_OPTIONS})
  foreach(dep IN LISTS ARG_DEPS)
    target_link_libraries(${name} PRIVATE cqlbulk_${dep})
  endforeach()
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} cqlbulk_testing GTest::gmock GTest::gtest_main)
  set(labels unit)
  if(ARG_LABELS)
    set(labels ${ARG_LABELS})
  endif()
  set(properties LABELS "${labels}")
  if(ARG_RESOURCE_LOCK)
    list(APPEND properties RESOURCE_LOCK ${ARG_RESOURCE_LOCK})
  endif()
  gtest_discover_tests(${name}
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    PROPERTIES ${properties}
    DISCOVERY_TIMEOUT 60)
endfunction()

# cqlbulk_add_bench(name SOURCES ... DEPS module...)
function(cqlbulk_add_bench name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  foreach(dep IN LISTS ARG_DEPS)
    target_link_libraries(${name} PRIVATE cqlbulk_${dep})
  endforeach()
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} benchmark::benchmark)
endfunction()
