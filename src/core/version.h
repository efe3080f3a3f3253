// epil's version, as results and --version name it. CMake's project(VERSION) sets it, so that a
// release changes one line.
#pragma once

#include <string_view>

namespace epil {

#ifndef EPIL_VERSION
#error "EPIL_VERSION comes from CMakeLists.txt (project VERSION)"
#endif
inline constexpr std::string_view kVersion = EPIL_VERSION;

}  // namespace epil
