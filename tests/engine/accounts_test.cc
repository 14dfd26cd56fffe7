// Users, passwords and sessions: argon2id hashes that verify, the refusals of
// AddUser, logins that fail alike whatever the reason, the failed-login
// limit and its window, session expiry, logout, a new password or a disabled
// user ending sessions, a database that holds no token in clear, and an audit
// log without hashes.
#include "engine/accounts.h"

#include <gtest/gtest.h>

#include <cctype>

#include "engine/import_fixture.h"

namespace tenure::engine {
namespace {

using domain::UserRole;

constexpr Timestamp kNow = 1'780'000'000;  // 2026-05-28
constexpr const char* kPassword = "correct horse battery";

class AccountsTest : public ImportFixture {
 protected:
  void SetUp() override {
    ImportFixture::SetUp();
    ImportBasics();  // team North; alice (sales) and sam (service), without passwords
  }

  NewUser Bob() {
    NewUser u;
    u.username = "bob";
    u.full_name = "Bob B";
    u.email = "bob@example.org";
    u.role = UserRole::kManager;
    u.team = "North";
    u.password = kPassword;
    return u;
  }

  // Adds bob with kPassword and logs him in at kNow.
  Session AddBobAndLogIn() {
    auto added = AddUser(*db_, Bob());
    EXPECT_TRUE(added.ok()) << added.status().ToString();
    auto session = Login(*db_, "bob", kPassword, "127.0.0.1", kNow);
    EXPECT_TRUE(session.ok()) << session.status().ToString();
    return session.ok() ? *session : Session{};
  }

  bool Live(const std::string& token, Timestamp at = kNow) {
    auto found = FindSession(*db_, token, at);
    EXPECT_TRUE(found.ok()) << found.status().ToString();
    return found.ok() && found->has_value();
  }

  void ExpectRefused(const Status& status, Status::Code code, const std::string& field) {
    EXPECT_EQ(status.code(), code) << status.ToString();
    EXPECT_EQ(status.field(), field) << status.ToString();
  }

