#include "common/status.h"

namespace tenure {

std::string Status::ToString() const {
  if (ok()) return "OK";
  if (field_.empty()) return message_;
  return field_ + ": " + message_;
}

Status Status::WithContext(std::string_view context) const {
  if (ok()) return *this;
  Status copy = *this;
  copy.message_ = std::string(context) + ": " + message_;
  return copy;
}

}  // namespace tenure
