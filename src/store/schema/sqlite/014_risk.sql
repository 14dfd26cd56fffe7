-- The risk model (engine/risk/, docs/risk.md).
--
-- risk_runs: one row per `tenure risk train`: the boosted trees as XGBoost's
-- JSON, the feature names they read (one per line, in column order), the
-- Platt calibration fitted on the validation snapshot and the model's
-- figures on it. scored_as_of and scored_at say when `tenure risk score`
-- last wrote customer_risk with this run (NULL until it does).
CREATE TABLE risk_runs (
  id              INTEGER PRIMARY KEY,
  trained_at      INTEGER NOT NULL,            -- unix time
  as_of           TEXT NOT NULL,               -- validation snapshot, ISO date
  horizon_days    INTEGER NOT NULL CHECK (horizon_days > 0),
  features        TEXT NOT NULL,
  model           TEXT NOT NULL,
  rounds          INTEGER NOT NULL,
  calibration_a   REAL NOT NULL,
  calibration_b   REAL NOT NULL,
  rows_train      INTEGER NOT NULL,
  rows_validation INTEGER NOT NULL,
  auc             REAL,
  pr_auc          REAL,
  brier           REAL,
  lift            REAL,
  scored_as_of    TEXT,
  scored_at       INTEGER
) STRICT;

-- customer_risk: the latest scoring run's result, one row per scored
-- customer (active customers with an order; others have none). No foreign
-- keys, as customer_scores (006): a run replaces every row.
--   probability       of being lost within the run's horizon, calibrated
--   value_at_risk     CLV x probability, minor units
--   health            0..100; health_month_ago the same model's at as-of - 30 days
--   reasons           up to three, most weight first: "code<TAB>points<TAB>text" lines
CREATE TABLE customer_risk (
  customer_id      INTEGER PRIMARY KEY,
  run_id           INTEGER NOT NULL,
  probability      REAL NOT NULL CHECK (probability BETWEEN 0 AND 1),
  value_at_risk    INTEGER NOT NULL,
  health           INTEGER NOT NULL CHECK (health BETWEEN 0 AND 100),
  health_month_ago INTEGER CHECK (health_month_ago BETWEEN 0 AND 100),
  reasons          TEXT NOT NULL
) STRICT;
-- The at_risk workbench list and GET /customers?sort=-value_at_risk read
-- customers from the top of this index; the slipping-away list by probability.
CREATE INDEX customer_risk_value ON customer_risk(value_at_risk);
CREATE INDEX customer_risk_probability ON customer_risk(probability);

-- health_history: every scoring run's health per customer, by the run's
-- as-of date (a second run on one day replaces the first).
CREATE TABLE health_history (
  customer_id INTEGER NOT NULL,
  as_of       TEXT NOT NULL,
  health      INTEGER NOT NULL CHECK (health BETWEEN 0 AND 100),
  PRIMARY KEY (customer_id, as_of)
) STRICT, WITHOUT ROWID;

-- The workbench's slipping_away list, before a risk model is trained, ranks
-- by the purchase model's probability of no purchase in the next 90 days
-- (engine/scoring.h), which unlike P(alive) is not 1 for every customer who
-- bought once. NULL for scores written before this version.
ALTER TABLE customer_scores ADD COLUMN p_no_purchase_90 REAL;
CREATE INDEX customer_scores_p_no_purchase ON customer_scores(p_no_purchase_90);
