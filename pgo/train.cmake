# Runs the training of the profile-guided build (cmake -P, from
# pgo/CMakeLists.txt) and hands its counts to the core's compilation.
#   TRAINER       the instrumented training program
#   TRAINING_DIR  where its objects are, and so where it writes its .gcda
#   CORE_DIR      where sipresp_core's objects are: GCC's -fprofile-use
#                 looks for each object's counts beside it, by its name
#   SOURCES       the core's source file names (one .gcda each)
#   CAPTURES      the training captures
#   STAMP         touched when done
# Counts from an earlier run are removed first: GCC adds a run's counts to
# those it finds, and after a source change their shape no longer matches.
file(GLOB_RECURSE old_counts "${TRAINING_DIR}/*.gcda")
if(old_counts)
  file(REMOVE ${old_counts})
endif()
# The tables' hash seed fixed: the same captures give the same counts, so
# the same sources build the same plugin.
set(ENV{SIPRESP_KEY_SEED} 1)
execute_process(COMMAND "${TRAINER}" ${CAPTURES} RESULT_VARIABLE status OUTPUT_QUIET)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "the profile training run failed (${status})")
endif()
file(MAKE_DIRECTORY "${CORE_DIR}")
foreach(source IN LISTS SOURCES)
  get_filename_component(name "${source}" NAME)
  file(GLOB_RECURSE counts "${TRAINING_DIR}/${name}.gcda")
  list(LENGTH counts found)
  if(NOT found EQUAL 1)
    message(FATAL_ERROR "the profile training left ${found} count files for ${name}, not one")
  endif()
  file(COPY_FILE "${counts}" "${CORE_DIR}/${name}.gcda")
endforeach()
file(TOUCH "${STAMP}")
