-- Purchase-model scores on the customer row (engine/scoring.h, docs/scoring.md),
-- written for every customer by `tenure score` and NULL for a customer that
-- has no order on or before the as-of date of the last scoring run.
--   p_alive                   P(alive) at the as-of date, 0..1
--   expected_purchases_N      expected purchases in the next N days
--   clv                       expected discounted revenue over the CLV
--                             horizon, in minor units like every amount
--   model_next_purchase_date  as-of date + 1 / E[purchase rate | history,
--                             alive], an ISO date
--   scored_at, score_model    when (unix time) and by which model
-- No index: no workbench list or report filters or sorts on a score yet, and
-- each index would be rewritten for every customer on every scoring run.
-- The list that needs one (e.g. slipping customers by p_alive) adds it.
ALTER TABLE customers ADD COLUMN p_alive REAL;
ALTER TABLE customers ADD COLUMN expected_purchases_30 REAL;
ALTER TABLE customers ADD COLUMN expected_purchases_90 REAL;
ALTER TABLE customers ADD COLUMN expected_purchases_365 REAL;
ALTER TABLE customers ADD COLUMN clv INTEGER;
ALTER TABLE customers ADD COLUMN model_next_purchase_date TEXT;
ALTER TABLE customers ADD COLUMN scored_at INTEGER;
ALTER TABLE customers ADD COLUMN score_model TEXT;
