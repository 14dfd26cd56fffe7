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
