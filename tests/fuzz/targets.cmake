# The fuzz targets, for fuzz.cmake (libFuzzer binaries) and CMakeLists.txt (fuzz_replay, normal build).
set(RL_FUZZ_TARGETS)
foreach(fmt apache htaccess nginx yaml netlify netlify_toml vercel cloudflare_bulk iis)
  list(APPEND RL_FUZZ_TARGETS parse_${fmt} check_${fmt})
endforeach()
list(APPEND RL_FUZZ_TARGETS automaton simulate roundtrip)

# rl_fuzz_source(TARGET SRC_VAR DEFS_VAR): the source file and compile definitions of fuzz_TARGET.
function(rl_fuzz_source t src_var defs_var)
  if(t MATCHES "^(parse|check)_(.+)$")
    set(${src_var} ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_${CMAKE_MATCH_1}.cpp PARENT_SCOPE)
    set(${defs_var} RL_FUZZ_FORMAT=${CMAKE_MATCH_2} PARENT_SCOPE)
  else()
    set(${src_var} ${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_${t}.cpp PARENT_SCOPE)
    set(${defs_var} "" PARENT_SCOPE)
  endif()
endfunction()
