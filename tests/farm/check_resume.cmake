# A search killed (SIGKILL, the whole job) after some tasks, then rerun with the same checkpoint:
# it finishes, its results equal a clean run's, and no task recorded before the kill runs again.
#   cmake -DLAUNCH=<mpiexec and flags, '|'-separated> -DPROGRAM=<resume_search> -DJOURNAL=<path>
#         -P check_resume.cmake
string(REPLACE "|" ";" launch "${LAUNCH}")
file(REMOVE ${JOURNAL} ${JOURNAL}.runs)
execute_process(COMMAND ${launch} ${PROGRAM} ${JOURNAL} kill RESULT_VARIABLE status OUTPUT_VARIABLE out
                ERROR_VARIABLE err TIMEOUT 60)
if(status EQUAL 0)
  message(FATAL_ERROR "the killed run exited 0:\n${out}\n${err}")
endif()
if(NOT EXISTS ${JOURNAL})
  message(FATAL_ERROR "the killed run left no checkpoint")
endif()
execute_process(COMMAND ${launch} ${PROGRAM} ${JOURNAL} finish RESULT_VARIABLE status OUTPUT_VARIABLE out
                ERROR_VARIABLE err TIMEOUT 60)
message(STATUS "${out}")
if(NOT status EQUAL 0)
  message(FATAL_ERROR "the resumed run failed (${status}):\n${out}\n${err}")
endif()
if(NOT out MATCHES "run again, 0 results differ")
  message(FATAL_ERROR "unexpected report:\n${out}")
endif()
