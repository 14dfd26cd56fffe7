#include "engine/accounts.h"

#include <sodium.h>

#include <array>
#include <iterator>
#include <nlohmann/json.hpp>

#include "common/text.h"
#include "engine/field_codec.h"
#include "store/account_queries.h"
#include "store/care_queries.h"
#include "store/entity_table.h"
#include "store/workbench_queries.h"

namespace tenure::engine {
namespace {

constexpr std::string_view kWrongCredentials = "wrong username or password";

// Random bytes in a session token, and in its stored BLAKE2b hash.
constexpr size_t kTokenBytes = 32;
constexpr size_t kTokenHashBytes = 32;

// sodium_init() once per process; libsodium makes later calls cheap no-ops,
// the static makes them none at all. Thread-safe (a function-local static).
bool SodiumReady() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

// Passwords are counted in characters (UTF-8 code points), not bytes, so
// that "at least 8" means the same in every script.
size_t CharacterCount(std::string_view text) {
  size_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

std::string Hex(const unsigned char* bytes, size_t size) {
  std::string hex(size * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes, size);
  hex.pop_back();  // the terminator sodium_bin2hex writes
  return hex;
}

// The BLAKE2b hash (hex) under which the session of `token` is stored;
// nullopt when `token` is not the hex of kTokenBytes bytes (no session has it).
std::optional<std::string> TokenHash(std::string_view token) {
  if (token.size() != kTokenBytes * 2) return std::nullopt;
  std::array<unsigned char, kTokenBytes> bytes{};
  size_t size = 0;
  const char* end = nullptr;
  if (sodium_hex2bin(bytes.data(), bytes.size(), token.data(), token.size(), nullptr, &size,
                     &end) != 0 ||
      size != kTokenBytes || end != token.data() + token.size()) {
    return std::nullopt;
  }
  std::array<unsigned char, kTokenHashBytes> hash{};
  crypto_generichash(hash.data(), hash.size(), bytes.data(), bytes.size(), nullptr, 0);
  sodium_memzero(bytes.data(), bytes.size());
  return Hex(hash.data(), hash.size());
}

}  // namespace

Status CheckPassword(std::string_view password) {
  if (CharacterCount(password) < kMinPasswordLength) {
    return Status::InvalidArgument(
        "must be at least " + std::to_string(kMinPasswordLength) + " characters", "password");
  }
  return Status::Ok();
}

std::string CsrfToken(std::string_view token) {
  static constexpr std::string_view kKey = "tenure anti-forgery token, v1";
  std::array<unsigned char, 16> hash{};
  crypto_generichash(hash.data(), hash.size(), reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), reinterpret_cast<const unsigned char*>(kKey.data()),
                     kKey.size());
  return Hex(hash.data(), hash.size());
}

bool CsrfTokenMatches(std::string_view token, std::string_view sent) {
  const std::string expected = CsrfToken(token);
  return sent.size() == expected.size() &&
         sodium_memcmp(expected.data(), sent.data(), expected.size()) == 0;
}

namespace {

// A hash of a password nobody has, verified against when the user is unknown
// or has no password, so that a login takes as long whether the username
// exists or not (no guessing usernames from response times). Empty when
// libsodium could not hash it.
const std::string& DummyHash() {
  static const std::string hash = [] {
    auto hashed = HashPassword("no user has this password");
    return hashed.ok() ? *hashed : std::string();
  }();
  return hash;
}

UserAccount AccountOf(const store::AccountRow& row) {
  UserAccount a;
  a.id = row.id;
  a.username = row.username;
  a.full_name = row.full_name;
  a.email = row.email;
  a.role = static_cast<domain::UserRole>(row.role);
  a.team = row.team;
  a.active = row.active;
  a.has_password = !row.password_hash.empty();
  return a;
}

// The audited image of a user: never the password hash, only whether there
// is one.
std::string UserJson(const UserAccount& a) {
  nlohmann::json j = {{"id", a.id},
                      {"username", a.username},
                      {"role", domain::NameOf(domain::kUserRoleNames, a.role)},
                      {"active", a.active},
                      {"has_password", a.has_password}};
  j["full_name"] = a.full_name.empty() ? nlohmann::json() : nlohmann::json(a.full_name);
  j["email"] = a.email.empty() ? nlohmann::json() : nlohmann::json(a.email);
  j["team"] = a.team.empty() ? nlohmann::json() : nlohmann::json(a.team);
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<store::AccountRow> FindExisting(store::Database& db, std::string_view username) {
  if (Trim(username).empty()) return Status::InvalidArgument("is required", "username");
  auto found = store::FindAccount(db, Trim(username));
  if (!found.ok()) return found.status();
  if (!*found) {
    return Status::NotFound("no user '" + std::string(Trim(username)) + "'", "username");
  }
  return std::move(**found);
}

// Records a failed login and drops the failures that no window counts any
// more, in one transaction.
Status RecordFailure(store::Database& db, std::string_view username, std::string_view client,
                     Timestamp now, const SessionOptions& options) {
  store::Transaction txn(db);
  TENURE_RETURN_IF_ERROR(txn.status());
  TENURE_RETURN_IF_ERROR(store::DeleteLoginFailuresUntil(db, now - options.failure_window_seconds));
  TENURE_RETURN_IF_ERROR(store::InsertLoginFailure(db, username, client, now));
  return txn.Commit();
}

}  // namespace

Result<std::string> HashPassword(std::string_view password) {
  if (!SodiumReady()) return Status::Internal("libsodium could not be initialised");
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status::Internal("not enough memory to hash a password (argon2id needs " +
                            std::to_string(crypto_pwhash_MEMLIMIT_INTERACTIVE >> 20) + " MiB)");
  }
  return std::string(out.data());
}

bool VerifyPassword(std::string_view hash, std::string_view password) {
  // libsodium reads the hash as a C string no longer than crypto_pwhash_STRBYTES.
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES || !SodiumReady()) return false;
  std::string terminated(hash);
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

Result<UserAccount> AddUser(store::Database& db, const NewUser& user) {
  std::string username(Trim(user.username));
  if (username.empty()) return Status::InvalidArgument("is required", "username");
  TENURE_RETURN_IF_ERROR(CheckTextField(username, false, "username"));
  TENURE_RETURN_IF_ERROR(CheckTextField(Trim(user.full_name), false, "full_name"));
  int role = static_cast<int>(user.role);
  if (role < 0 || role >= static_cast<int>(std::size(domain::kUserRoleNames))) {
    return Status::InvalidArgument("unknown role code " + std::to_string(role), "role");
  }
  std::string team(Trim(user.team));
  if (user.role == domain::UserRole::kManager && team.empty()) {
    return Status::InvalidArgument("a manager needs a team", "team");
  }
  store::AccountRow row;
  row.username = username;
  row.full_name = std::string(Trim(user.full_name));
  row.email = std::string(Trim(user.email));
  row.role = role;
  if (!user.password.empty()) {
    TENURE_RETURN_IF_ERROR(CheckPassword(user.password));
    // Hashed before the transaction: argon2id takes a noticeable fraction of
    // a second, and the write lock should not wait for it.
    auto hash = HashPassword(user.password);
    if (!hash.ok()) return hash.status();
    row.password_hash = std::move(*hash);
  }

  store::Transaction txn(db);
  TENURE_RETURN_IF_ERROR(txn.status());
  auto existing = store::FindAccount(db, username);
  if (!existing.ok()) return existing.status();
  if (*existing) {
    return Status::AlreadyExists("user '" + username + "' exists already", "username");
  }
  if (!team.empty()) {
    auto team_id = store::FindTeamId(db, team);
    if (!team_id.ok()) return team_id.status();
    if (!*team_id) return Status::InvalidArgument("unknown team '" + team + "'", "team");
    row.team_id = **team_id;
  }
  auto id = store::InsertAccount(db, row, NowUtc());
  if (!id.ok()) return id.status();
  auto stored = store::FindAccount(db, username);
  if (!stored.ok()) return stored.status();
  if (!*stored) return Status::Internal("user '" + username + "' vanished");
  UserAccount account = AccountOf(**stored);
  TENURE_RETURN_IF_ERROR(
      store::AppendAuditChange(db, "insert", "users", account.id, "", UserJson(account)));
  TENURE_RETURN_IF_ERROR(txn.Commit());
  return account;
}

Status SetPassword(store::Database& db, std::string_view username, std::string_view password) {
  if (Trim(username).empty()) return Status::InvalidArgument("is required", "username");
  TENURE_RETURN_IF_ERROR(CheckPassword(password));
  auto hash = HashPassword(password);
  if (!hash.ok()) return hash.status();

  store::Transaction txn(db);
  TENURE_RETURN_IF_ERROR(txn.status());
  auto found = FindExisting(db, username);
  if (!found.ok()) return found.status();
  UserAccount before = AccountOf(*found);
  TENURE_RETURN_IF_ERROR(store::UpdatePasswordHash(db, before.id, *hash, NowUtc()));
  auto ended = store::DeleteUserSessions(db, before.id);
  if (!ended.ok()) return ended.status();
  // A new password is how an administrator lets a locked-out user back in.
  TENURE_RETURN_IF_ERROR(store::ClearLoginFailures(db, before.username));
  UserAccount after = before;
  after.has_password = true;
  TENURE_RETURN_IF_ERROR(store::AppendAuditChange(db, "passwd", "users", before.id,
                                                  UserJson(before), UserJson(after)));
  return txn.Commit();
}

Status DisableUser(store::Database& db, std::string_view username) {
  store::Transaction txn(db);
  TENURE_RETURN_IF_ERROR(txn.status());
  auto found = FindExisting(db, username);
  if (!found.ok()) return found.status();
  UserAccount before = AccountOf(*found);
  auto changed = store::SetAccountActive(db, before.id, false, NowUtc());
  if (!changed.ok()) return changed.status();
  // An inactive user has no live session already (FindSession checks); ending
  // them anyway clears what an older tenure may have left.
  auto ended = store::DeleteUserSessions(db, before.id);
  if (!ended.ok()) return ended.status();
  if (*changed) {
    UserAccount after = before;
    after.active = false;
    TENURE_RETURN_IF_ERROR(store::AppendAuditChange(db, "disable", "users", before.id,
                                                    UserJson(before), UserJson(after)));
  }
  return txn.Commit();
}

Result<std::vector<UserAccount>> ListUsers(store::Database& db) {
  auto rows = store::LoadAccounts(db);
  if (!rows.ok()) return rows.status();
  std::vector<UserAccount> users;
  users.reserve(rows->size());
  for (const store::AccountRow& row : *rows) users.push_back(AccountOf(row));
  return users;
}

Result<Session> Login(store::Database& db, std::string_view username_in, std::string_view password,
                      std::string_view client, Timestamp now, const SessionOptions& options) {
  std::string username(Trim(username_in));
  if (username.empty()) return Status::Unauthenticated(std::string(kWrongCredentials));
  if (!SodiumReady()) return Status::Internal("libsodium could not be initialised");

  // The limit is checked before the password, and a refused attempt is not
  // recorded: it tells nothing about the password, and recording it would
  // let someone keep the user locked out for as long as they keep trying.
  // A limit of 0 or less turns the limit off.
  if (options.max_failed_logins > 0) {
    auto failures = store::CountLoginFailures(db, username, now - options.failure_window_seconds);
    if (!failures.ok()) return failures.status();
    if (*failures >= options.max_failed_logins) {
      return Status::ResourceExhausted(
          "too many failed logins; try again within " +
              std::to_string((options.failure_window_seconds + 59) / 60) + " minutes",
          "username");
    }
  }

  // The password is checked outside any transaction, so that argon2id's
  // fraction of a second does not hold the write lock.
  auto found = store::FindAccount(db, username);
  if (!found.ok()) return found.status();
  bool can_log_in = *found && (*found)->active && !(*found)->password_hash.empty();
  bool verified = false;
  if (can_log_in) {
    verified = VerifyPassword((*found)->password_hash, password);
  } else {
    (void)VerifyPassword(DummyHash(), password);  // as long as a real check
  }
  if (!verified) {
    TENURE_RETURN_IF_ERROR(RecordFailure(db, username, client, now, options));
    return Status::Unauthenticated(std::string(kWrongCredentials));
  }
  const store::AccountRow& account = **found;

  std::array<unsigned char, kTokenBytes> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  Session session;
  session.token = Hex(bytes.data(), bytes.size());
  sodium_memzero(bytes.data(), bytes.size());
  session.user_id = account.id;
  session.username = account.username;
  session.role = static_cast<domain::UserRole>(account.role);
  session.expires_at = now + options.lifetime_seconds;
  std::optional<std::string> token_hash = TokenHash(session.token);
  if (!token_hash) return Status::Internal("a fresh session token does not read as hex");

  store::Transaction txn(db);
  TENURE_RETURN_IF_ERROR(txn.status());
  // The user may have been disabled or given a new password while the
  // password was being checked; the session then is not opened.
  auto current = store::FindAccount(db, username);
  if (!current.ok()) return current.status();
  if (!*current || (*current)->id != account.id || !(*current)->active ||
      (*current)->password_hash != account.password_hash) {
    return Status::Unauthenticated(std::string(kWrongCredentials));
  }
  TENURE_RETURN_IF_ERROR(store::ClearLoginFailures(db, username));
  TENURE_RETURN_IF_ERROR(store::DeleteExpiredSessions(db, account.id, now));
  TENURE_RETURN_IF_ERROR(
      store::InsertSession(db, *token_hash, account.id, now, session.expires_at));
  nlohmann::json audit = {{"username", account.username},
                          {"expires_at", FormatTimestamp(session.expires_at)}};
  audit["client"] = client.empty() ? nlohmann::json() : nlohmann::json(std::string(client));
  TENURE_RETURN_IF_ERROR(
      store::AppendAudit(db, "login", "users", account.id,
                         audit.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
  TENURE_RETURN_IF_ERROR(txn.Commit());
  return session;
}

Result<std::optional<Session>> FindSession(store::Database& db, std::string_view token,
                                           Timestamp now) {
  if (!SodiumReady()) return Status::Internal("libsodium could not be initialised");
  std::optional<std::string> token_hash = TokenHash(token);
  if (!token_hash) return std::optional<Session>();
  auto row = store::FindLiveSession(db, *token_hash, now);
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<Session>();
  Session session;
  session.user_id = (*row)->user_id;
  session.username = std::move((*row)->username);
  session.role = static_cast<domain::UserRole>((*row)->role);
  session.team_id = (*row)->team_id;
  session.team = std::move((*row)->team);
  session.expires_at = (*row)->expires_at;
  return std::optional<Session>(std::move(session));
}

Status Logout(store::Database& db, std::string_view token) {
  if (!SodiumReady()) return Status::Internal("libsodium could not be initialised");
  std::optional<std::string> token_hash = TokenHash(token);
  if (!token_hash) return Status::Ok();
  store::Transaction txn(db);
  TENURE_RETURN_IF_ERROR(txn.status());
  auto user_id = store::DeleteSession(db, *token_hash);
  if (!user_id.ok()) return user_id.status();
  if (!*user_id) return Status::Ok();
  TENURE_RETURN_IF_ERROR(store::AppendAudit(db, "logout", "users", **user_id, "{}"));
  return txn.Commit();
}

}  // namespace tenure::engine
