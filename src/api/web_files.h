// The web app's files (web/, built by Vite) as `tenure serve` hands them out
// at `/`: read once at start into memory, so a request never touches the
// file system and no path a client sends can name a file outside the folder.
//
//  * `/assets/...` are Vite's content-hashed files: cached for a year,
//    immutable. Everything else (index.html, the icon) must be asked for
//    again (no-cache) and answers 304 to a matching If-None-Match.
//  * A path that names no file is a route of the app: it gets index.html,
//    except below /assets/, where it is 404.
//  * A file with a gzip sibling (`app.js.gz`, made by the build) is sent
//    compressed to a browser that accepts gzip.
//
// Thread safety: Find may be called from any thread once Load has returned.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/status.h"

namespace tenure::api {

struct WebFile {
  std::string content;
  std::string gzipped;  // empty when there is no .gz sibling
  std::string content_type;
  std::string etag;  // quoted, from a hash of the content
  bool immutable = false;
};

class WebFiles {
 public:
  // Reads every file below `dir`. Errors: kNotFound naming `dir` when it has
  // no index.html; kIoError naming a file that cannot be read.
  static Result<WebFiles> Load(const std::string& dir);

  // The file to answer `path` (the request's decoded path) with: the file of
  // that name, index.html for an app route, nullptr when neither.
  const WebFile* Find(std::string_view path) const;

  size_t size() const { return files_.size(); }

 private:
  std::map<std::string, WebFile, std::less<>> files_;  // by "/relative/path"
};

}  // namespace tenure::api
