# Runs `greentwin render` on the bundled demo with ARGS (separated by '|': add_test would split a ';') that must be
# refused before any layer loads: a non-zero exit, EXPECT (a regex) in stderr, no "loading" progress line on stdout,
# no image, and within MAX_SECONDS.
string(REPLACE "|" ";" ARGS "${ARGS}")
string(TIMESTAMP start "%s" UTC)
execute_process(COMMAND "${GREENTWIN}" render --out "${OUT}" --size 320x200 ${ARGS}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
string(TIMESTAMP end "%s" UTC)
math(EXPR seconds "${end} - ${start}")
if(rc EQUAL 0)
  message(FATAL_ERROR "greentwin render ${ARGS} succeeded; expected a refusal: ${out} ${err}")
endif()
if(NOT err MATCHES "${EXPECT}")
  message(FATAL_ERROR "stderr does not match '${EXPECT}':\n${err}")
endif()
if(out MATCHES "loading ")
  message(FATAL_ERROR "layers started loading before the refusal:\n${out}")
endif()
if(EXISTS "${OUT}")
  message(FATAL_ERROR "a refused render wrote ${OUT}")
endif()
if(seconds GREATER MAX_SECONDS)
  message(FATAL_ERROR "the refusal took ${seconds} s (at most ${MAX_SECONDS} s expected)")
endif()
