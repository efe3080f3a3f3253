#include "io/config_tree.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <vector>

#include "core/embedded.h"
#include "core/messages.h"
#include "io/whole_file.h"

namespace epil::io {

namespace fs = std::filesystem;

namespace {

// One file of the tree, read whole and at most `max_bytes`; a device, pipe or socket named
// *.yaml (a link to /dev/zero) is refused without being opened: reading it would never end
// or never start.
std::optional<std::string> read_config_file(const fs::directory_entry& entry, uint64_t max_bytes,
                                            Findings& findings) {
  const std::string path = entry.path().string();
  std::error_code ec;
  if (!entry.is_regular_file(ec)) {
    add_error(findings, Msg::kNotRegularFile, path, 0, 0);
    return std::nullopt;
  }
  WholeFileError error;
  auto text = read_whole_file(path, max_bytes, error);
  if (!text) findings.error(error.code, path, 0, 0, error.message, error.message_zh);
  return text;
}

}  // namespace

TreeFiles read_tree_files(const std::string& dir, const Limits& limits) {
  TreeFiles tree;
  tree.origin = dir;
  Findings& findings = tree.findings;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    add_error(findings, Msg::kConfigDirMissing, dir, 0, 0);
    return tree;
  }
  for (const char* sub : {"thresholds", "regions", "calendars", "divisions"}) {
    fs::path p = fs::path(dir) / sub;
    // A tree without calendars still screens; working-day deadlines are then not computed. One
    // without divisions finds places in the binary's own list.
    const std::string_view name(sub);
    if ((name == "calendars" || name == "divisions") && !fs::exists(p, ec)) continue;
    if (!fs::is_directory(p, ec)) {
      add_error(findings, Msg::kConfigSubdirMissing, p.string(), 0, 0, sub);
      continue;
    }
    for (const auto& entry : fs::recursive_directory_iterator(p, ec)) {
      if (entry.path().extension() != ".yaml" || entry.is_directory(ec)) continue;
      auto text = read_config_file(entry, limits.file_bytes, findings);
      if (text) {
        tree.files.push_back({fs::relative(entry.path(), dir).generic_string(), std::move(*text)});
      }
    }
  }
  // Optional: without presentation.yaml a command names its ruleset unless the tree has only
  // one; without units.yaml a number is bare or followed by its unit's own name.
  for (const char* name : {"presentation.yaml", "units.yaml"}) {
    const fs::directory_entry file(fs::path(dir) / name, ec);
    if (!file.exists(ec)) continue;
    if (auto text = read_config_file(file, limits.file_bytes, findings)) {
      tree.files.push_back({name, std::move(*text)});
    }
  }
  std::sort(tree.files.begin(), tree.files.end(),
            [](const ConfigFile& a, const ConfigFile& b) { return a.path < b.path; });
  return tree;
}

TreeFiles embedded_tree_files() {
  TreeFiles tree;
  for (const auto& f : embedded_config()) {
    tree.files.push_back({std::string(f.path), std::string(f.text)});
  }
  return tree;
}

Config read_config_tree(const std::string& dir, std::string_view only_ruleset,
                        const Limits& limits) {
  TreeFiles tree = read_tree_files(dir, limits);
  return Config::from_files(std::move(tree.files), dir, only_ruleset, limits,
                            std::move(tree.findings));
}

}  // namespace epil::io
