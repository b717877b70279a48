# Configures baton from SOURCE_DIR as an installer would (-DBUILD_TESTING=OFF, and doctest made
# unfindable: an install needs no test framework), installs it into a fresh prefix without
# building anything, then uses that prefix alone, twice:
#   - a CMake project: find_package(baton) with CMAKE_PREFIX_PATH as the only hint;
#   - a plain compiler line: MPI_CXX_COMPILER consumer.cpp $(pkg-config --cflags --libs baton),
#     run on 2 ranks with no LD_LIBRARY_PATH.
file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "failed (${status}): ${ARGN}\n${out}\n${err}")
  endif()
  message(STATUS "${out}")
  set(run_output "${out}" PARENT_SCOPE)
endfunction()

run(${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${WORK_DIR}/baton-build -G Ninja -DBUILD_TESTING=OFF
    -DCMAKE_DISABLE_FIND_PACKAGE_doctest=ON -DCMAKE_CXX_COMPILER=${CXX_COMPILER}
    -DMPI_CXX_COMPILER=${MPI_CXX_COMPILER} -DMPIEXEC_EXECUTABLE=${MPIEXEC} -Dboost_mpi_DIR=${BOOST_MPI_DIR})
run(${CMAKE_COMMAND} --install ${WORK_DIR}/baton-build --prefix ${prefix})
foreach(file lib/cmake/baton/batonConfigVersion.cmake lib/pkgconfig/baton.pc include/baton/baton.hpp)
  if(NOT EXISTS ${prefix}/${file})
    message(FATAL_ERROR "${file} was not installed")
  endif()
endforeach()

run(${CMAKE_COMMAND} -S ${CONSUMER_DIR} -B ${WORK_DIR}/build
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_CXX_COMPILER=${CXX_COMPILER})
run(${CMAKE_COMMAND} --build ${WORK_DIR}/build)
run(${CMAKE_CTEST_COMMAND} --test-dir ${WORK_DIR}/build --output-on-failure --no-tests=error)

set(ENV{PKG_CONFIG_PATH} ${prefix}/lib/pkgconfig)
unset(ENV{LD_LIBRARY_PATH})
run(pkg-config --cflags --libs baton)
separate_arguments(flags UNIX_COMMAND "${run_output}")
run(${MPI_CXX_COMPILER} ${CONSUMER_DIR}/consumer.cpp ${flags} -o ${WORK_DIR}/consumer-pkg-config)
separate_arguments(launch UNIX_COMMAND "${LAUNCH_FLAGS}")
run(${MPIEXEC} -n 2 ${launch} ${WORK_DIR}/consumer-pkg-config)
if(NOT run_output MATCHES "consumer: received the parameters")
  message(FATAL_ERROR "the pkg-config consumer did not report:\n${run_output}")
endif()
