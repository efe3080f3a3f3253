// The configuration tree (thresholds/, regions/) compiled into the binary as its default.
#pragma once

#include <span>
#include <string_view>

namespace epil {

struct EmbeddedFile {
  std::string_view path;  // relative to the tree root, e.g. "regions/guangxi.yaml"
  std::string_view text;
};

/// Every embedded file, sorted by path. Generated at build time by cmake/embed_config.cmake.
std::span<const EmbeddedFile> embedded_config();

}  // namespace epil