  void ExpectWrongCredentials(const Result<Session>& login) {
    ASSERT_FALSE(login.ok());
    EXPECT_EQ(login.status().code(), Status::Code::kUnauthenticated) << login.status().ToString();
    EXPECT_EQ(login.status().message(), "wrong username or password");
  }
};

TEST_F(AccountsTest, HashIsArgon2idAndVerifiesOnlyItsPassword) {
  auto hash = HashPassword(kPassword);
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  EXPECT_EQ(hash->rfind("$argon2id$v=19$", 0), 0u) << *hash;
  EXPECT_TRUE(VerifyPassword(*hash, kPassword));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horse battery "));
  EXPECT_FALSE(VerifyPassword(*hash, ""));
  EXPECT_FALSE(VerifyPassword("", kPassword));
  EXPECT_FALSE(VerifyPassword("$argon2id$v=19$garbage", kPassword));
  // A fresh salt each time: the same password never hashes the same.
  auto again = HashPassword(kPassword);
  ASSERT_TRUE(again.ok());
  EXPECT_NE(*again, *hash);
  EXPECT_TRUE(VerifyPassword(*again, kPassword));
}

TEST_F(AccountsTest, AddUserStoresTheUserWithAHashedPassword) {
  auto bob = AddUser(*db_, Bob());
  ASSERT_TRUE(bob.ok()) << bob.status().ToString();
  EXPECT_GT(bob->id, 0);
  EXPECT_EQ(bob->username, "bob");
  EXPECT_EQ(bob->full_name, "Bob B");
  EXPECT_EQ(bob->email, "bob@example.org");
  EXPECT_EQ(bob->role, UserRole::kManager);
  EXPECT_EQ(bob->team, "North");
  EXPECT_TRUE(bob->active);
  EXPECT_TRUE(bob->has_password);
  EXPECT_EQ(Text("SELECT substr(password_hash, 1, 10) FROM users WHERE username = 'bob'"),
            "$argon2id$");

  auto users = ListUsers(*db_);
  ASSERT_TRUE(users.ok()) << users.status().ToString();
  ASSERT_EQ(users->size(), 3u);
  EXPECT_EQ((*users)[0].username, "alice");
  EXPECT_FALSE((*users)[0].has_password);
  EXPECT_EQ((*users)[0].team, "North");
  EXPECT_EQ((*users)[1].username, "bob");
  EXPECT_EQ((*users)[1].id, bob->id);
  EXPECT_EQ((*users)[2].username, "sam");
  EXPECT_EQ((*users)[2].role, UserRole::kService);
}

TEST_F(AccountsTest, AddUserRefusesBadInputAndWritesNothing) {
  auto refused = [&](NewUser in, Status::Code code, const std::string& field) {
    auto added = AddUser(*db_, in);
    ASSERT_FALSE(added.ok()) << in.username;
    ExpectRefused(added.status(), code, field);
  };
  NewUser in = Bob();
  in.username = "  ";
  refused(in, Status::Code::kInvalidArgument, "username");
  in = Bob();
  in.password = "short7!";
  refused(in, Status::Code::kInvalidArgument, "password");
  in = Bob();
  in.team = "South";
  refused(in, Status::Code::kInvalidArgument, "team");
  in = Bob();
  in.team = "";
  refused(in, Status::Code::kInvalidArgument, "team");  // a manager needs a team
  in = Bob();
  in.role = static_cast<UserRole>(7);
  refused(in, Status::Code::kInvalidArgument, "role");
  in = Bob();
  in.username = "alice";
  refused(in, Status::Code::kAlreadyExists, "username");
  EXPECT_EQ(Count("SELECT count(*) FROM users"), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE entity = 'users' AND action <> 'import'"),
            0);

  // Eight characters, counted as characters: "pässwörd" is 10 bytes, 8 characters.
  in = Bob();
  in.password = "pässwör";
  refused(in, Status::Code::kInvalidArgument, "password");
  in.password = "pässwörd";
  EXPECT_TRUE(AddUser(*db_, in).ok());
}

TEST_F(AccountsTest, LoginOpensASessionThatFindSessionFinds) {
  auto bob = AddUser(*db_, Bob());
  ASSERT_TRUE(bob.ok()) << bob.status().ToString();
  auto session = Login(*db_, "bob", kPassword, "127.0.0.1", kNow);
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  ASSERT_EQ(session->token.size(), 64u);
  for (char c : session->token) EXPECT_TRUE(std::isxdigit(static_cast<unsigned char>(c))) << c;
  EXPECT_EQ(session->user_id, bob->id);
  EXPECT_EQ(session->username, "bob");
  EXPECT_EQ(session->role, UserRole::kManager);
  EXPECT_EQ(session->expires_at, kNow + SessionOptions{}.lifetime_seconds);

  auto found = FindSession(*db_, session->token, kNow + 60);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->user_id, bob->id);
  EXPECT_EQ((*found)->username, "bob");
  EXPECT_EQ((*found)->role, UserRole::kManager);
  // The team comes with the session, so the server builds the scope from it.
  EXPECT_EQ((*found)->team, "North");
  EXPECT_EQ((*found)->team_id, Count("SELECT id FROM teams WHERE name = 'North'"));
  EXPECT_EQ((*found)->expires_at, session->expires_at);
  EXPECT_TRUE((*found)->token.empty());

  // Each login is a session of its own; a token nobody was given finds none.
  auto other = Login(*db_, "bob", kPassword, "127.0.0.1", kNow);
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->token, session->token);
  EXPECT_TRUE(Live(session->token));
  EXPECT_TRUE(Live(other->token));
  EXPECT_FALSE(Live(std::string(64, '0')));
  EXPECT_FALSE(Live("not a token"));
  EXPECT_FALSE(Live(""));
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'login' AND entity = 'users' AND"
                  " entity_id = " +
                  std::to_string(bob->id) +
                  " AND json_extract(after_json, '$.client') = "
                  "'127.0.0.1'"),
            2);
}

TEST_F(AccountsTest, FailedLoginsAllSayTheSameAndAreRecorded) {
  ASSERT_TRUE(AddUser(*db_, Bob()).ok());
  ExpectWrongCredentials(Login(*db_, "bob", "wrong password", "10.0.0.1", kNow));
  ExpectWrongCredentials(Login(*db_, "nobody", kPassword, "10.0.0.2", kNow));
  ExpectWrongCredentials(Login(*db_, "alice", "", "10.0.0.3", kNow));  // no password set
  ASSERT_TRUE(DisableUser(*db_, "bob").ok());
  ExpectWrongCredentials(Login(*db_, "bob", kPassword, "10.0.0.4", kNow));
  EXPECT_EQ(Count("SELECT count(*) FROM login_failures"), 4);
  EXPECT_EQ(Count("SELECT count(*) FROM login_failures WHERE username = 'nobody' AND client ="
                  " '10.0.0.2' AND at = " +
                  std::to_string(kNow)),
            1);
  EXPECT_EQ(Count("SELECT count(*) FROM sessions"), 0);
}

