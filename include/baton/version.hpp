#pragma once
/// @file
/// baton's version; matches `project(baton VERSION ...)` in CMakeLists.txt.

#define BATON_VERSION_MAJOR 0
#define BATON_VERSION_MINOR 1
#define BATON_VERSION_PATCH 0
/// major * 10000 + minor * 100 + patch
#define BATON_VERSION (BATON_VERSION_MAJOR * 10000 + BATON_VERSION_MINOR * 100 + BATON_VERSION_PATCH)
#define BATON_VERSION_STRING "0.1.0"
