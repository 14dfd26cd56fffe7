// The shapes of the API's answers the pages read (docs/api.md). They follow
// the server's JSON writers field by field; the end-to-end tests read every
// page against a real server, so a field renamed on one side fails there.

export type Role = 'admin' | 'manager' | 'sales' | 'service';

export interface User {
  id: number;
  username: string;
  role: Role;
}

export interface Scope {
  kind: string;
  role: Role;
  user: string;
  user_id: number;
  team: string | null;
  team_id: number | null;
}

export interface Me {
  user: User;
  expires_at: string;
  scope: Scope;
  csrf_token: string;
}

export interface LoginAnswer {
  token: string;
  expires_at: string;
  user: User;
  csrf_token: string;
}

export interface WorkbenchRow {
  customer_id: number;
  external_id: string;
  name: string;
  owner: string | null;
  date: string | null;
  amount: number | null;
}

export interface WorkbenchList {
  name: string;
  title: string;
  from: string | null;
  to: string | null;
  count: number;
  rows: WorkbenchRow[];
}

export interface Workbench {
  as_of: string;
  scope: Scope;
  lists: WorkbenchList[];
}

// One row of GET /customers.
export interface CustomerRow {
  id: number;
  external_id: string | null;
  name: string;
  type: string | null;
  industry: string | null;
  level: string | null;
  source: string | null;
  province: string | null;
  city: string | null;
  phone: string | null;
  email: string | null;
  status: string;
  lead_stage: string | null;
  owner_id: number | null;
  owner: string | null;
  team_id: number | null;
  first_order_date: string | null;
  last_order_date: string | null;
  next_purchase_date: string | null;
  order_count: number;
  cumulative_sales: number;
  gross_profit: number;
  average_purchase_cycle_days: number | null;
  last_contact_at: string | null;
  receivables: number;
  version: number;
  created_at: string;
  updated_at: string;
  p_alive: number | null; // the latest scoring run's; null when not scored
  clv: number | null;
  model_next_purchase_date: string | null;
  [column: string]: string | number | boolean | null;
}

export interface CustomerPage {
  items: CustomerRow[];
  next_cursor: string | null;
}

// A stored row of any record table (GET /{entity}): its fields by name.
export type RecordRow = { id: number; version: number } & Record<string, string | number | boolean | null>;

export interface RecordPage {
  items: RecordRow[];
  next_after: number | null;
}

export interface Scores {
  p_alive: number | null;
  expected_purchases_30: number | null;
  expected_purchases_90: number | null;
  expected_purchases_365: number | null;
  clv: number | null;
  model_next_purchase_date: string | null;
  scored_at: string | null;
  score_model: string | null;
  as_of: string | null;
}

// GET /customers/{id}: the fields, the live metrics, the scores and every
// record of the customer.
export interface CustomerProfile {
  id: number;
  external_id: string | null;
  name: string;
  type: string | null;
  industry: string | null;
  level: string | null;
  source: string | null;
  province: string | null;
  city: string | null;
  address: string | null;
  phone: string | null;
  email: string | null;
  website: string | null;
  status: string;
  lead_stage: string | null;
  owner_id: string | null;
  team_id: string | null;
  credit_limit: number | null;
  credit_rating: string | null;
  acquired_on: string | null;
  notes: string | null;
  created_at: string;
  updated_at: string;
  as_of: string;
  first_order_date: string | null;
  last_order_date: string | null;
  order_count: number;
  order_days: number;
  cumulative_sales: number;
  gross_profit: number;
  average_purchase_cycle_days: number | null;
  next_purchase_date: string | null;
  days_overdue_to_buy: number | null;
  last_contact_at: string | null;
  days_since_last_contact: number | null;
  receivables: number;
  overdue_receivables: number;
  oldest_open_due_on: string | null;
  scores: Scores;
  contacts: RecordRow[];
  activities: RecordRow[];
  opportunities: RecordRow[];
  quotations: RecordRow[];
  orders: RecordRow[];
  contracts: RecordRow[];
  invoices: RecordRow[];
  expenses: RecordRow[];
  complaints: RecordRow[];
  churn_events: RecordRow[];
  ownership_changes: RecordRow[];
  version: number;
}

// GET /customers/{id}/credit.
export interface CreditFile {
  customer: string;
  name: string;
  owner: string | null;
  as_of: string;
  invoices: number;
  paid: number;
  paid_on_time: number;
  paid_late: number;
  average_days_late: number;
  max_days_late: number;
  late_in_window: number;
  open_invoices: number;
  open_balance: number;
  overdue_invoices: number;
  overdue_amount: number;
  oldest_overdue_days: number;
  credit_limit: number | null;
  limit_use: number | null;
  defaulted_on: string | null;
  rating: string;
  stored_rating: string | null;
  reasons: string[];
}

export interface AuditEntry {
  id: number;
  action: string;
  at: string;
  user: string | null;
  user_id: number | null;
  entity: string;
  entity_id: number | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export interface DemoLogins {
  demo: boolean;
  password: string | null;
  users: { username: string; role: Role }[];
}
