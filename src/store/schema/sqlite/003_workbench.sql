-- The workbench's indexes (engine/workbench.h, docs/workbench.md). Every list
-- is a range of one index: for the customers table one index per scope (all
-- customers; an owner's, leading with owner_id; a team's, leading with
-- team_id), so a page is an index-ordered scan with LIMIT and a count is an
-- index range count. Lists on other tables have one index for all customers;
-- an owner's or a team's rows are found from its customers through the
-- table's customer index. Partial indexes hold only the rows a list can show,
-- and carry the columns of their WHERE as trailing columns: SQLite 3.40 reads
-- the table for a column of the partial index's condition otherwise, which
-- turns a range count into a row lookup per entry.

-- Ordered recently: last_order_date.
CREATE INDEX wb_customers_last_order ON customers(last_order_date);
CREATE INDEX wb_customers_owner_last_order ON customers(owner_id, last_order_date);
CREATE INDEX wb_customers_team_last_order ON customers(team_id, last_order_date);

-- Overdue to buy: next_purchase_date of customers not lost (status 3).
CREATE INDEX wb_customers_next_purchase ON customers(next_purchase_date, status) WHERE status <> 3;
CREATE INDEX wb_customers_owner_next_purchase ON customers(owner_id, next_purchase_date, status)
  WHERE status <> 3;
CREATE INDEX wb_customers_team_next_purchase ON customers(team_id, next_purchase_date, status)
  WHERE status <> 3;

-- Dormant: the day (julian) a customer becomes dormant, for the default
-- dormant_cycle_multiple 3.0 and dormant_default_days 365. The query must
-- spell the expression the same way (store/workbench_queries.cc); other
-- settings give the same answer without these indexes.
CREATE INDEX wb_customers_dormant
  ON customers(julianday(last_order_date) + coalesce(3.0 * avg_purchase_cycle_days, 365),
    last_order_date, avg_purchase_cycle_days, status)
  WHERE status <> 3;
CREATE INDEX wb_customers_owner_dormant
  ON customers(owner_id, julianday(last_order_date) + coalesce(3.0 * avg_purchase_cycle_days, 365),
    last_order_date, avg_purchase_cycle_days, status)
  WHERE status <> 3;
CREATE INDEX wb_customers_team_dormant
  ON customers(team_id, julianday(last_order_date) + coalesce(3.0 * avg_purchase_cycle_days, 365),
    last_order_date, avg_purchase_cycle_days, status)
  WHERE status <> 3;

-- New customers: created_at.
CREATE INDEX wb_customers_created ON customers(created_at);
CREATE INDEX wb_customers_owner_created ON customers(owner_id, created_at);
CREATE INDEX wb_customers_team_created ON customers(team_id, created_at);

-- Updated customers: updated_at of rows changed after they were created.
CREATE INDEX wb_customers_updated ON customers(updated_at, created_at) WHERE updated_at > created_at;
CREATE INDEX wb_customers_owner_updated ON customers(owner_id, updated_at, created_at)
  WHERE updated_at > created_at;
CREATE INDEX wb_customers_team_updated ON customers(team_id, updated_at, created_at)
  WHERE updated_at > created_at;

-- Overdue receivables: the due date of the oldest open invoice.
CREATE INDEX wb_customers_oldest_due ON customers(oldest_open_due_on)
  WHERE oldest_open_due_on IS NOT NULL;
CREATE INDEX wb_customers_owner_oldest_due ON customers(owner_id, oldest_open_due_on)
  WHERE oldest_open_due_on IS NOT NULL;
CREATE INDEX wb_customers_team_oldest_due ON customers(team_id, oldest_open_due_on)
  WHERE oldest_open_due_on IS NOT NULL;

-- Over the credit limit.
CREATE INDEX wb_customers_over_credit ON customers(receivables, credit_limit) WHERE receivables > credit_limit;
CREATE INDEX wb_customers_owner_over_credit ON customers(owner_id, receivables, credit_limit)
  WHERE receivables > credit_limit;
CREATE INDEX wb_customers_team_over_credit ON customers(team_id, receivables, credit_limit)
  WHERE receivables > credit_limit;

-- Open follow-ups by due date (001's index, now covering the count), and of a
-- scope's customers.
DROP INDEX activities_open_follow_up;
CREATE INDEX activities_open_follow_up ON activities(follow_up_on, follow_up_done)
  WHERE follow_up_done = 0;
CREATE INDEX wb_activities_customer_follow_up ON activities(customer_id, follow_up_on, follow_up_done)
  WHERE follow_up_done = 0;

-- Lost customers (churn events of kind 0), by date.
CREATE INDEX wb_churn_events_lost ON churn_events(occurred_on, kind) WHERE kind = 0;

-- Lost opportunities (stage 6), by the day they closed.
CREATE INDEX wb_opportunities_lost ON opportunities(closed_on, stage) WHERE stage = 6;

-- Current contracts: the day a contract stops counting (its end, or its
-- cancellation when cancelled, status 2; 0000-01-01 when cancelled before it
-- started), then its start; spelled as in store/workbench_queries.cc
-- (kContractEnd).
CREATE INDEX wb_contracts_current ON contracts(
  CASE WHEN min(coalesce(end_date, '9999-12-31'), CASE WHEN status = 2
                THEN coalesce(cancelled_on, '0000-01-01') ELSE '9999-12-31' END) < start_date
       THEN '0000-01-01'
       ELSE min(coalesce(end_date, '9999-12-31'), CASE WHEN status = 2
                THEN coalesce(cancelled_on, '0000-01-01') ELSE '9999-12-31' END) END,
  start_date, end_date, status, cancelled_on);
-- New contracts (not renewals), by the day they were signed.
CREATE INDEX wb_contracts_signed ON contracts(signed_on, renewal_of) WHERE renewal_of IS NULL;

-- Open complaints (open 0, in progress 1) by opening time (covering the
-- severity, which 001's complaints_open does not), and the customers
-- of a service agent's complaints.
CREATE INDEX wb_complaints_open ON complaints(status, opened_at, severity) WHERE status IN (0, 1);
CREATE INDEX wb_complaints_assignee ON complaints(assignee_id, customer_id);
-- A scope's open complaints, found from its customers. Without it SQLite
-- (no statistics) probes each customer through wb_complaints_open, reading
-- every open complaint per customer.
CREATE INDEX wb_complaints_customer_open ON complaints(customer_id, status, opened_at, severity)
  WHERE status IN (0, 1);
