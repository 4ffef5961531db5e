# Builds plugins/air_quality out of tree against the SDK installed from BUILD_DIR, as an outside developer would
# (docs/air-quality.md): C++17, strict warnings as errors. Run by ctest:
#   cmake -DBUILD_DIR=... -DPLUGIN_DIR=... -DWORK=... -DGENERATOR=... -DCXX=... -P air_quality_out_of_tree.cmake
foreach(var BUILD_DIR PLUGIN_DIR WORK GENERATOR CXX)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "${var} is required")
  endif()
endforeach()
file(REMOVE_RECURSE ${WORK})

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
endfunction()

run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK}/sdk --component sdk)
set(launcher)
find_program(CCACHE ccache)
if(CCACHE)
  set(launcher -DCMAKE_CXX_COMPILER_LAUNCHER=${CCACHE})
endif()
run(${CMAKE_COMMAND} -S ${PLUGIN_DIR} -B ${WORK}/build -G ${GENERATOR} -DCMAKE_BUILD_TYPE=Release
    -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_PREFIX_PATH=${WORK}/sdk -DCMAKE_CXX_STANDARD=17
    "-DCMAKE_CXX_FLAGS=-Wall -Wextra -Wpedantic -Wshadow -Wold-style-cast -Werror" ${launcher})
run(${CMAKE_COMMAND} --build ${WORK}/build)

set(out ${WORK}/build/lib/greentwin/plugins)
foreach(f libgreentwin_air_quality.so greentwin_air_quality.greentwin-plugin.toml)
  if(NOT EXISTS ${out}/${f})
    message(FATAL_ERROR "the out-of-tree build did not produce ${out}/${f}")
  endif()
endforeach()
file(READ ${out}/greentwin_air_quality.greentwin-plugin.toml manifest)
if(NOT manifest MATCHES "library = \"libgreentwin_air_quality.so\"" OR NOT manifest MATCHES "abi = [0-9]+")
  message(FATAL_ERROR "manifest not filled in:\n${manifest}")
endif()
# Only the entry point is exported.
execute_process(COMMAND nm -D --defined-only ${out}/libgreentwin_air_quality.so OUTPUT_VARIABLE symbols)
string(REGEX MATCHALL "[^\n]* T [^\n]*" exported "${symbols}")
if(NOT exported MATCHES "greentwin_plugin_entry" OR exported MATCHES "air_quality")
  message(FATAL_ERROR "exported code symbols should be just the entry point:\n${exported}")
endif()
message(STATUS "air_quality built out of tree in ${WORK}/build")