TEST_F(AccountsTest, TooManyFailuresRefuseEvenTheRightPasswordUntilTheWindowPasses) {
  ASSERT_TRUE(AddUser(*db_, Bob()).ok());
  SessionOptions options;
  options.max_failed_logins = 3;
  options.failure_window_seconds = 600;
  for (int i = 0; i < 3; ++i) {
    ExpectWrongCredentials(Login(*db_, "bob", "guess " + std::to_string(i), "", kNow + i, options));
  }
  auto refused = Login(*db_, "bob", kPassword, "", kNow + 10, options);
  ASSERT_FALSE(refused.ok());
  ExpectRefused(refused.status(), Status::Code::kResourceExhausted, "username");
  // Refused attempts are not failures: they do not push the window on.
  EXPECT_EQ(Count("SELECT count(*) FROM login_failures WHERE username = 'bob'"), 3);
  // The other users are not affected.
  ASSERT_TRUE(SetPassword(*db_, "sam", kPassword).ok());
  EXPECT_TRUE(Login(*db_, "sam", kPassword, "", kNow + 10, options).ok());

  // Until 600 s after the first failure all three are in the window; then
  // the first has left it.
  auto still = Login(*db_, "bob", kPassword, "", kNow + 599, options);
  ASSERT_FALSE(still.ok());
  EXPECT_EQ(still.status().code(), Status::Code::kResourceExhausted);
  auto allowed = Login(*db_, "bob", kPassword, "", kNow + 600, options);
  ASSERT_TRUE(allowed.ok()) << allowed.status().ToString();
  EXPECT_EQ(Count("SELECT count(*) FROM login_failures WHERE username = 'bob'"), 0);
}

// An administrator lets a locked-out user back in by setting a new password.
TEST_F(AccountsTest, SetPasswordLiftsTheLockOut) {
  ASSERT_TRUE(AddUser(*db_, Bob()).ok());
  SessionOptions options;
  options.max_failed_logins = 2;
  for (int i = 0; i < 2; ++i) {
    ExpectWrongCredentials(Login(*db_, "bob", "guess " + std::to_string(i), "", kNow + i, options));
  }
  auto locked = Login(*db_, "bob", kPassword, "", kNow + 5, options);
  ASSERT_FALSE(locked.ok());
  EXPECT_EQ(locked.status().code(), Status::Code::kResourceExhausted);
  ASSERT_TRUE(SetPassword(*db_, "bob", "a new password 7").ok());
  EXPECT_EQ(Count("SELECT count(*) FROM login_failures WHERE username = 'bob'"), 0);
  auto in = Login(*db_, "bob", "a new password 7", "", kNow + 6, options);
  EXPECT_TRUE(in.ok()) << in.status().ToString();
}

