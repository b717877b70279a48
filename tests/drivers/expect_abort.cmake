# Runs LAUNCH PROGRAM MODE (LAUNCH: the launcher's words joined by '|') and checks that the job ended within the test's timeout with a
# non-zero status and "rank 0: parameter file is corrupt" on stderr.
string(REPLACE "|" ";" LAUNCH "${LAUNCH}")
execute_process(COMMAND ${LAUNCH} ${PROGRAM} ${MODE}
  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 30)
message(STATUS "exit status: ${status}\nstderr:\n${err}")
if(status STREQUAL "0")
  message(FATAL_ERROR "the job exited 0; an exception on rank 0 must fail the job")
endif()
if(status MATCHES "timeout|Process terminated due to timeout")
  message(FATAL_ERROR "the job hung: ${status}")
endif()
if(NOT err MATCHES "rank 0: parameter file is corrupt")
  message(FATAL_ERROR "stderr does not name the rank and the error")
endif()
