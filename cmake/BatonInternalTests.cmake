# Helpers for baton's own tests and examples; not installed.
include_guard(GLOBAL)
include(${CMAKE_CURRENT_LIST_DIR}/BatonMpiTest.cmake)

# baton_add_failure_test(NAME <name> RANKS <n> COMMAND <program> [args...] EXPECT <regex>
#                        [STATUS <n>] [REJECT <regex>])
# (baton's own tests) An MPI job that must fail: non-zero exit (STATUS exactly, if given) within
# 30 s, EXPECT on stderr and not REJECT.
function(baton_add_failure_test)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "NAME;RANKS;EXPECT;STATUS;REJECT" "COMMAND")
  baton_mpi_launcher_flags(preflags)
  string(JOIN "|" command ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG} ${arg_RANKS} ${preflags} ${arg_COMMAND})
  add_test(NAME ${arg_NAME}
    COMMAND ${CMAKE_COMMAND} "-DCOMMAND=${command}" "-DEXPECT=${arg_EXPECT}" "-DSTATUS=${arg_STATUS}"
            "-DREJECT=${arg_REJECT}" -P ${baton_SOURCE_DIR}/tests/support/expect_failure.cmake)
  set_tests_properties(${arg_NAME} PROPERTIES TIMEOUT 90 PROCESSORS ${arg_RANKS})
endfunction()
