#pragma once
/// @file
/// The umbrella header: everything users need.

#include <baton/allow_pointer_members.hpp>
#include <baton/comm.hpp>
#include <baton/dataset/local_dataset.hpp>
#include <baton/envelope.hpp>
#include <baton/environment.hpp>
#include <baton/error.hpp>
#include <baton/print.hpp>
#include <baton/tag.hpp>
#include <baton/task_farm.hpp>
#include <baton/type_name.hpp>
#include <baton/version.hpp>
#include <baton/view.hpp>
