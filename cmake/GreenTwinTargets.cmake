# Shared settings for the project's own targets (not for third-party code).

# greentwin_project_warnings(<target>): warnings on for project code; errors in CI (GREENTWIN_WERROR).
function(greentwin_project_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                         -Wold-style-cast -Wcast-align -Woverloaded-virtual
                         -Wimplicit-fallthrough)
  if(GREENTWIN_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# greentwin_add_library(<name> <folder-include-dir> SOURCES ...): a static library per folder,
# with public headers under <folder>/include/greentwin/<folder>/.
function(greentwin_add_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  add_library(GreenTwin::${name} ALIAS ${name})
  target_include_directories(${name} PUBLIC
    $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  set_target_properties(${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  greentwin_project_warnings(${name})
  install(TARGETS ${name} ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
  install(DIRECTORY include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
endfunction()
