#include "api/web_files.h"

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <system_error>

namespace tenure::api {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kGz = ".gz";
constexpr std::string_view kAssets = "/assets/";

std::string ContentTypeOf(std::string_view name) {
  const size_t dot = name.rfind('.');
  const std::string_view ext = dot == std::string_view::npos ? "" : name.substr(dot + 1);
  if (ext == "html") return "text/html; charset=utf-8";
  if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "json" || ext == "map") return "application/json";
  if (ext == "webmanifest") return "application/manifest+json";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "ico") return "image/x-icon";
  if (ext == "woff2") return "font/woff2";
  if (ext == "txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

Result<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  if (!in.good() && !in.eof()) return Status::IoError("cannot read " + path.string());
  return content.str();
}

}  // namespace

Result<WebFiles> WebFiles::Load(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_regular_file(fs::path(dir) / "index.html", ec)) {
    return Status::NotFound("no web app in " + dir + " (no index.html)", "--web");
  }
  WebFiles web;
  std::map<std::string, std::string> gzipped;  // by the name of the file they compress
  for (auto it = fs::recursive_directory_iterator(dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    std::string name = "/" + fs::relative(it->path(), dir, ec).generic_string();
    if (ec) break;
    auto content = ReadFile(it->path());
    if (!content.ok()) return content.status();
    if (name.size() > kGz.size() && name.ends_with(kGz)) {
      gzipped[name.substr(0, name.size() - kGz.size())] = std::move(*content);
      continue;
    }
    WebFile file;
    file.content_type = ContentTypeOf(name);
    file.immutable = name.starts_with(kAssets);
    file.etag = "\"" + std::to_string(std::hash<std::string>{}(*content)) + "-" +
                std::to_string(content->size()) + "\"";
    file.content = std::move(*content);
    web.files_.emplace(std::move(name), std::move(file));
  }
  if (ec) return Status::IoError("cannot list " + dir + ": " + ec.message());
  for (auto& [name, content] : gzipped) {
    auto it = web.files_.find(name);
    if (it != web.files_.end()) it->second.gzipped = std::move(content);
  }
  return web;
}

const WebFile* WebFiles::Find(std::string_view path) const {
  if (path.empty() || path == "/") path = "/index.html";
  if (auto it = files_.find(path); it != files_.end()) return &it->second;
  if (path.starts_with(kAssets)) return nullptr;
  return &files_.find(std::string_view("/index.html"))->second;
}

}  // namespace tenure::api
