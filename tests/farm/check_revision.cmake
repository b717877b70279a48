# One build's checkpoint is refused by another build of the program, unless both name the same
# revision (farm_options::revision); the same binary resumes its own (check_resume.cmake).
#   cmake -DLAUNCH=<mpiexec and flags, '|'-separated> -DPROGRAM=<resume_search, build 1>
#         -DREBUILT=<resume_search, build 2> -DJOURNAL=<path> -P check_revision.cmake
string(REPLACE "|" ";" launch "${LAUNCH}")
function(run program expect_status)
  execute_process(COMMAND ${launch} ${program} ${JOURNAL} run ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out
                  ERROR_VARIABLE err TIMEOUT 60)
  message(STATUS "${program} ${ARGN}: ${status}\n${out}")
  if(expect_status STREQUAL "0" AND NOT status EQUAL 0)
    message(FATAL_ERROR "${program} ${ARGN} failed (${status}):\n${out}\n${err}")
  endif()
  if(expect_status STREQUAL "fail" AND status EQUAL 0)
    message(FATAL_ERROR "${program} ${ARGN} resumed another build's checkpoint:\n${out}\n${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
  set(err "${err}" PARENT_SCOPE)
endfunction()

file(REMOVE ${JOURNAL} ${JOURNAL}.runs)
run(${PROGRAM} 0)
run(${PROGRAM} 0)
if(NOT out MATCHES "40 recorded before, 0 run now")
  message(FATAL_ERROR "the same build did not resume its own checkpoint:\n${out}")
endif()
run(${REBUILT} fail)
if(NOT err MATCHES "this checkpoint was written by another build of the program .*farm_options::revision")
  message(FATAL_ERROR "the refusal does not say why and what to do:\n${err}")
endif()

file(REMOVE ${JOURNAL} ${JOURNAL}.runs)
run(${PROGRAM} 0 scoring-v1)
run(${REBUILT} 0 scoring-v1)
if(NOT out MATCHES "build 2\\): 40 recorded before, 0 run now")
  message(FATAL_ERROR "the rebuilt program with the same revision did not resume:\n${out}")
endif()
run(${REBUILT} fail scoring-v2)
