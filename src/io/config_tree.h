// A configuration tree read from a directory: thresholds/, regions/ and calendars/ under it,
// presentation.yaml and units.yaml at its root, every file read whole (at most --limit file-bytes), then made
// a Config by the core.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/config.h"
#include "core/limits.h"

namespace epil::io {

/// The files of a tree, as read, and the problems met reading them.
struct TreeFiles {
  std::string origin;  // the directory; empty for the tree embedded in the binary
  std::vector<ConfigFile> files;
  Findings findings{Origin::kConfiguration};
};

/// Every file of the tree at `dir` (sorted by path), not yet parsed: a front end reads its
/// presentation.yaml before it says which ruleset to load (presentation_of, Config::from_files).
TreeFiles read_tree_files(const std::string& dir, const Limits& limits = Limits{});

/// The files of the tree embedded in the binary.
TreeFiles embedded_tree_files();

/// The tree at `dir`. Unreadable files, a missing directory and the problems of the files
/// themselves go to the Config's findings(). `only_ruleset` and `limits` as for
/// Config::from_files; a file larger than limits.file_bytes is refused.
Config read_config_tree(const std::string& dir, std::string_view only_ruleset = {},
                        const Limits& limits = Limits{});

}  // namespace epil::io
