// The OpenAPI 3.0.3 document of the JSON API (docs/api.md), as
// /api/v1/openapi.json serves it and `tenure openapi` prints it: built from
// the server's own route table, no database needed.
#pragma once

#include <string>

#include "common/status.h"

namespace tenure::api {

// The document as JSON text, `indent` spaces per level. Errors: kInternal
// naming a route the document cannot describe (routes.h, OpenApiDocument).
Result<std::string> OpenApiText(int indent = 2);

}  // namespace tenure::api
