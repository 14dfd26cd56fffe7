// Users who can log in, their passwords and their sessions: the engine behind
// `tenure user` and the server's login, logout and authentication.
//
// Passwords are hashed with argon2id (libsodium's crypto_pwhash_str, its
// "interactive" limits); the hash string carries its own salt and parameters.
// A session is a random 256-bit token (libsodium randombytes) handed to the
// client once; the database keeps only its BLAKE2b hash, so a copy of the
// database does not give anyone a live session. Sessions live in the database
// (table `sessions`), so several `tenure serve` processes share them.
//
// Thread safety: as store::Database (one connection per thread); the functions
// keep no state of their own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "domain/enums.h"
#include "store/database.h"

namespace tenure::engine {

// Shortest password accepted.
inline constexpr size_t kMinPasswordLength = 8;

struct UserAccount {
  int64_t id = 0;
  std::string username;
  std::string full_name;  // empty when none
  std::string email;      // empty when none
  domain::UserRole role = domain::UserRole::kSales;
  std::string team;  // team name, empty when none
  bool active = true;
  bool has_password = false;  // false: the user cannot log in
};

struct NewUser {
  std::string username;  // required, unique
  std::string full_name;
  std::string email;
  domain::UserRole role = domain::UserRole::kSales;
  std::string team;      // a team's name; empty: none. A manager needs one.
  std::string password;  // empty: the user cannot log in until one is set
};

// Adds a user (audited). Errors: kInvalidArgument (field "username",
// "password", "team" or "role") for an empty username, a password shorter than
// kMinPasswordLength, an unknown team, a manager without a team;
// kAlreadyExists (field "username") for a taken username.
Result<UserAccount> AddUser(store::Database& db, const NewUser& user);

// Sets the password of `username`, ends every session of theirs and forgets
// their failed logins, so a locked-out user can log in at once (audited,
// without the hash). Errors: kNotFound (field "username"); kInvalidArgument
// (field "password") for a short password.
Status SetPassword(store::Database& db, std::string_view username, std::string_view password);

// Marks the user inactive and ends their sessions (audited). An inactive user
// cannot log in; their customers stay theirs until a handover.
// Errors: kNotFound (field "username").
Status DisableUser(store::Database& db, std::string_view username);

// Every user, by username.
Result<std::vector<UserAccount>> ListUsers(store::Database& db);

// Whether `password` is long enough. Errors: kInvalidArgument (field
// "password") for one shorter than kMinPasswordLength characters.
Status CheckPassword(std::string_view password);

// argon2id hash of `password` in libsodium's string form ("$argon2id$v=19$...").
// Errors: kInternal when libsodium cannot allocate the memory it needs.
Result<std::string> HashPassword(std::string_view password);
// Whether `password` matches `hash` (false for an empty or malformed hash).
bool VerifyPassword(std::string_view hash, std::string_view password);

struct SessionOptions {
  // A session ends this long after login. Default: 12 hours.
  int64_t lifetime_seconds = 12 * 3600;
  // Failed logins allowed per username within `failure_window_seconds`; the
  // next attempt is refused (kResourceExhausted) until the window has passed,
  // even with the right password. Default: 5 in 15 minutes.
  int max_failed_logins = 5;
  int64_t failure_window_seconds = 15 * 60;
};

// A logged-in user, as the server needs it for every request.
struct Session {
  std::string token;  // only set by Login; FindSession leaves it empty
  int64_t user_id = 0;
  std::string username;
  domain::UserRole role = domain::UserRole::kSales;
  std::optional<int64_t> team_id;  // the user's team, read with the session
  std::string team;                // its name, empty when none
  Timestamp expires_at = 0;
};

// Checks the password and opens a session. `client` (the peer address) is
// recorded with failed attempts. Errors: kUnauthenticated ("wrong username or
// password", the same for an unknown user, a wrong password, an inactive user
// or one without a password); kResourceExhausted (field "username") after too
// many failed attempts. Failed attempts and logins are written to the
// database; a login is audited.
Result<Session> Login(store::Database& db, std::string_view username, std::string_view password,
                      std::string_view client, Timestamp now, const SessionOptions& options = {});

// The session whose token is `token`, when it exists, has not expired and its
// user is still active; nullopt otherwise.
Result<std::optional<Session>> FindSession(store::Database& db, std::string_view token,
                                           Timestamp now);

// Ends the session of `token` (nothing happens for an unknown token).
Status Logout(store::Database& db, std::string_view token);

// The anti-forgery token of the session `token` (hex): a keyed BLAKE2b hash
// of it, so it needs no storage, names one session, and does not give the
// session token away. A browser, whose session token is in an HttpOnly
// cookie, sends it with each write; another site cannot read it.
std::string CsrfToken(std::string_view token);
// Whether `sent` is the anti-forgery token of `token` (compared in constant
// time).
bool CsrfTokenMatches(std::string_view token, std::string_view sent);

}  // namespace tenure::engine
