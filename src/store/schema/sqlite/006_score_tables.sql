-- Purchase-model scores move from the customer row (005) to a table of their
-- own, keyed by customer id (engine/scoring.h, docs/scoring.md). A scoring
-- run rewrites every scored customer's scores: on the wide customers row that
-- rewrote the whole table (about 320 MB and 8-11 s for 1,000,000 customers),
-- on these narrow rows it writes about 60 MB. The workbench and reports join
-- them by customer id.
--
-- score_runs: one row per `tenure score`, with the fitted models, so that an
-- analyst can see which parameters produced the scores. as_of is NULL only
-- for runs carried over from schema 5, which did not record it.
CREATE TABLE score_runs (
  id                   INTEGER PRIMARY KEY,
  scored_at            INTEGER NOT NULL,            -- unix time
  model                TEXT NOT NULL,               -- bgnbd, mbgnbd or pnbd
  as_of                TEXT,                        -- calibration end, ISO date
  days_per_unit        REAL,
  customers_scored     INTEGER,
  r                    REAL,
  alpha                REAL,
  a                    REAL,                        -- BG/NBD, MBG/NBD
  b                    REAL,
  s                    REAL,                        -- Pareto/NBD
  beta                 REAL,
  log_likelihood       REAL,
  spend_p              REAL,                        -- Gamma-Gamma, minor units
  spend_q              REAL,
  spend_gamma          REAL,
  spend_log_likelihood REAL
) STRICT;

-- customer_scores: the latest run's scores, one row per scored customer; a
-- customer without a row is not scored (no order on or before as_of).
-- No FOREIGN KEY clauses, on purpose: with foreign keys on, SQLite deletes a
-- table that has them row by row (10 s for 1,000,000 rows with the indexes,
-- against 0.1 s for a table without) and checks the parent of every row
-- inserted. A run writes only the ids of customers it read the orders of and
-- its own run id (store/score_queries.h); customers are never deleted.
--   p_alive                   P(alive) at as_of, 0..1
--   expected_purchases_N      expected purchases in the next N days
--   clv                       expected discounted revenue over the CLV
--                             horizon, in minor units like every amount
--   model_next_purchase_date  as_of + 1 / E[purchase rate | history, alive]
CREATE TABLE customer_scores (
  customer_id              INTEGER PRIMARY KEY,             -- customers(id)
  run_id                   INTEGER NOT NULL,                -- score_runs(id)
  p_alive                  REAL NOT NULL CHECK (p_alive BETWEEN 0 AND 1),
  expected_purchases_30    REAL NOT NULL,
  expected_purchases_90    REAL NOT NULL,
  expected_purchases_365   REAL NOT NULL,
  clv                      INTEGER NOT NULL,
  model_next_purchase_date TEXT NOT NULL
) STRICT;
-- Lists of the most valuable customers (highest CLV), and of those slipping
-- away (P(alive) below a threshold, most valuable first), read it from the
-- top. A scoring run drops and rebuilds it around its writes (about 1 s for
-- 1,000,000 customers; each more index costs as much again).
CREATE INDEX customer_scores_clv ON customer_scores(clv);

INSERT INTO score_runs (scored_at, model)
  SELECT DISTINCT scored_at, score_model FROM customers WHERE scored_at IS NOT NULL;
INSERT INTO customer_scores
  SELECT c.id, r.id, c.p_alive, c.expected_purchases_30, c.expected_purchases_90,
         c.expected_purchases_365, c.clv, c.model_next_purchase_date
  FROM customers c JOIN score_runs r ON r.scored_at = c.scored_at AND r.model = c.score_model;

ALTER TABLE customers DROP COLUMN p_alive;
ALTER TABLE customers DROP COLUMN expected_purchases_30;
ALTER TABLE customers DROP COLUMN expected_purchases_90;
ALTER TABLE customers DROP COLUMN expected_purchases_365;
ALTER TABLE customers DROP COLUMN clv;
ALTER TABLE customers DROP COLUMN model_next_purchase_date;
ALTER TABLE customers DROP COLUMN scored_at;
ALTER TABLE customers DROP COLUMN score_model;
