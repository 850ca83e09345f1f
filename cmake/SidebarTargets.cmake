# Helpers that give every target of the project the same flags, and register tests,
# benchmarks and fuzz targets in one way.

# Compile options every project target gets: warnings (as errors when asked) and sanitizers.
function(sidebar_target_defaults target)
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "INTERFACE_LIBRARY")
    return()
  endif()
  target_compile_options(${target} PRIVATE -Wall -Wextra)
  if(WARNINGS_AS_ERRORS)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined
                                             -fno-sanitize-recover=undefined
                                             -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
    # ASan's instrumentation makes GCC 12's -Wmaybe-uninitialized fire inside libstdc++
    # (std::function in std::regex, reached through Catch2). The Release build keeps the
    # warning as an error, so real cases are still caught there.
    target_compile_options(${target} PRIVATE -Wno-maybe-uninitialized)
  endif()
  if(SIDEBAR_FUZZ)
    # Coverage instrumentation for libFuzzer in every library the fuzz targets link.
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link,address,undefined)
  endif()
  target_include_directories(${target} PUBLIC "${PROJECT_SOURCE_DIR}")
endfunction()

# sidebar_library(<module> SOURCES ... [LIBS ...]): the static library sidebar_<module>,
# also known as sidebar::<module>.
function(sidebar_library module)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_library(sidebar_${module} STATIC ${ARG_SOURCES})
  add_library(sidebar::${module} ALIAS sidebar_${module})
  sidebar_target_defaults(sidebar_${module})
  target_link_libraries(sidebar_${module} PUBLIC ${ARG_LIBS})
endfunction()

# sidebar_catch_test(<name> SOURCES ... LIBS ... [LABELS ...]): a Catch2 v2 test program,
# registered with CTest under <name>. It runs from the source tree's test/data folder's parent
# so fixtures are found as test/data/...; SIDEBAR_TEST_DATA is also exported to it.
function(sidebar_catch_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  sidebar_target_defaults(${name})
  target_link_libraries(${name} PRIVATE sidebar_catch_main Catch2::Catch2 ${ARG_LIBS})
  target_compile_definitions(${name} PRIVATE
                             SIDEBAR_TEST_DATA="${PROJECT_SOURCE_DIR}/test/data")
  add_test(NAME ${name} COMMAND ${name})
  set(labels unit ${ARG_LABELS})
  set_tests_properties(${name} PROPERTIES LABELS "${labels}" TIMEOUT 300)
endfunction()

# sidebar_bench(<name> SOURCES ... LIBS ...): a Google Benchmark program that scripts/bench.sh runs.
function(sidebar_bench name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  sidebar_target_defaults(${name})
  target_link_libraries(${name} PRIVATE benchmark::benchmark benchmark::benchmark_main ${ARG_LIBS})
  set_property(GLOBAL APPEND PROPERTY SIDEBAR_BENCHES ${name})
endfunction()

# sidebar_fuzz_target(<name> SOURCE <file> LIBS ... CORPUS <dir>): one parser's fuzz entry point
# (LLVMFuzzerTestOneInput). In every build it becomes <name>_replay, a CTest test that runs each
# file of the seed corpus through the target (with the sanitizers of the test build); in a
# SIDEBAR_FUZZ build (clang) it also becomes <name>, a libFuzzer program scripts/fuzz.sh runs.
function(sidebar_fuzz_target name)
  cmake_parse_arguments(ARG "" "SOURCE;CORPUS" "LIBS" ${ARGN})
  if(SIDEBAR_FUZZ)
    add_executable(${name} ${ARG_SOURCE})
    sidebar_target_defaults(${name})
    target_compile_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined)
    target_link_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined)
    target_link_libraries(${name} PRIVATE ${ARG_LIBS})
    set_property(GLOBAL APPEND PROPERTY SIDEBAR_FUZZERS "${name}=${ARG_CORPUS}")
  elseif(NOT NO_TESTS)
    add_executable(${name}_replay ${ARG_SOURCE} "${PROJECT_SOURCE_DIR}/fuzz/replay_main.cpp")
    sidebar_target_defaults(${name}_replay)
    target_link_libraries(${name}_replay PRIVATE ${ARG_LIBS})
    add_test(NAME ${name}_replay COMMAND ${name}_replay "${ARG_CORPUS}")
    set_tests_properties(${name}_replay PROPERTIES LABELS "fuzz-replay" TIMEOUT 300)
  endif()
endfunction()
