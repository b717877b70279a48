# Runs the hand-off job given after "--" and checks rank 1's report: the data file's shape, then
# exactly 100 values in [0, 10) printed as Python prints a list.
#
#   cmake -DDATA=<csv> -DROWS=<n> -DCOLUMNS=<n> -P check_handoff.cmake -- mpiexec -n 2 parameter_handoff ...
#
# The launchers forward each rank's output in chunks of about 1 KB and may put another rank's
# whole line in the middle of rank 1's long line of values (seen on MPICH and Open MPI), so the
# other ranks' known lines are taken out before the report is matched.
set(command)
set(after_separator FALSE)
foreach(i RANGE 1 ${CMAKE_ARGC})
  if(i EQUAL CMAKE_ARGC)
    break()
  endif()
  if(after_separator)
    list(APPEND command "${CMAKE_ARGV${i}}")
  elseif(CMAKE_ARGV${i} STREQUAL "--")
    set(after_separator TRUE)
  endif()
endforeach()
if(NOT command OR NOT DEFINED DATA OR NOT DEFINED ROWS OR NOT DEFINED COLUMNS)
  message(FATAL_ERROR "usage: cmake -DDATA=<csv> -DROWS=<n> -DCOLUMNS=<n> -P check_handoff.cmake -- <job>")
endif()

execute_process(COMMAND ${command} OUTPUT_VARIABLE output ERROR_VARIABLE errors
                RESULT_VARIABLE status TIMEOUT 100)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "the job failed (${status}):\n${output}\n${errors}")
endif()

set(others "${output}")
string(REGEX REPLACE "Hello from [0-9]+\\.  There are a total of [0-9]+ of us\\.  Good luck\\.\n" ""
       others "${others}")
string(REPLACE "I am the rank 0 node.  Code you write here will only execute on this process.\n" ""
       others "${others}")
string(REPLACE "This is frequently used to create a master node that collects results from other nodes.\n" ""
       others "${others}")

string(REGEX REPLACE "([][.*+?^$()|])" "\\\\\\1" data_pattern "${DATA}")
set(value "[0-9]\\.[0-9e-]*")
string(REPEAT ", ${value}" 99 more_values)
set(report "^rank 1 loaded ${data_pattern}: ${ROWS} rows x ${COLUMNS} columns\n\\[${value}${more_values}\\]\n$")
if(NOT others MATCHES "${report}")
  message(FATAL_ERROR "rank 1's report is not the expected shape (${ROWS} rows x ${COLUMNS} columns, "
                      "then 100 values in [0, 10)); the job's output was:\n${output}")
endif()
message(STATUS "hand-off report checked: ${ROWS} rows x ${COLUMNS} columns, 100 values")
