# SPDX-License-Identifier: GPL-3.0-or-later
# CPack: a Debian package of the whole program on Linux (offerscope_<version>_amd64.deb, its dependencies
# computed by dpkg-shlibdeps), a zip of offerscope-cli.exe with its folder of data in the Windows cross
# build. scripts/offerscope.sh package runs both and checks them.
set(CPACK_PACKAGE_NAME offerscope)
set(CPACK_PACKAGE_VENDOR "The OfferScope developers")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "see and teach how Windows manages offered video memory")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_CHECKSUM SHA256)
set(CPACK_OUTPUT_FILE_PREFIX ${CMAKE_BINARY_DIR}/packages)
set(OFFERSCOPE_PACKAGE_MAINTAINER "The OfferScope developers <offerscope@example.org>"
    CACHE STRING "The Maintainer field of the Debian package")

if(WIN32)
    set(CPACK_GENERATOR ZIP)
    set(CPACK_PACKAGE_FILE_NAME offerscope-cli-${PROJECT_VERSION}-windows-x86_64)
    set(CPACK_INCLUDE_TOPLEVEL_DIRECTORY ON)
else()
    set(CPACK_GENERATOR DEB)
    set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
    set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # offerscope_0.2.0_amd64.deb
    set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${OFFERSCOPE_PACKAGE_MAINTAINER})
    set(CPACK_DEBIAN_PACKAGE_SECTION devel)
    set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
    set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
    # The window's X11 platform plugin is in libqt6gui6 (a library it links); the offscreen one, which
    # its batch mode (--screenshot) can use without a display, is in qt6-qpa-plugins.
    set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-qpa-plugins")
    set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
    # The long description; CPack puts CPACK_PACKAGE_DESCRIPTION_SUMMARY before it as the synopsis and
    # indents its lines (at most 80 characters each, "." for an empty line, as Debian wants).
    set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "Applications give video memory they can rebuild back to Windows with
D3DKMTOfferAllocations, at a priority, and reclaim it when they need it.
OfferScope shows what the video memory manager (VidMm, WDDM) does with it:
segment usage against budgets, offered allocations in the order they would
be discarded, and reclaim results (OK, DISCARDED, NOT_COMMITTED), with every
event explained beside the D3DKMT call behind it.
.
It runs a deterministic simulator with time travel, bundled lessons, graded
practice and a classroom mode, what-if comparisons and budget curves, and
opens recordings of what Windows did (ETW DxgKrnl events) to check the
model against them. offerscope-cli does the same from the command line.")
endif()
include(CPack)
