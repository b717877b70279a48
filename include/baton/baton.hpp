#pragma once
/// @file
/// The umbrella header: everything users need.

#include "comm.hpp"
#include "dataset/local_dataset.hpp"
#include "envelope.hpp"
#include "environment.hpp"
#include "error.hpp"
#include "tag.hpp"
#include "task_farm.hpp"
#include "type_name.hpp"
#include "version.hpp"
#include "view.hpp"
