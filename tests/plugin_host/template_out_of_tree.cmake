# Builds plugins/template out of tree against the SDK installed from BUILD_DIR: what a plugin developer does
# (docs/plugins.md). Run by ctest: cmake -DBUILD_DIR=... -DTEMPLATE_DIR=... -DWORK=... -P template_out_of_tree.cmake
foreach(var BUILD_DIR TEMPLATE_DIR WORK GENERATOR)
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

# 1. The SDK alone, into a fresh prefix.
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK}/sdk --component sdk)
foreach(f include/greentwin/plugin_abi.h include/greentwin/plugin.hpp lib/cmake/GreenTwinSDK/GreenTwinSDKConfig.cmake
          lib/cmake/GreenTwinSDK/GreenTwinSDKConfigVersion.cmake lib/cmake/GreenTwinSDK/GreenTwinPlugin.cmake)
  if(NOT EXISTS ${WORK}/sdk/${f})
    message(FATAL_ERROR "the SDK install lacks ${f}")
  endif()
endforeach()

# 2. The template against it: C++17 and strict warnings, so the SDK headers stay clean for plugin authors.
set(launcher)
find_program(CCACHE ccache)
if(CCACHE)
  set(launcher -DCMAKE_CXX_COMPILER_LAUNCHER=${CCACHE})
endif()
run(${CMAKE_COMMAND} -S ${TEMPLATE_DIR} -B ${WORK}/build -G ${GENERATOR} -DCMAKE_BUILD_TYPE=Release
    -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_PREFIX_PATH=${WORK}/sdk -DCMAKE_CXX_STANDARD=17
    "-DCMAKE_CXX_FLAGS=-Wall -Wextra -Wpedantic -Wshadow -Wold-style-cast -Werror" ${launcher})
run(${CMAKE_COMMAND} --build ${WORK}/build)

# 3. Library and manifest side by side, as the host expects them.
set(out ${WORK}/build/lib/greentwin/plugins)
foreach(f libgreentwin_template.so greentwin_template.greentwin-plugin.toml)
  if(NOT EXISTS ${out}/${f})
    message(FATAL_ERROR "the out-of-tree build did not produce ${out}/${f}")
  endif()
endforeach()
file(READ ${out}/greentwin_template.greentwin-plugin.toml manifest)
if(NOT manifest MATCHES "library = \"libgreentwin_template.so\"" OR NOT manifest MATCHES "abi = [0-9]+")
  message(FATAL_ERROR "manifest not filled in:\n${manifest}")
endif()
message(STATUS "template built out of tree in ${WORK}/build")
