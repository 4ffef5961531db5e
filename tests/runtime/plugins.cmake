# The plugin host (runtime/src/plugins/) and SDK: test plugins built with greentwin_add_plugin (as any plugin is) into one folder the tests
# configure, the host loading/refusing/disabling them, and the template plugin built out of tree against the
# installed SDK package.
set(GT_TEST_PLUGIN_DIR ${CMAKE_CURRENT_BINARY_DIR}/folder)
foreach(plugin good thrower raw newer noentry probe hang)
  set(source_good good_plugin.cpp)
  set(source_thrower throwing_plugin.cpp)
  set(source_raw raw_plugin.cpp)
  set(source_newer newer_abi_plugin.cpp)
  set(source_noentry no_entry_plugin.cpp)
  set(source_probe probe_plugin.cpp)
  set(source_hang hanging_plugin.cpp)
  greentwin_add_plugin(gt_test_${plugin} SOURCES test_plugins/${source_${plugin}}
    MANIFEST test_plugins/${plugin}.greentwin-plugin.toml
    OUTPUT_DIRECTORY ${GT_TEST_PLUGIN_DIR} NO_INSTALL)
  list(APPEND GT_TEST_PLUGINS gt_test_${plugin})
endforeach()

foreach(unit plugin_host plugin_twin plugin_feed_health twin_indicators)
  greentwin_add_test(runtime_${unit}_test SOURCES ${unit}_test.cpp LIBS greentwin_viewer greentwin_test_support)
  add_dependencies(runtime_${unit}_test ${GT_TEST_PLUGINS})
  target_compile_definitions(runtime_${unit}_test PRIVATE
    GT_TEST_PLUGIN_DIR="${GT_TEST_PLUGIN_DIR}"
    GT_TEST_PLUGIN_SUFFIX="${CMAKE_SHARED_MODULE_SUFFIX}")
endforeach()

# The template, out of tree: install the SDK component to a temporary prefix, configure and build
# plugins/template against it with find_package(GreenTwinSDK); then a twin loads the result and sees its values.
set(GT_TEMPLATE_WORK ${CMAKE_CURRENT_BINARY_DIR}/template_out_of_tree)
add_test(NAME plugins.template_builds_out_of_tree
  COMMAND ${CMAKE_COMMAND} -DBUILD_DIR=${CMAKE_BINARY_DIR} -DPLUGIN_DIR=${PROJECT_SOURCE_DIR}/plugins/template
          -DPLUGIN_TARGET=greentwin_template -DWORK=${GT_TEMPLATE_WORK} -DGENERATOR=${CMAKE_GENERATOR}
          -DCXX=${CMAKE_CXX_COMPILER} -P ${PROJECT_SOURCE_DIR}/tests/support/plugin_out_of_tree.cmake)
set_tests_properties(plugins.template_builds_out_of_tree PROPERTIES FIXTURES_SETUP template_out_of_tree TIMEOUT 300)
greentwin_add_test(runtime_plugin_template_test SOURCES plugin_template_test.cpp LIBS greentwin_viewer
  PROPERTIES FIXTURES_REQUIRED template_out_of_tree)
target_compile_definitions(runtime_plugin_template_test PRIVATE
  GT_TEMPLATE_PLUGIN_DIR="${GT_TEMPLATE_WORK}/build/lib/greentwin/plugins")
