// What the fuzz targets share: a scratch folder for the files an input is
// written to, and a check that stops the run as a finding (libFuzzer saves
// the input that broke it).
#pragma once

#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <string_view>

namespace tenure::fuzz {

// A folder of this process's own, made on first use.
inline const std::string& Scratch() {
  static const std::string folder = [] {
    char pattern[] = "/tmp/tenure-fuzz-XXXXXX";
    const char* made = mkdtemp(pattern);
    return std::string(made ? made : "/tmp");
  }();
  return folder;
}

// Writes `bytes` to the file `name` in Scratch() and returns its path.
inline std::string WriteFile(const std::string& name, std::string_view bytes) {
  std::string path = Scratch() + "/" + name;
  FILE* file = std::fopen(path.c_str(), "wb");
  if (file) {
    std::fwrite(bytes.data(), 1, bytes.size(), file);
    std::fclose(file);
  }
  return path;
}

// A property that must hold: when it does not, the input is a finding.
inline void Require(bool holds, const char* what) {
  if (holds) return;
  std::fprintf(stderr, "fuzz finding: %s\n", what);
  abort();
}

}  // namespace tenure::fuzz
