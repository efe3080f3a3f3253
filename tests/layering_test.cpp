// The layers as the sources keep them (docs/architecture.md): src/core includes nothing of
// src/io or cli/, and touches no file, stream, environment or process; src/io prints nothing
// and exits nowhere. tests/core_alone.cpp proves the first at link time too.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

struct Source {
  std::string path;  // relative to the source tree, e.g. "src/core/config.cpp"
  std::string text;
};

std::vector<Source> sources_under(const char* dir) {
  std::vector<Source> out;
  for (const auto& entry : fs::recursive_directory_iterator(fs::path(EPIL_SOURCE_DIR) / dir)) {
    const auto ext = entry.path().extension();
    if (ext != ".cpp" && ext != ".h") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    out.push_back({fs::relative(entry.path(), EPIL_SOURCE_DIR).generic_string(), text.str()});
  }
  REQUIRE_FALSE(out.empty());
  return out;
}

// The code without its comments and the contents of its string and character literals, so
// that a comment saying "never std::cout" or a message naming getenv is not taken for a use.
// Line breaks are kept, so positions stay right.
std::string code_only(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      while (i < text.size() && text[i] != '\n') ++i;
      if (i < text.size()) out += '\n';
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      for (i += 2; i + 1 < text.size() && !(text[i] == '*' && text[i + 1] == '/'); ++i) {
        if (text[i] == '\n') out += '\n';
      }
      ++i;
    } else if (c == 'R' && i + 1 < text.size() && text[i + 1] == '"') {
      // A raw string R"d( ... )d".
      const size_t open = text.find('(', i);
      const std::string close = ")" + text.substr(i + 2, open - i - 2) + "\"";
      const size_t end = text.find(close, open);
      for (size_t k = i; k < end; ++k) {
        if (text[k] == '\n') out += '\n';
      }
      out += "R\"\"";
      i = end + close.size() - 1;
    } else if (c == '"' || c == '\'') {
      out += c;
      for (++i; i < text.size() && text[i] != c; ++i) {
        if (text[i] == '\\') ++i;
      }
      out += c;
    } else {
      out += c;
    }
  }
  return out;
}

int line_of(const std::string& text, size_t pos) {
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + pos, '\n'));
}

// Every match of `pattern` in the sources, as "file:line: text".
std::vector<std::string> uses(const std::vector<Source>& sources, const std::regex& pattern,
                              bool in_code) {
  std::vector<std::string> found;
  for (const Source& s : sources) {
    const std::string text = in_code ? code_only(s.text) : s.text;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), pattern);
         it != std::sregex_iterator(); ++it) {
      found.push_back(s.path + ":" + std::to_string(line_of(text, it->position())) + ": " +
                      it->str());
    }
  }
  return found;
}

const std::regex kIncludesOfUpperLayers(R"re(#\s*include\s*"(io|cli)/[^"]*")re");
const std::regex kIncludesOfFrontEnds(R"re(#\s*include\s*"cli/[^"]*")re");
// Headers of files, streams and the file system; <unistd.h> stays allowed (the page size of
// stable_array), as does mmap of anonymous memory.
const std::regex kIoHeaders(R"re(#\s*include\s*<(iostream|fstream|cstdio|stdio\.h|filesystem|fcntl\.h|sys/stat\.h)>)re");
const std::regex kCoreForbidden(
    R"re(\b(getenv|secure_getenv|setenv|std::cout|std::cerr|std::clog|printf|fprintf|puts|fopen|exit|_exit|quick_exit|abort|system|popen)\s*\()re"
    R"re(|\bstd::(cout|cerr|clog)\b)re");
const std::regex kPrinting(
    R"re(\b(printf|fprintf|puts|perror|exit|_exit|quick_exit|abort)\s*\(|\bstd::(cout|cerr|clog)\b|\bstderr\b)re");

// The includes in `dir` that match `includes`, and the code (comments and strings left out)
// that matches `code`.
std::vector<std::string> violations(const char* dir, const std::regex& includes,
                                    const std::regex& code) {
  const auto sources = sources_under(dir);
  auto found = uses(sources, includes, false);
  const auto calls = uses(sources, code, true);
  found.insert(found.end(), calls.begin(), calls.end());
  return found;
}

// Each use found fails the test by name.
void expect_none(const std::vector<std::string>& found) {
  for (const auto& f : found) FAIL_CHECK("not allowed in this layer: " << f);
  CHECK(found.empty());
}

}  // namespace

TEST_CASE("layers: src/core includes nothing of src/io or cli/") {
  expect_none(uses(sources_under("src/core"), kIncludesOfUpperLayers, false));
}

TEST_CASE("layers: src/core reads no file, environment or stream, prints nothing, exits nowhere") {
  expect_none(violations("src/core", kIoHeaders, kCoreForbidden));
}

TEST_CASE("layers: src/io includes nothing of cli/, prints nothing, exits nowhere") {
  expect_none(violations("src/io", kIncludesOfFrontEnds, kPrinting));
}

TEST_CASE("layers: the scan sees what it looks for") {
  // The checks above would pass on nothing: show they catch each kind, and skip comments and
  // strings.
  const std::vector<Source> bad = {
      {"a.cpp", "#include \"io/normalize.h\"\nint f() { return std::getenv(\"X\") != 0; }\n"},
      {"b.cpp", "// std::cout is never used here\nconst char* s = \"exit(1)\";\n"},
      {"c.cpp", "void g() { std::cerr << 1; }\n"},
      {"d.cpp", "#include <fstream>\n"},
  };
  CHECK(uses(bad, kIncludesOfUpperLayers, false) ==
        std::vector<std::string>{"a.cpp:1: #include \"io/normalize.h\""});
  CHECK(uses(bad, kCoreForbidden, true).size() == 2);  // getenv( in a.cpp, std::cerr in c.cpp
  CHECK(uses(bad, kPrinting, true) == std::vector<std::string>{"c.cpp:1: std::cerr"});
  CHECK(uses(bad, kIoHeaders, false) == std::vector<std::string>{"d.cpp:1: #include <fstream>"});
}
