-- settings: facts about the database as a whole, a value per key
-- (store/settings_queries.h). `demo` = '1' marks a demo company written by
-- `tenure demo`, whose login page may list its logins; `demo_password` is
-- the password `tenure demo --login-password` gave one user of each role.
-- A real company's database has neither key.
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
