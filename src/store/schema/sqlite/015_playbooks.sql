-- Playbook tasks (engine/playbooks/, docs/playbooks.md): what a playbook
-- rule asked someone to do for a customer, and what came of it.
--   rule        the rule's name in the playbooks file
--   action      call, escalate, credit_review, renewal, introduction,
--               win_back, confirm_loss
--   why         the values that made the rule fire, in words
--   status      0 open, 1 done, 2 dismissed
--   outcome     what the assignee recorded when closing it
-- An open task is never duplicated for the same rule and customer (the
-- unique partial index); once closed, the rule may fire again.
CREATE TABLE playbook_tasks (
  id          INTEGER PRIMARY KEY,
  rule        TEXT NOT NULL,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  assignee_id INTEGER REFERENCES users(id),
  action      TEXT NOT NULL,
  title       TEXT NOT NULL,
  why         TEXT NOT NULL,
  created_on  TEXT NOT NULL,
  due_on      TEXT NOT NULL,
  status      INTEGER NOT NULL DEFAULT 0 CHECK (status BETWEEN 0 AND 2),
  closed_at   INTEGER,
  outcome     TEXT
) STRICT;
CREATE UNIQUE INDEX playbook_tasks_open ON playbook_tasks(rule, customer_id) WHERE status = 0;
CREATE INDEX playbook_tasks_customer ON playbook_tasks(customer_id, status, due_on);
-- The workbench's playbook_tasks list for everyone: open tasks by due day.
CREATE INDEX playbook_tasks_due ON playbook_tasks(due_on, status) WHERE status = 0;
