# baton_add_mpi_test(NAME <name> COMMAND <target-or-program> [ARGS ...]
#                    [RANKS 1 2 4] [TIMEOUT seconds] [LABELS ...])
#
# Registers one ctest test per rank count, named <name>.np<N>, launched the way FindMPI
# says: MPIEXEC_EXECUTABLE MPIEXEC_NUMPROC_FLAG N MPIEXEC_PREFLAGS program MPIEXEC_POSTFLAGS args.
# Open MPI additionally gets --oversubscribe (more ranks than cores) and, run as root,
# --allow-run-as-root. TIMEOUT (default 120 s) makes a hung job fail instead of stalling.
include_guard(GLOBAL)

function(_baton_detect_open_mpi out)
  set(version "${MPI_CXX_LIBRARY_VERSION_STRING}")
  if(version STREQUAL "")
    execute_process(COMMAND ${MPIEXEC_EXECUTABLE} --version OUTPUT_VARIABLE version ERROR_QUIET)
  endif()
  if(version MATCHES "Open MPI|OpenRTE")
    set(${out} TRUE PARENT_SCOPE)
  else()
    set(${out} FALSE PARENT_SCOPE)
  endif()
endfunction()

function(baton_mpi_launcher_flags out)
  _baton_detect_open_mpi(is_open_mpi)
  set(flags ${MPIEXEC_PREFLAGS})
  if(is_open_mpi)
    list(APPEND flags --oversubscribe)
    execute_process(COMMAND id -u OUTPUT_VARIABLE uid OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    if(uid STREQUAL "0")
      list(APPEND flags --allow-run-as-root)
    endif()
  endif()
  set(${out} ${flags} PARENT_SCOPE)
endfunction()

function(baton_add_mpi_test)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "NAME;COMMAND;TIMEOUT" "ARGS;RANKS;LABELS")
  if(NOT arg_NAME OR NOT arg_COMMAND)
    message(FATAL_ERROR "baton_add_mpi_test: NAME and COMMAND are required")
  endif()
  if(NOT arg_RANKS)
    set(arg_RANKS 1 2 4)
  endif()
  if(NOT arg_TIMEOUT)
    set(arg_TIMEOUT 120)
  endif()
  if(TARGET ${arg_COMMAND})
    set(program $<TARGET_FILE:${arg_COMMAND}>)
  else()
    set(program ${arg_COMMAND})
  endif()
  baton_mpi_launcher_flags(preflags)
  foreach(n IN LISTS arg_RANKS)
    add_test(NAME ${arg_NAME}.np${n}
      COMMAND ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG} ${n} ${preflags}
              ${program} ${MPIEXEC_POSTFLAGS} ${arg_ARGS})
    set_tests_properties(${arg_NAME}.np${n} PROPERTIES
      PROCESSORS ${n} TIMEOUT ${arg_TIMEOUT} LABELS "mpi;${arg_LABELS}")
  endforeach()
endfunction()

