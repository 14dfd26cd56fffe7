#include "store/account_queries.h"

namespace tenure::store {
namespace {

std::string TextOrEmpty(const Statement& s, int column) {
  return s.IsNull(column) ? std::string() : std::string(s.Text(column));
}

constexpr std::string_view kAccountColumns =
    "SELECT u.id, u.username, u.full_name, u.email, u.role, u.team_id, t.name, u.active,"
    " u.password_hash FROM users u LEFT JOIN teams t ON t.id = u.team_id";

AccountRow ReadAccount(const Statement& s) {
  AccountRow r;
  r.id = s.Int(0);
  r.username = TextOrEmpty(s, 1);
  r.full_name = TextOrEmpty(s, 2);
  r.email = TextOrEmpty(s, 3);
  r.role = static_cast<int>(s.Int(4));
  r.team_id = OptionalInt(s, 5);
  r.team = TextOrEmpty(s, 6);
  r.active = s.Int(7) != 0;
  r.password_hash = TextOrEmpty(s, 8);
  return r;
}

}  // namespace

Result<std::optional<AccountRow>> FindAccount(Database& db, std::string_view username) {
  auto stmt = db.Prepare(std::string(kAccountColumns) + " WHERE u.username = ?1");
  if (!stmt.ok()) return stmt.status();
  (*stmt)->BindText(1, username);
  Result<bool> row = (*stmt)->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<AccountRow>();
  return std::optional<AccountRow>(ReadAccount(**stmt));
}

Result<std::vector<AccountRow>> LoadAccounts(Database& db) {
  auto stmt = db.Prepare(std::string(kAccountColumns) + " ORDER BY u.username");
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  std::vector<AccountRow> out;
  Result<bool> row = s.Step();
  for (; row.ok() && *row; row = s.Step()) out.push_back(ReadAccount(s));
  if (!row.ok()) return row.status();
  return out;
}

Result<int64_t> InsertAccount(Database& db, const AccountRow& row, Timestamp now) {
  auto stmt = db.Prepare(
      "INSERT INTO users (username, full_name, email, role, team_id, active, password_hash,"
      " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?7, ?7) RETURNING id");
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  s.BindText(1, row.username);
  BindTextOrNull(s, 2, row.full_name);
  BindTextOrNull(s, 3, row.email);
  s.BindInt(4, row.role);
  BindOptionalInt(s, 5, row.team_id);
  BindTextOrNull(s, 6, row.password_hash);
  s.BindInt(7, now);
  Result<bool> stepped = s.Step();
  if (!stepped.ok()) return stepped.status();
  if (!*stepped) return Status::Internal("INSERT ... RETURNING gave no row");
  int64_t id = s.Int(0);
  s.Reset();
  return id;
}

Status UpdatePasswordHash(Database& db, int64_t user_id, std::string_view hash, Timestamp now) {
  auto stmt = db.Prepare(
      "UPDATE users SET password_hash = ?1, updated_at = ?2, version = version + 1"
      " WHERE id = ?3");
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  BindTextOrNull(s, 1, hash);
  s.BindInt(2, now);
  s.BindInt(3, user_id);
  TENURE_RETURN_IF_ERROR(s.Run());
  if (db.ChangedRows() != 1) {
    return Status::NotFound("no user with id " + std::to_string(user_id));
  }
  return Status::Ok();
}

Result<bool> SetAccountActive(Database& db, int64_t user_id, bool active, Timestamp now) {
  auto stmt = db.Prepare(
      "UPDATE users SET active = ?1, updated_at = ?2, version = version + 1"
      " WHERE id = ?3 AND active <> ?1");
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  s.BindInt(1, active ? 1 : 0);
  s.BindInt(2, now);
  s.BindInt(3, user_id);
  TENURE_RETURN_IF_ERROR(s.Run());
  return db.ChangedRows() == 1;
}

Status InsertSession(Database& db, std::string_view token_hash, int64_t user_id,
                     Timestamp created_at, Timestamp expires_at) {
  auto stmt = db.Prepare(
      "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)");
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  s.BindText(1, token_hash);
  s.BindInt(2, user_id);
  s.BindInt(3, created_at);
  s.BindInt(4, expires_at);
  return s.Run();
}

Result<std::optional<SessionRow>> FindLiveSession(Database& db, std::string_view token_hash,
                                                  Timestamp now) {
  auto stmt = db.Prepare(
      "SELECT s.user_id, u.username, u.role, s.expires_at, u.team_id, coalesce(t.name, '')"
      " FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN teams t ON t.id = u.team_id"
      " WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND u.active = 1");
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  s.BindText(1, token_hash);
  s.BindInt(2, now);
  Result<bool> row = s.Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<SessionRow>();
  SessionRow session;
  session.user_id = s.Int(0);
  session.username = TextOrEmpty(s, 1);
  session.role = static_cast<int>(s.Int(2));
  session.expires_at = s.Int(3);
  if (!s.IsNull(4)) session.team_id = s.Int(4);
  session.team = TextOrEmpty(s, 5);
  return std::optional<SessionRow>(std::move(session));
}

Result<std::optional<int64_t>> DeleteSession(Database& db, std::string_view token_hash) {
  auto stmt = db.Prepare("DELETE FROM sessions WHERE token_hash = ?1 RETURNING user_id");
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  s.BindText(1, token_hash);
  Result<bool> row = s.Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<int64_t>();
  int64_t user_id = s.Int(0);
  s.Reset();  // finishes the DELETE
  return std::optional<int64_t>(user_id);
}

Result<int64_t> DeleteUserSessions(Database& db, int64_t user_id) {
  auto stmt = db.Prepare("DELETE FROM sessions WHERE user_id = ?1");
  if (!stmt.ok()) return stmt.status();
  (*stmt)->BindInt(1, user_id);
  TENURE_RETURN_IF_ERROR((*stmt)->Run());
  return db.ChangedRows();
}

Status DeleteExpiredSessions(Database& db, int64_t user_id, Timestamp now) {
  auto stmt = db.Prepare("DELETE FROM sessions WHERE user_id = ?1 AND expires_at <= ?2");
  if (!stmt.ok()) return stmt.status();
  (*stmt)->BindInt(1, user_id);
  (*stmt)->BindInt(2, now);
  return (*stmt)->Run();
}

Status InsertLoginFailure(Database& db, std::string_view username, std::string_view client,
                          Timestamp at) {
  auto stmt = db.Prepare("INSERT INTO login_failures (username, at, client) VALUES (?1, ?2, ?3)");
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  s.BindText(1, username);
  s.BindInt(2, at);
  BindTextOrNull(s, 3, client);
  return s.Run();
}

Result<int64_t> CountLoginFailures(Database& db, std::string_view username, Timestamp since) {
  auto stmt = db.Prepare("SELECT count(*) FROM login_failures WHERE username = ?1 AND at > ?2");
  if (!stmt.ok()) return stmt.status();
  Statement& s = **stmt;
  s.BindText(1, username);
  s.BindInt(2, since);
  Result<bool> row = s.Step();
  if (!row.ok()) return row.status();
  return *row ? s.Int(0) : 0;
}

Status ClearLoginFailures(Database& db, std::string_view username) {
  auto stmt = db.Prepare("DELETE FROM login_failures WHERE username = ?1");
  if (!stmt.ok()) return stmt.status();
  (*stmt)->BindText(1, username);
  return (*stmt)->Run();
}

Status DeleteLoginFailuresUntil(Database& db, Timestamp until) {
  auto stmt = db.Prepare("DELETE FROM login_failures WHERE at <= ?1");
  if (!stmt.ok()) return stmt.status();
  (*stmt)->BindInt(1, until);
  return (*stmt)->Run();
}

}  // namespace tenure::store
