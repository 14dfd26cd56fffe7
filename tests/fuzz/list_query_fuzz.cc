// The list filters, sort and paging parameters of every GET route: the
// first byte picks the route, the second the caller, the third the path's id
// or name; the rest is the query string. Property: no answer is a 500 or
// text that is not UTF-8.
#include <cstddef>
#include <cstdint>

#include "fuzz_server.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tenure;
  fuzz::FuzzServer& s = fuzz::Server();
  if (size < 3) return 0;
  std::vector<const api::Route*> reads;
  for (const api::Route& route : s.routes) {
    if (route.method == "GET") reads.push_back(&route);
  }
  const api::Route& route = *reads[data[0] % reads.size()];
  api::HttpRequest request;
  request.method = "GET";
  request.path = fuzz::FillPath(route.path, data[2]);
  request.query.assign(reinterpret_cast<const char*>(data) + 3, size - 3);
  const std::string& token = s.tokens[data[1] % s.tokens.size()];
  if (!token.empty()) request.headers.emplace_back("authorization", "Bearer " + token);
  request.peer = "127.0.0.1";
  fuzz::CheckAnswer(s.server->Answer(request));
  return 0;
}
