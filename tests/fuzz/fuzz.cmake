# libFuzzer targets (clang; cmake -DCMAKE_CXX_COMPILER=clang++ -DREDIRLINT_FUZZ=ON, included by the top
# CMakeLists). REDIRLINT_FUZZ builds the whole tree with ASan+UBSan and -fsanitize=fuzzer-no-link (top
# CMakeLists), so the same build directory runs the sanitized test suite and links the fuzzers:
#   fuzz_parse_<fmt>  parse only (fast)           fuzz_check_<fmt>  parse + every check
#   fuzz_automaton    PCRE -> automaton           fuzz_simulate     simulators on fuzzed requests
#   fuzz_roundtrip    parse -> emit -> parse
# `make fuzz` runs each for FUZZ_SECONDS (tests/fuzz/run.sh); ctest `fuzz.<target>` runs each briefly.
include(${CMAKE_CURRENT_LIST_DIR}/targets.cmake)
set(RL_FUZZ_LINK -fsanitize=fuzzer,address,undefined)
set(RL_FUZZ_CTEST_SECONDS 5 CACHE STRING "seconds each fuzz.<target> ctest fuzzes")
add_custom_target(fuzzers)
foreach(t ${RL_FUZZ_TARGETS})
  rl_fuzz_source(${t} src defs)
  add_executable(fuzz_${t} ${src})
  target_compile_options(fuzz_${t} PRIVATE ${RL_WARNINGS})
  target_compile_definitions(fuzz_${t} PRIVATE ${defs} REDIRLINT_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
  target_link_options(fuzz_${t} PRIVATE ${RL_FUZZ_LINK})
  target_link_libraries(fuzz_${t} PRIVATE redirlint_core)
  add_dependencies(fuzzers fuzz_${t})
  # A short bounded run from the assembled seed corpus: fails on any crash, leak, UB or timeout.
  add_test(NAME fuzz.${t}
    COMMAND bash ${CMAKE_SOURCE_DIR}/tests/fuzz/run.sh ${CMAKE_BINARY_DIR} ${RL_FUZZ_CTEST_SECONDS} ${t})
endforeach()
