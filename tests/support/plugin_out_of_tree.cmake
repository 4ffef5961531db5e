# Builds one plugin out of tree against the SDK installed from BUILD_DIR, as an outside developer does
# (docs/plugins.md): install the `sdk` component to a fresh prefix, configure the plugin folder against it with
# find_package(GreenTwinSDK), C++17 and strict warnings as errors, then check what the host needs. Run by ctest:
#   cmake -DBUILD_DIR=... -DPLUGIN_DIR=... -DPLUGIN_TARGET=greentwin_<id> -DWORK=... -DGENERATOR=... -DCXX=...
#         -P plugin_out_of_tree.cmake
foreach(var BUILD_DIR PLUGIN_DIR PLUGIN_TARGET WORK GENERATOR CXX)
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
foreach(f include/greentwin/plugin_abi.h include/greentwin/plugin.hpp include/greentwin/plugin_host.hpp include/greentwin/plugin_layer_wait.hpp lib/cmake/GreenTwinSDK/GreenTwinSDKConfig.cmake
          lib/cmake/GreenTwinSDK/GreenTwinSDKConfigVersion.cmake lib/cmake/GreenTwinSDK/GreenTwinPlugin.cmake)
  if(NOT EXISTS ${WORK}/sdk/${f})
    message(FATAL_ERROR "the SDK install lacks ${f}")
  endif()
endforeach()

# 2. The plugin against it: C++17 and strict warnings, so the SDK headers stay clean for plugin authors.
set(launcher)
find_program(CCACHE ccache)
if(CCACHE)
  set(launcher -DCMAKE_CXX_COMPILER_LAUNCHER=${CCACHE})
endif()
run(${CMAKE_COMMAND} -S ${PLUGIN_DIR} -B ${WORK}/build -G ${GENERATOR} -DCMAKE_BUILD_TYPE=Release
    -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_PREFIX_PATH=${WORK}/sdk -DCMAKE_CXX_STANDARD=17
    "-DCMAKE_CXX_FLAGS=-Wall -Wextra -Wpedantic -Wshadow -Wold-style-cast -Werror" ${launcher})
run(${CMAKE_COMMAND} --build ${WORK}/build)

# 3. Library and manifest side by side, as the host expects them, and only the entry point exported.
set(out ${WORK}/build/lib/greentwin/plugins)
set(library lib${PLUGIN_TARGET}.so)
foreach(f ${library} ${PLUGIN_TARGET}.greentwin-plugin.toml)
  if(NOT EXISTS ${out}/${f})
    message(FATAL_ERROR "the out-of-tree build did not produce ${out}/${f}")
  endif()
endforeach()
file(READ ${out}/${PLUGIN_TARGET}.greentwin-plugin.toml manifest)
if(NOT manifest MATCHES "library = \"${library}\"" OR NOT manifest MATCHES "abi = [0-9]+")
  message(FATAL_ERROR "manifest not filled in:\n${manifest}")
endif()
execute_process(COMMAND nm -D --defined-only ${out}/${library} OUTPUT_VARIABLE symbols)
string(REGEX MATCHALL "[^\n]* T [^\n]*" exported "${symbols}")
list(FILTER exported EXCLUDE REGEX " T greentwin_plugin_entry$")
if(NOT symbols MATCHES " T greentwin_plugin_entry" OR exported)
  message(FATAL_ERROR "exported code symbols should be just greentwin_plugin_entry; also exported:\n${exported}")
endif()
message(STATUS "${PLUGIN_TARGET} built out of tree in ${WORK}/build")
