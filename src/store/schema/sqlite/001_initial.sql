-- Tenure schema, version 1 (SQLite).
--
-- Conventions:
--  * every table has an integer `id` and, for rows that came from outside, a
--    unique `external_id` (imports and the API address rows by it);
--  * business dates are ISO text 'YYYY-MM-DD' (civil dates, no zone); event
--    times are INTEGER seconds since 1970-01-01 UTC (4-6 bytes instead of 20
--    of ISO text in every row; read them with datetime(x, 'unixepoch'));
--  * money is INTEGER minor units (cents), never REAL;
--  * enumerations are INTEGER codes whose names live in src/domain/enums.cc;
--    a stored code is never renumbered;
--  * `version` counts updates, for optimistic concurrency.

CREATE TABLE teams (
  id          INTEGER PRIMARY KEY,
  external_id TEXT,
  name        TEXT NOT NULL,
  manager_id  INTEGER REFERENCES users(id),
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  version     INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE UNIQUE INDEX teams_external_id ON teams(external_id) WHERE external_id IS NOT NULL;
CREATE UNIQUE INDEX teams_name ON teams(name);

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  external_id   TEXT,
  username      TEXT NOT NULL,
  full_name     TEXT,
  email         TEXT,
  role          INTEGER NOT NULL DEFAULT 2 CHECK (role BETWEEN 0 AND 3),  -- UserRole
  team_id       INTEGER REFERENCES teams(id),
  active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  hired_on      TEXT,
  left_on       TEXT,
  password_hash TEXT,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  version       INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE UNIQUE INDEX users_external_id ON users(external_id) WHERE external_id IS NOT NULL;
CREATE UNIQUE INDEX users_username ON users(username);
CREATE INDEX users_team ON users(team_id);

CREATE TABLE customers (
  id            INTEGER PRIMARY KEY,
  external_id   TEXT,
  name          TEXT NOT NULL,
  type          TEXT,
  industry      TEXT,
  level         TEXT,
  source        TEXT,
  province      TEXT,
  city          TEXT,
  address       TEXT,
  phone         TEXT,
  email         TEXT,
  website       TEXT,
  status        INTEGER NOT NULL DEFAULT 2 CHECK (status BETWEEN 0 AND 3),      -- CustomerStatus
  lead_stage    INTEGER CHECK (lead_stage BETWEEN 0 AND 6),                    -- LeadStage
  owner_id      INTEGER REFERENCES users(id),
  team_id       INTEGER REFERENCES teams(id),
  credit_limit  INTEGER CHECK (credit_limit >= 0),
  credit_rating INTEGER CHECK (credit_rating BETWEEN 0 AND 3),                 -- CreditRating
  acquired_on   TEXT,
  notes         TEXT,
  -- Derived metrics (docs/metrics.md): kept current by the engine, never typed in.
  first_order_date        TEXT,
  last_order_date         TEXT,
  order_count             INTEGER NOT NULL DEFAULT 0,
  order_days              INTEGER NOT NULL DEFAULT 0,  -- distinct order dates
  cumulative_sales        INTEGER NOT NULL DEFAULT 0,
  gross_profit            INTEGER NOT NULL DEFAULT 0,
  avg_purchase_cycle_days REAL,
  next_purchase_date      TEXT,
  last_contact_at         INTEGER,
  receivables             INTEGER NOT NULL DEFAULT 0,
  oldest_open_due_on      TEXT,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  version       INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE UNIQUE INDEX customers_external_id ON customers(external_id) WHERE external_id IS NOT NULL;
CREATE INDEX customers_owner ON customers(owner_id);
CREATE INDEX customers_team ON customers(team_id);
CREATE INDEX customers_status ON customers(status);

CREATE TABLE contacts (
  id          INTEGER PRIMARY KEY,
  external_id TEXT,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  name        TEXT NOT NULL,
  title       TEXT,
  phone       TEXT,
  mobile      TEXT,
  email       TEXT,
  is_primary  INTEGER NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1)),
  birthday    TEXT,
  notes       TEXT,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  version     INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE UNIQUE INDEX contacts_external_id ON contacts(external_id) WHERE external_id IS NOT NULL;
CREATE INDEX contacts_customer ON contacts(customer_id);

CREATE TABLE activities (
  id              INTEGER PRIMARY KEY,
  external_id     TEXT,
  customer_id     INTEGER NOT NULL REFERENCES customers(id),
  contact_id      INTEGER REFERENCES contacts(id),
  user_id         INTEGER REFERENCES users(id),
  kind            INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 4),     -- ActivityKind
  occurred_at     INTEGER NOT NULL,
  outcome         INTEGER CHECK (outcome BETWEEN 0 AND 2),           -- ActivityOutcome
  notes           TEXT,
  follow_up_on    TEXT,
  follow_up_done  INTEGER NOT NULL DEFAULT 0 CHECK (follow_up_done IN (0, 1)),
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  version         INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE UNIQUE INDEX activities_external_id ON activities(external_id) WHERE external_id IS NOT NULL;
CREATE INDEX activities_customer ON activities(customer_id, occurred_at);
CREATE INDEX activities_open_follow_up ON activities(follow_up_on) WHERE follow_up_done = 0;

CREATE TABLE opportunities (
  id                INTEGER PRIMARY KEY,
  external_id       TEXT,
  customer_id       INTEGER NOT NULL REFERENCES customers(id),
  owner_id          INTEGER REFERENCES users(id),
  name              TEXT NOT NULL,
  stage             INTEGER NOT NULL DEFAULT 0 CHECK (stage BETWEEN 0 AND 6),  -- LeadStage
  amount            INTEGER CHECK (amount >= 0),
  opened_on         TEXT,
  expected_close_on TEXT,
  closed_on         TEXT,
  lost_reason       TEXT,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  version           INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE UNIQUE INDEX opportunities_external_id ON opportunities(external_id) WHERE external_id IS NOT NULL;
CREATE INDEX opportunities_customer ON opportunities(customer_id);

CREATE TABLE quotations (
  id             INTEGER PRIMARY KEY,
  external_id    TEXT,
  customer_id    INTEGER NOT NULL REFERENCES customers(id),
  opportunity_id INTEGER REFERENCES opportunities(id),
  user_id        INTEGER REFERENCES users(id),
  quoted_on      TEXT NOT NULL,
  amount         INTEGER NOT NULL CHECK (amount >= 0),
  valid_until    TEXT,
  status         INTEGER NOT NULL DEFAULT 1 CHECK (status BETWEEN 0 AND 4),   -- QuotationStatus
  notes          TEXT,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  version        INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE UNIQUE INDEX quotations_external_id ON quotations(external_id) WHERE external_id IS NOT NULL;
CREATE INDEX quotations_customer ON quotations(customer_id);

CREATE TABLE contracts (
  id           INTEGER PRIMARY KEY,
  external_id  TEXT,
  customer_id  INTEGER NOT NULL REFERENCES customers(id),
  user_id      INTEGER REFERENCES users(id),
  signed_on    TEXT,
  start_date   TEXT NOT NULL,
  end_date     TEXT,
  value        INTEGER CHECK (value >= 0),
  status       INTEGER NOT NULL DEFAULT 0 CHECK (status BETWEEN 0 AND 2),   -- ContractStatus
  cancelled_on TEXT,
  renewal_of   INTEGER REFERENCES contracts(id),
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  version      INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE UNIQUE INDEX contracts_external_id ON contracts(external_id) WHERE external_id IS NOT NULL;
CREATE INDEX contracts_customer ON contracts(customer_id);

CREATE TABLE orders (
  id          INTEGER PRIMARY KEY,
  external_id TEXT,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  user_id     INTEGER REFERENCES users(id),
  contract_id INTEGER REFERENCES contracts(id),
  order_date  TEXT NOT NULL,
  amount      INTEGER NOT NULL CHECK (amount >= 0),
  cost        INTEGER CHECK (cost >= 0),
  quantity    REAL CHECK (quantity >= 0),
  status      INTEGER NOT NULL DEFAULT 0 CHECK (status BETWEEN 0 AND 2),   -- OrderStatus
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  version     INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE UNIQUE INDEX orders_external_id ON orders(external_id) WHERE external_id IS NOT NULL;
CREATE INDEX orders_customer ON orders(customer_id, order_date);

CREATE TABLE invoices (
  id          INTEGER PRIMARY KEY,
  external_id TEXT,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  order_id    INTEGER REFERENCES orders(id),
  contract_id INTEGER REFERENCES contracts(id),
  issued_on   TEXT,
  due_on      TEXT NOT NULL,
  amount      INTEGER NOT NULL CHECK (amount >= 0),
  paid_amount INTEGER NOT NULL DEFAULT 0 CHECK (paid_amount >= 0),
  paid_on     TEXT,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  version     INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE UNIQUE INDEX invoices_external_id ON invoices(external_id) WHERE external_id IS NOT NULL;
CREATE INDEX invoices_customer ON invoices(customer_id, due_on);

CREATE TABLE expenses (
  id          INTEGER PRIMARY KEY,
  external_id TEXT,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  user_id     INTEGER REFERENCES users(id),
  spent_on    TEXT NOT NULL,
  amount      INTEGER NOT NULL CHECK (amount >= 0),
  category    TEXT,
  notes       TEXT,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  version     INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE UNIQUE INDEX expenses_external_id ON expenses(external_id) WHERE external_id IS NOT NULL;
CREATE INDEX expenses_customer ON expenses(customer_id);

CREATE TABLE complaints (
  id           INTEGER PRIMARY KEY,
  external_id  TEXT,
  customer_id  INTEGER NOT NULL REFERENCES customers(id),
  contact_id   INTEGER REFERENCES contacts(id),
  kind         INTEGER NOT NULL DEFAULT 0 CHECK (kind IN (0, 1)),              -- ComplaintKind
  category     TEXT,
  severity     INTEGER NOT NULL DEFAULT 1 CHECK (severity BETWEEN 0 AND 3),    -- Severity
  status       INTEGER NOT NULL DEFAULT 0 CHECK (status BETWEEN 0 AND 3),      -- ComplaintStatus
  assignee_id  INTEGER REFERENCES users(id),
  opened_at    INTEGER NOT NULL,
  resolved_at  INTEGER,
  satisfaction INTEGER CHECK (satisfaction BETWEEN 1 AND 5),
  description  TEXT,
  resolution   TEXT,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  version      INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE UNIQUE INDEX complaints_external_id ON complaints(external_id) WHERE external_id IS NOT NULL;
CREATE INDEX complaints_customer ON complaints(customer_id);
CREATE INDEX complaints_open ON complaints(status, opened_at);

-- The fixed, extendable list of churn reasons (docs/churn.md).
CREATE TABLE churn_reasons (
  id          INTEGER PRIMARY KEY,
  external_id TEXT,
  code        TEXT NOT NULL,
  label       TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  version     INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE UNIQUE INDEX churn_reasons_external_id ON churn_reasons(external_id) WHERE external_id IS NOT NULL;
CREATE UNIQUE INDEX churn_reasons_code ON churn_reasons(code);
INSERT INTO churn_reasons (id, external_id, code, label, created_at, updated_at) VALUES
  (1,  'price',              'price',              'Price',                                0, 0),
  (2,  'product_quality',    'product_quality',    'Product quality',                      0, 0),
  (3,  'missing_features',   'missing_features',   'Missing features',                     0, 0),
  (4,  'service_attitude',   'service_attitude',   'Service attitude',                     0, 0),
  (5,  'slow_response',      'slow_response',      'Slow or no response to a complaint',   0, 0),
  (6,  'no_contact',         'no_contact',         'No contact',                           0, 0),
  (7,  'competitor_offer',   'competitor_offer',   'Competitor offer',                     0, 0),
  (8,  'salesperson_left',   'salesperson_left',   'Salesperson left',                     0, 0),
  (9,  'ethics',             'ethics',             'Ethics',                               0, 0),
  (10, 'credit_default',     'credit_default',     'Credit / default',                     0, 0),
  (11, 'relocation_closure', 'relocation_closure', 'Relocation or closure',                0, 0),
  (12, 'other',              'other',              'Other',                                0, 0);

CREATE TABLE churn_events (
  id           INTEGER PRIMARY KEY,
  external_id  TEXT,
  customer_id  INTEGER NOT NULL REFERENCES customers(id),
  kind         INTEGER NOT NULL DEFAULT 0 CHECK (kind IN (0, 1)),              -- ChurnEventKind
  occurred_on  TEXT NOT NULL,
  churn_type   INTEGER CHECK (churn_type BETWEEN 0 AND 3),                     -- ChurnType
  competitor   TEXT,
  recorded_by  INTEGER REFERENCES users(id),
  notes        TEXT,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  version      INTEGER NOT NULL DEFAULT 1,
  CHECK (kind = 1 OR churn_type IS NOT NULL)
) STRICT;
CREATE UNIQUE INDEX churn_events_external_id ON churn_events(external_id) WHERE external_id IS NOT NULL;
CREATE INDEX churn_events_customer ON churn_events(customer_id, occurred_on);
CREATE INDEX churn_events_date ON churn_events(occurred_on);

CREATE TABLE churn_event_reasons (
  churn_event_id INTEGER NOT NULL REFERENCES churn_events(id) ON DELETE CASCADE,
  reason_id      INTEGER NOT NULL REFERENCES churn_reasons(id),
  PRIMARY KEY (churn_event_id, reason_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX churn_event_reasons_reason ON churn_event_reasons(reason_id);

CREATE TABLE ownership_changes (
  id           INTEGER PRIMARY KEY,
  external_id  TEXT,
  customer_id  INTEGER NOT NULL REFERENCES customers(id),
  from_user_id INTEGER REFERENCES users(id),
  to_user_id   INTEGER NOT NULL REFERENCES users(id),
  changed_at   INTEGER NOT NULL,
  reason       TEXT,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  version      INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE UNIQUE INDEX ownership_changes_external_id ON ownership_changes(external_id) WHERE external_id IS NOT NULL;
CREATE INDEX ownership_changes_customer ON ownership_changes(customer_id, changed_at);

-- Who changed what and when; written by the engine for every write path.
CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY,
  at          INTEGER NOT NULL,
  user_id     INTEGER REFERENCES users(id),
  action      TEXT NOT NULL,
  entity      TEXT NOT NULL,
  entity_id   INTEGER,
  before_json TEXT,
  after_json  TEXT
) STRICT;
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
CREATE INDEX audit_log_at ON audit_log(at);
