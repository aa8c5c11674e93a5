# The HTML report's assets, compiled into cadena_report as string constants (html_assets.hpp):
# the shared report JS/CSS of web/ and, from node_modules (npm ci, pinned by package-lock.json),
# Apache ECharts, topojson-client and world-atlas's 1:110m countries. Nothing is read at report
# or viewing time. Without node_modules the report's own code is still built, the libraries are
# empty and `--report` says how to get them (scripts/bootstrap.sh); cmake re-runs once they appear.
set(_web "${CMAKE_CURRENT_SOURCE_DIR}/report/web")
set(_nm "${CADENA_NODE_MODULES}")
set(_libs
  "echarts=${_nm}/echarts/dist/echarts.min.js"
  "topojson=${_nm}/topojson-client/dist/topojson-client.min.js"
  "world=${_nm}/world-atlas/countries-110m.json")
set(CADENA_REPORT_LIBS ON)
foreach(pair ${_libs})
  string(REGEX REPLACE "^[^=]*=" "" f "${pair}")
  if(NOT EXISTS "${f}")
    set(CADENA_REPORT_LIBS OFF)
  endif()
endforeach()
if(NOT CADENA_REPORT_LIBS)
  message(WARNING "cadena: ${_nm} lacks echarts, topojson-client or world-atlas: HTML reports are "
                  "disabled until `bash scripts/bootstrap.sh` (npm ci) has run; cmake re-runs then.")
  set(_libs "")
  # Re-configure as soon as npm ci has written its lock copy.
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${_nm}/.package-lock.json")
endif()
file(GLOB _web_files CONFIGURE_DEPENDS "${_web}/*.js" "${_web}/*.css")
list(SORT _web_files)
set(_out "${CMAKE_CURRENT_BINARY_DIR}/generated/report_assets.cpp")
set(_deps ${_web_files})
foreach(pair ${_libs})
  string(REGEX REPLACE "^[^=]*=" "" f "${pair}")
  list(APPEND _deps "${f}")
endforeach()
add_custom_command(
  OUTPUT "${_out}"
  COMMAND ${CMAKE_COMMAND} "-DOUT=${_out}" "-DWEB=${_web}" "-DLIBS=${_libs}"
          -P "${CMAKE_CURRENT_SOURCE_DIR}/report/embed_assets.cmake"
  DEPENDS ${_deps} "${CMAKE_CURRENT_SOURCE_DIR}/report/embed_assets.cmake"
  COMMENT "Embedding the HTML report assets"
  VERBATIM)
target_sources(cadena_report PRIVATE "${_out}")
# One long raw string per asset: fine for GCC and Clang, but longer than ISO C's minimum.
set_source_files_properties("${_out}" PROPERTIES COMPILE_OPTIONS "-Wno-overlength-strings")
