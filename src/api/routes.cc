#include "api/routes.h"

#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "engine/import/importer.h"

namespace tenure::api {
namespace {

using nlohmann::json;

std::optional<int64_t> ParseInt(std::string_view text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

}  // namespace

uint8_t RoleBit(domain::UserRole role) {
  switch (role) {
    case domain::UserRole::kAdmin:
      return kAdmin;
    case domain::UserRole::kManager:
      return kManager;
    case domain::UserRole::kSales:
      return kSales;
    case domain::UserRole::kService:
      return kService;
  }
  return 0;
}

std::vector<Route> AllRoutes() {
  std::vector<Route> routes;
  AddSessionRoutes(routes);
  AddCustomerRoutes(routes);
  AddWorkbenchRoutes(routes);
  AddCareRoutes(routes);
  AddAdminRoutes(routes);
  AddReportRoutes(routes);
  AddRecordRoutes(routes);
  return routes;
}

std::optional<std::string> QueryParam(const Request& request, const std::string& name) {
  auto it = request.query.find(name);
  if (it == request.query.end()) return std::nullopt;
  return it->second;
}

Result<int64_t> IntParam(const Request& request, const std::string& name, int64_t fallback,
                         int64_t min, int64_t max) {
  std::optional<std::string> text = QueryParam(request, name);
  if (!text) return fallback;
  std::optional<int64_t> value = ParseInt(*text);
  if (!value || *value < min || *value > max) {
    return Status::InvalidArgument("expected a whole number from " + std::to_string(min) + " to " +
                                       std::to_string(max) + ", not '" + *text + "'",
                                   name);
  }
  return *value;
}

Result<Date> DateParam(const Request& request, const std::string& name, Date fallback) {
  std::optional<std::string> text = QueryParam(request, name);
  if (!text) return fallback;
  std::optional<Date> date = ParseIsoDate(*text);
  if (!date)
    return Status::InvalidArgument("not a date '" + *text + "' (expected YYYY-MM-DD)", name);
  return *date;
}

Result<int64_t> PathId(const Request& request, size_t index) {
  if (index >= request.path_params.size()) return Status::NotFound("no id in the path");
  std::optional<int64_t> id = ParseInt(request.path_params[index]);
  if (!id || *id <= 0) {
    return Status::NotFound("no row '" + request.path_params[index] + "' (ids are whole numbers)");
  }
  return *id;
}

Result<std::string> BodyText(const Request& request, const std::string& name, bool required) {
  if (request.body.is_object()) {
    auto it = request.body.find(name);
    if (it != request.body.end() && !it->is_null()) {
      if (it->is_string()) return it->get<std::string>();
      if (it->is_number_integer()) return std::to_string(it->get<int64_t>());
      return Status::InvalidArgument("expected text", name);
    }
  }
  if (required) return Status::InvalidArgument("required", name);
  return std::string();
}

Result<bool> BodyFlag(const Request& request, const std::string& name) {
  if (request.body.is_object()) {
    auto it = request.body.find(name);
    if (it != request.body.end() && !it->is_null()) {
      if (it->is_boolean()) return it->get<bool>();
      return Status::InvalidArgument("expected true or false", name);
    }
  }
  return false;
}

Result<std::optional<int64_t>> ExpectedVersion(const Request& request) {
  if (request.body.is_object()) {
    auto it = request.body.find("version");
    if (it != request.body.end() && !it->is_null()) {
      if (!it->is_number_integer()) return Status::InvalidArgument("expected a number", "version");
      return std::optional<int64_t>(it->get<int64_t>());
    }
  }
  if (request.if_match.empty()) return std::optional<int64_t>();
  std::string_view tag = request.if_match;
  if (tag.rfind("W/", 0) == 0) tag.remove_prefix(2);
  if (tag.size() >= 2 && tag.front() == '"' && tag.back() == '"')
    tag = tag.substr(1, tag.size() - 2);
  std::optional<int64_t> version = ParseInt(tag);
  if (!version) {
    return Status::InvalidArgument("expected the row's version as the ETag sends it", "If-Match");
  }
  return version;
}

TempFile::TempFile(const std::string& suffix) {
  std::string pattern = "/tmp/tenure-api-XXXXXX" + suffix;
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  int fd = mkstemps(name.data(), static_cast<int>(suffix.size()));
  if (fd >= 0) {
    close(fd);
    path_ = name.data();
  }
}

TempFile::~TempFile() {
  if (path_.empty()) return;
  std::remove(path_.c_str());
  std::remove(engine::DefaultRejectsPath(path_).c_str());
}

Result<Reply> DownloadReply(const std::string& path, const std::string& format,
                            const std::string& filename) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot read " + path);
  std::ostringstream content;
  content << in.rdbuf();
  Reply reply;
  reply.raw = content.str();
  reply.content_type = format == "csv" ? kCsvType : kXlsxType;
  reply.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  return reply;
}

}  // namespace tenure::api
