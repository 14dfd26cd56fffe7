-- health_days: the days scoring runs wrote to health_history. A run after
-- the newest of them adds rows only for the customers whose health changed
-- since that day (store/risk_queries.h), so health_history holds the days a
-- customer's health changed rather than a row per customer per run; the
-- newest day is read here, not found by scanning the history.
CREATE TABLE health_days (
  as_of TEXT PRIMARY KEY
) STRICT, WITHOUT ROWID;
INSERT INTO health_days SELECT DISTINCT as_of FROM health_history;
