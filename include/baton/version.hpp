#pragma once
/// @file
/// baton's version; matches `project(baton VERSION ...)` in CMakeLists.txt.

#define BATON_VERSION_MAJOR 0  ///< major version: incompatible changes
#define BATON_VERSION_MINOR 1  ///< minor version: additions
#define BATON_VERSION_PATCH 0  ///< patch version: fixes
/// major * 10000 + minor * 100 + patch
#define BATON_VERSION (BATON_VERSION_MAJOR * 10000 + BATON_VERSION_MINOR * 100 + BATON_VERSION_PATCH)
/// "major.minor.patch"
#define BATON_VERSION_STRING "0.1.0"
