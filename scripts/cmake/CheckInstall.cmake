# SPDX-License-Identifier: GPL-3.0-or-later
# Test (ctest: install_tree): installs the build into an empty folder and checks that exactly the files
# a package must hold are there, then runs the installed offerscope-cli on an installed lesson.
#   cmake -DBUILD_DIR=... -DPREFIX=... -DAPP_ID=... -DGUI=ON|OFF -P CheckInstall.cmake
file(REMOVE_RECURSE "${PREFIX}")
execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${PREFIX}"
    OUTPUT_VARIABLE out ERROR_VARIABLE out RESULT_VARIABLE failed)
if(failed)
    message(FATAL_ERROR "cmake --install failed:\n${out}")
endif()

set(expected
    bin/offerscope-cli
    share/offerscope/traces/texture-cache.csv
    share/offerscope/recording/offerscope-dxgkrnl.wprp
    share/man/man1/offerscope-cli.1.gz
    share/doc/offerscope/copyright
    share/doc/offerscope/changelog.gz
    share/doc/offerscope/scenarios.md
    share/doc/offerscope/recordings.md
    share/applications/${APP_ID}.desktop
    share/metainfo/${APP_ID}.metainfo.xml
    share/icons/hicolor/scalable/apps/${APP_ID}.svg)
foreach(size 16 32 48 64 128 256)
    list(APPEND expected share/icons/hicolor/${size}x${size}/apps/${APP_ID}.png)
endforeach()
file(GLOB lessons RELATIVE "${SOURCE_DIR}/resources" "${SOURCE_DIR}/resources/lessons/*.jsonc")
foreach(lesson IN LISTS lessons)
    list(APPEND expected share/offerscope/${lesson})
endforeach()
if(GUI)
    list(APPEND expected bin/offerscope share/man/man1/offerscope.1.gz)
endif()

file(GLOB_RECURSE installed RELATIVE "${PREFIX}" "${PREFIX}/*")
list(SORT installed)
list(SORT expected)
set(missing ${expected})
list(REMOVE_ITEM missing ${installed})
set(extra ${installed})
list(REMOVE_ITEM extra ${expected})
if(missing OR extra)
    list(JOIN missing "\n  " missing_text)
    list(JOIN extra "\n  " extra_text)
    message(FATAL_ERROR "the installed tree is not what a package must hold.\nMissing:\n  ${missing_text}\n"
        "Not expected:\n  ${extra_text}")
endif()
list(LENGTH installed count)
message(STATUS "${count} files installed, as expected")

# The installed runner, on an installed lesson, from any folder.
execute_process(COMMAND "${PREFIX}/bin/offerscope-cli" run "${PREFIX}/share/offerscope/lessons/01-first-offer-and-reclaim.jsonc"
    WORKING_DIRECTORY "${PREFIX}" OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE code)
if(NOT code EQUAL 0 OR NOT out MATCHES "expectations")
    message(FATAL_ERROR "the installed offerscope-cli run failed (${code}):\n${out}\n${err}")
endif()
# The installed lessons, listed and taken by name.
execute_process(COMMAND "${PREFIX}/bin/offerscope-cli" lessons OUTPUT_VARIABLE out RESULT_VARIABLE code)
if(NOT code EQUAL 0 OR NOT out MATCHES "03-auto-priority.jsonc +Lesson 3")
    message(FATAL_ERROR "offerscope-cli lessons (${code}) did not list the installed lessons:\n${out}")
endif()
execute_process(COMMAND "${PREFIX}/bin/offerscope-cli" run 03-auto-priority OUTPUT_VARIABLE out RESULT_VARIABLE code)
if(NOT code EQUAL 0 OR NOT out MATCHES "expectations held")
    message(FATAL_ERROR "offerscope-cli run 03-auto-priority (${code}) did not find the installed lesson:\n${out}")
endif()
file(REMOVE_RECURSE "${PREFIX}")
