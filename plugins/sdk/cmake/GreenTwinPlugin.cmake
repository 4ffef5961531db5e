# greentwin_add_plugin(<name> SOURCES <file>... MANIFEST <file> [OUTPUT_DIRECTORY <dir>] [NO_INSTALL])
#
# Builds a GreenTwin plugin: a MODULE library linked to GreenTwin::plugin_sdk, every symbol hidden except the
# entry point (GREENTWIN_PLUGIN marks it), and its manifest `<name>.greentwin-plugin.toml` beside it. The manifest
# is copied with @ONLY substitution of
#   @GREENTWIN_PLUGIN_LIBRARY@  the library's file name (e.g. libmy_plugin.so)
#   @GREENTWIN_PLUGIN_ABI@      the SDK's ABI version
# so `library = "@GREENTWIN_PLUGIN_LIBRARY@"` always names the right file. Output goes to OUTPUT_DIRECTORY
# (default: <top build dir>/lib/greentwin/plugins, the installed layout: one folder a config's [plugins] folders
# can name); the library and manifest are installed to <prefix>/lib/greentwin/plugins (component "plugins")
# unless NO_INSTALL.
#
# The same function builds in-tree plugins (the GreenTwin build includes this file) and out-of-tree ones
# (find_package(GreenTwinSDK) includes it).
include_guard(GLOBAL)

# Global properties, not variables: the function is called from directories that do not see this file's scope.
# The ABI number must equal GREENTWIN_PLUGIN_ABI_VERSION in plugin_abi.h (plugins/CMakeLists.txt checks it).
set_property(GLOBAL PROPERTY GREENTWIN_PLUGIN_ABI_VERSION 1)
set_property(GLOBAL PROPERTY GREENTWIN_PLUGIN_INSTALL_DIR lib/greentwin/plugins)

function(greentwin_add_plugin name)
  cmake_parse_arguments(ARG "NO_INSTALL" "MANIFEST;OUTPUT_DIRECTORY" "SOURCES" ${ARGN})
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "greentwin_add_plugin(${name}): SOURCES is required")
  endif()
  if(NOT ARG_MANIFEST)
    message(FATAL_ERROR "greentwin_add_plugin(${name}): MANIFEST is required (<name>.greentwin-plugin.toml)")
  endif()
  get_property(install_dir GLOBAL PROPERTY GREENTWIN_PLUGIN_INSTALL_DIR)
  if(NOT ARG_OUTPUT_DIRECTORY)
    set(ARG_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/${install_dir})
  endif()
  get_filename_component(manifest_in ${ARG_MANIFEST} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})

  add_library(${name} MODULE ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE GreenTwin::plugin_sdk)
  set_target_properties(${name} PROPERTIES
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIRECTORY})
  if(COMMAND greentwin_project_warnings)  # in the GreenTwin tree: the project's warning flags
    greentwin_project_warnings(${name})
  endif()

  set(GREENTWIN_PLUGIN_LIBRARY ${CMAKE_SHARED_MODULE_PREFIX}${name}${CMAKE_SHARED_MODULE_SUFFIX})
  get_property(GREENTWIN_PLUGIN_ABI GLOBAL PROPERTY GREENTWIN_PLUGIN_ABI_VERSION)
  set(manifest_out ${ARG_OUTPUT_DIRECTORY}/${name}.greentwin-plugin.toml)
  configure_file(${manifest_in} ${manifest_out} @ONLY)

  if(NOT ARG_NO_INSTALL)
    install(TARGETS ${name} LIBRARY DESTINATION ${install_dir} COMPONENT plugins)
    install(FILES ${manifest_out} DESTINATION ${install_dir} COMPONENT plugins)
  endif()
endfunction()
