// Status and Result<T>: the error values every layer returns for failures a
// user can cause (bad input, missing rows, conflicts). Shaped after
// leveldb::Status; Result<T> is shaped like std::expected<T, Status>.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace tenure {

class [[nodiscard]] Status {
 public:
  // The code says what kind of failure this is; callers at the edges (CLI
  // exit codes, HTTP status codes) map codes, never messages.
  enum class Code {
    kOk = 0,
    kInvalidArgument,  // the input is malformed; field() names what
    kNotFound,
    kAlreadyExists,
    kConflict,    // stale update or constraint violation
    kIoError,     // file or disk problem
    kCorruption,  // the database is not what we expect (e.g. newer schema)
    kInternal,
    kUnauthenticated,    // no valid credentials or session
    kPermissionDenied,   // authenticated, but the role or scope does not allow it
    kResourceExhausted,  // a limit was reached (too many login attempts, a body too large)
    kUnavailable,        // try again later: the database is busy with another write, or its
                         // disk is full; nothing was written
  };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string message, std::string field = {}) {
    return Status(Code::kInvalidArgument, std::move(message), std::move(field));
  }
  static Status NotFound(std::string message, std::string field = {}) {
    return Status(Code::kNotFound, std::move(message), std::move(field));
  }
  static Status AlreadyExists(std::string message, std::string field = {}) {
    return Status(Code::kAlreadyExists, std::move(message), std::move(field));
  }
  static Status Conflict(std::string message) {
    return Status(Code::kConflict, std::move(message));
  }
  static Status IoError(std::string message) { return Status(Code::kIoError, std::move(message)); }
  static Status Corruption(std::string message) {
    return Status(Code::kCorruption, std::move(message));
  }
  static Status Internal(std::string message) {
    return Status(Code::kInternal, std::move(message));
  }
  static Status Unauthenticated(std::string message) {
    return Status(Code::kUnauthenticated, std::move(message));
  }
  static Status PermissionDenied(std::string message, std::string field = {}) {
    return Status(Code::kPermissionDenied, std::move(message), std::move(field));
  }
  static Status ResourceExhausted(std::string message, std::string field = {}) {
    return Status(Code::kResourceExhausted, std::move(message), std::move(field));
  }

  static Status Unavailable(std::string message) {
    return Status(Code::kUnavailable, std::move(message));
  }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // The field, column or parameter the error is about; empty when none.
  const std::string& field() const { return field_; }

  // "message" or, when a field is set, "field: message".
  std::string ToString() const;

  // Returns a copy whose message is prefixed with `context: `.
  Status WithContext(std::string_view context) const;

 private:
  Status(Code code, std::string message, std::string field = {})
      : code_(code), message_(std::move(message)), field_(std::move(field)) {}

  Code code_ = Code::kOk;
  std::string message_;
  std::string field_;
};

// Either a value or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : data_(std::move(status)) {}  // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(data_); }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok()
  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // The error; Status::Ok() when a value is held.
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(data_); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace tenure

// Returns early from the enclosing function when `expr` (a Status) is not OK.
#define TENURE_RETURN_IF_ERROR(expr)                 \
  do {                                               \
    ::tenure::Status _tenure_status = (expr);        \
    if (!_tenure_status.ok()) return _tenure_status; \
  } while (0)
