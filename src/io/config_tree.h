// A configuration tree read from a directory: thresholds/, regions/ and calendars/ under it,
// every *.yaml file read whole (at most --limit file-bytes), then made a Config by the core.
#pragma once

#include <string>
#include <string_view>

#include "core/config.h"
#include "core/limits.h"

namespace epil::io {

/// The tree at `dir`. Unreadable files, a missing directory and the problems of the files
/// themselves go to the Config's findings(). `only_ruleset` and `limits` as for
/// Config::from_files; a file larger than limits.file_bytes is refused.
Config read_config_tree(const std::string& dir, std::string_view only_ruleset = {},
                        const Limits& limits = Limits{});

}  // namespace epil::io