TEST_F(AccountsTest, OldFailuresAreDroppedAtTheNextFailure) {
  SessionOptions options;
  options.failure_window_seconds = 600;
  ExpectWrongCredentials(Login(*db_, "ghost", "password1", "", kNow, options));
  ExpectWrongCredentials(Login(*db_, "nobody", "password1", "", kNow + 601, options));
  EXPECT_EQ(Count("SELECT count(*) FROM login_failures WHERE username = 'ghost'"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM login_failures WHERE username = 'nobody'"), 1);
}

TEST_F(AccountsTest, SessionEndsAtItsExpiry) {
  SessionOptions options;
  options.lifetime_seconds = 3600;
  ASSERT_TRUE(AddUser(*db_, Bob()).ok());
  auto session = Login(*db_, "bob", kPassword, "", kNow, options);
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  EXPECT_EQ(session->expires_at, kNow + 3600);
  EXPECT_TRUE(Live(session->token, kNow + 3599));
  EXPECT_FALSE(Live(session->token, kNow + 3600));
  EXPECT_FALSE(Live(session->token, kNow + 86400));
  // The next login clears the expired row.
  ASSERT_TRUE(Login(*db_, "bob", kPassword, "", kNow + 7200, options).ok());
  EXPECT_EQ(Count("SELECT count(*) FROM sessions"), 1);
}

TEST_F(AccountsTest, LogoutEndsTheSession) {
  Session session = AddBobAndLogIn();
  auto other = Login(*db_, "bob", kPassword, "", kNow);
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(Logout(*db_, session.token).ok());
  EXPECT_FALSE(Live(session.token));
  EXPECT_TRUE(Live(other->token));
  EXPECT_TRUE(Logout(*db_, session.token).ok());  // a second time: nothing happens
  EXPECT_TRUE(Logout(*db_, "not a token").ok());
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'logout'"), 1);
}

TEST_F(AccountsTest, SetPasswordEndsSessionsAndReplacesThePassword) {
  Session session = AddBobAndLogIn();
  ASSERT_TRUE(Live(session.token));
  ASSERT_TRUE(SetPassword(*db_, "bob", "a new password").ok());
  EXPECT_FALSE(Live(session.token));
  ExpectWrongCredentials(Login(*db_, "bob", kPassword, "", kNow));
  EXPECT_TRUE(Login(*db_, "bob", "a new password", "", kNow).ok());

  ExpectRefused(SetPassword(*db_, "zed", "a new password"), Status::Code::kNotFound, "username");
  ExpectRefused(SetPassword(*db_, "bob", "short"), Status::Code::kInvalidArgument, "password");
  // A user added without a password gets one and can log in.
  ASSERT_TRUE(SetPassword(*db_, "alice", "alice's password").ok());
  EXPECT_TRUE(Login(*db_, "alice", "alice's password", "", kNow).ok());
}

TEST_F(AccountsTest, DisableUserEndsSessionsAndLogins) {
  Session session = AddBobAndLogIn();
  ASSERT_TRUE(DisableUser(*db_, "bob").ok());
  EXPECT_FALSE(Live(session.token));
  ExpectWrongCredentials(Login(*db_, "bob", kPassword, "", kNow));
  auto users = ListUsers(*db_);
  ASSERT_TRUE(users.ok());
  ASSERT_EQ(users->size(), 3u);
  EXPECT_FALSE((*users)[1].active);
  EXPECT_TRUE(DisableUser(*db_, "bob").ok());  // again: nothing more happens
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'disable'"), 1);
  ExpectRefused(DisableUser(*db_, "zed"), Status::Code::kNotFound, "username");
}

TEST_F(AccountsTest, FindSessionChecksTheUserIsStillActive) {
  // A user made inactive another way (an import with active=false) keeps
  // session rows, which no longer let anyone in.
  Session session = AddBobAndLogIn();
  ASSERT_TRUE(db_->Exec("UPDATE users SET active = 0 WHERE username = 'bob'").ok());
  EXPECT_FALSE(Live(session.token));
}

TEST_F(AccountsTest, TheDatabaseHoldsNoTokenInClear) {
  Session session = AddBobAndLogIn();
  std::string stored = Text("SELECT token_hash FROM sessions");
  EXPECT_EQ(stored.size(), 64u);
  EXPECT_NE(stored, session.token);
  EXPECT_EQ(
      Count("SELECT count(*) FROM sessions WHERE instr(token_hash, '" + session.token + "') > 0"),
      0);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE instr(coalesce(after_json, ''), '" +
                  session.token + "') > 0"),
            0);
  // Nor anywhere in the files, the write-ahead log included.
  for (const char* file : {"t.db", "t.db-wal"}) {
    EXPECT_EQ(tenure::testing::ReadFile(dir_.File(file)).find(session.token), std::string::npos)
        << file;
  }
}

TEST_F(AccountsTest, AuditLogRecordsChangesWithoutHashesOrPasswords) {
  auto bob = AddUser(*db_, Bob());
  ASSERT_TRUE(bob.ok());
  ASSERT_TRUE(SetPassword(*db_, "bob", "a new password").ok());
  ASSERT_TRUE(Login(*db_, "bob", "a new password", "", kNow).ok());
  ASSERT_TRUE(DisableUser(*db_, "bob").ok());
  std::string id = std::to_string(bob->id);
  for (const char* action : {"insert", "passwd", "login", "disable"}) {
    EXPECT_EQ(Count(std::string("SELECT count(*) FROM audit_log WHERE entity = 'users' AND"
                                " action = '") +
                    action + "' AND entity_id = " + id),
              1)
        << action;
  }
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'insert' AND entity = 'users'"
                  " AND json_extract(after_json, '$.role') = 'manager' AND"
                  " json_extract(after_json, '$.team') = 'North' AND"
                  " json_extract(after_json, '$.has_password') = 1"),
            1);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'disable' AND"
                  " json_extract(before_json, '$.active') = 1 AND"
                  " json_extract(after_json, '$.active') = 0"),
            1);
  for (const char* secret : {"argon2", "$v=19$", kPassword, "a new password"}) {
    EXPECT_EQ(Count(std::string("SELECT count(*) FROM audit_log WHERE instr(coalesce(before_json,"
                                " '') || coalesce(after_json, ''), '") +
                    secret + "') > 0"),
              0)
        << secret;
  }
}

}  // namespace
}  // namespace tenure::engine
