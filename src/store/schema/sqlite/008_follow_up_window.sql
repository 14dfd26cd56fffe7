-- The window of a customer's open follow-ups: the earliest and the latest
-- follow_up_on of its activities that are not done, NULL when it has none.
-- Stored metrics (engine/metrics.h): every write of an activity refreshes
-- them, `tenure metrics rebuild` recomputes them.
--
-- A salesperson's or a manager's follow-up list (contact today, tomorrow,
-- this week, overdue) used to probe the open follow-ups of every customer of
-- the scope: 317 index probes for the largest salesperson of the demo
-- company, most of the request's time. With the window, the scope's index
-- entries name the few customers whose window meets the list's dates (11 of
-- those 317 for today's list), and only those are probed. The indexes are
-- partial: customers with no open follow-up are not in them.
ALTER TABLE customers ADD COLUMN open_follow_up_first TEXT;  -- YYYY-MM-DD
ALTER TABLE customers ADD COLUMN open_follow_up_last TEXT;   -- YYYY-MM-DD

UPDATE customers SET
  open_follow_up_first = w.first,
  open_follow_up_last = w.last
FROM (SELECT customer_id, min(follow_up_on) AS first, max(follow_up_on) AS last
      FROM activities WHERE follow_up_done = 0 AND follow_up_on IS NOT NULL
      GROUP BY customer_id) AS w
WHERE w.customer_id = customers.id;

CREATE INDEX wb_customers_owner_follow_ups
  ON customers(owner_id, open_follow_up_first, open_follow_up_last)
  WHERE open_follow_up_first IS NOT NULL;
CREATE INDEX wb_customers_team_follow_ups
  ON customers(team_id, open_follow_up_first, open_follow_up_last)
  WHERE open_follow_up_first IS NOT NULL;
