// The SQL behind users who log in, their sessions and their failed logins
// (engine/accounts.h has the rules; schema 007 the tables). Hashing and
// tokens are the engine's business: this file stores and finds the strings
// it is given.
//
// Functions that write say "REQUIRES: a transaction is open"; the engine
// opens it, so that each use case is one transaction.
// Thread safety: as Database (one thread at a time).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "store/database.h"

namespace tenure::store {

// ------------------------------------------------------------------- users

// A user row as login and user administration need it.
struct AccountRow {
  int64_t id = 0;
  std::string username;
  std::string full_name;  // empty when NULL
  std::string email;      // empty when NULL
  int role = 2;           // domain::UserRole
  std::optional<int64_t> team_id;
  std::string team;  // the team's name; empty when none
  bool active = true;
  std::string password_hash;  // empty when NULL: the user cannot log in
};

// The user whose username is exactly `username`; nullopt when none.
Result<std::optional<AccountRow>> FindAccount(Database& db, std::string_view username);
// Every user, by username.
Result<std::vector<AccountRow>> LoadAccounts(Database& db);

// Inserts an active user from row's username, full_name, email, role,
// team_id and password_hash (empty texts are stored as NULL; id, team and
// active are ignored) with created_at = updated_at = `now`, and returns its
// id. Errors: kConflict on a constraint violation (a taken username).
// REQUIRES: a transaction is open.
Result<int64_t> InsertAccount(Database& db, const AccountRow& row, Timestamp now);

// Sets password_hash of user `user_id`, bumping version and updated_at.
// Errors: kNotFound when there is no such user. REQUIRES: a transaction.
Status UpdatePasswordHash(Database& db, int64_t user_id, std::string_view hash, Timestamp now);

// Sets users.active, bumping version and updated_at when it changes. Returns
// whether it changed. REQUIRES: a transaction is open.
Result<bool> SetAccountActive(Database& db, int64_t user_id, bool active, Timestamp now);

// ---------------------------------------------------------------- sessions

// A live session with its user.
struct SessionRow {
  int64_t user_id = 0;
  std::string username;
  int role = 2;  // domain::UserRole
  std::optional<int64_t> team_id;
  std::string team;  // the team's name, empty when none
  Timestamp expires_at = 0;
};

// Inserts a session. Errors: kConflict when `token_hash` is taken (a 256-bit
// random token never is). REQUIRES: a transaction is open.
Status InsertSession(Database& db, std::string_view token_hash, int64_t user_id,
                     Timestamp created_at, Timestamp expires_at);

// The session whose token hash is `token_hash` when it has not expired at
// `now` (expires_at > now) and its user is active; nullopt otherwise.
Result<std::optional<SessionRow>> FindLiveSession(Database& db, std::string_view token_hash,
                                                  Timestamp now);

// Deletes the session whose token hash is `token_hash` and returns its
// user's id; nullopt when there was none. REQUIRES: a transaction is open.
Result<std::optional<int64_t>> DeleteSession(Database& db, std::string_view token_hash);

// Deletes every session of user `user_id` and returns how many there were.
// REQUIRES: a transaction is open.
Result<int64_t> DeleteUserSessions(Database& db, int64_t user_id);

// Deletes the sessions of user `user_id` that have expired at `now`.
// REQUIRES: a transaction is open.
Status DeleteExpiredSessions(Database& db, int64_t user_id, Timestamp now);

// ---------------------------------------------------------- login failures

// Records a failed login for `username` (as typed) from `client` (empty:
// NULL) at `at`. REQUIRES: a transaction is open.
Status InsertLoginFailure(Database& db, std::string_view username, std::string_view client,
                          Timestamp at);

// The failed logins for `username` after `since` (at > since).
Result<int64_t> CountLoginFailures(Database& db, std::string_view username, Timestamp since);

// Deletes every failed login of `username`. REQUIRES: a transaction is open.
Status ClearLoginFailures(Database& db, std::string_view username);

// Deletes the failed logins of every username at or before `until`.
// REQUIRES: a transaction is open.
Status DeleteLoginFailuresUntil(Database& db, Timestamp until);

}  // namespace tenure::store
