-- Logins (engine/accounts.h): the sessions of logged-in users and the failed
-- attempts that the login rate limit counts. Both live in the database, not
-- in a server process, so several `tenure serve` processes sharing one
-- database accept each other's sessions and count each other's failures.

-- sessions: one row per login. The token is handed to the client once and
-- never stored: token_hash is the lower-case hex BLAKE2b-256 of its 32 random
-- bytes, so a copy of the database (a backup, a stolen file) opens no
-- session. Text rather than BLOB because store::Statement binds no blobs.
-- A lookup checks expires_at, so an expired row is harmless; a user's expired
-- rows are deleted at their next login. sessions_user serves "end every
-- session of this user" (new password, user disabled) and that clean-up.
CREATE TABLE sessions (
  id         INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL,
  user_id    INTEGER NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,  -- unix time
  expires_at INTEGER NOT NULL   -- unix time; the session is over from then on
) STRICT;
CREATE UNIQUE INDEX sessions_token_hash ON sessions(token_hash);
CREATE INDEX sessions_user ON sessions(user_id);

-- login_failures: one row per wrong password. `username` is the name as
-- typed, not a reference to users, so that attempts on unknown names count
-- (and are limited) like the others. A login counts its username's rows
-- within the failure window through login_failures_username; a successful
-- login deletes its username's rows. Every failure deletes the rows older
-- than the window, found through login_failures_at, so that attempts on
-- names nobody ever logs in with do not pile up.
CREATE TABLE login_failures (
  id       INTEGER PRIMARY KEY,
  username TEXT NOT NULL,
  at       INTEGER NOT NULL,  -- unix time
  client   TEXT               -- the peer's address; NULL when unknown
) STRICT;
CREATE INDEX login_failures_username ON login_failures(username, at);
CREATE INDEX login_failures_at ON login_failures(at);
