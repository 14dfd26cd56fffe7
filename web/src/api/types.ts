// The shapes of the API's answers the pages read: the component schemas of
// the server's own OpenAPI document (docs/api.md), whose types build.sh
// generates into schema.d.ts from `tenure openapi`. A field the server
// renames or drops, or a type it changes, fails the web build's type check
// wherever a page reads it.
import type { components } from './schema';

type Schemas = components['schemas'];

export type User = Schemas['SessionUser'];
export type Role = User['role'];
export type Scope = Schemas['Scope'];
export type Me = Schemas['Me'];
export type LoginAnswer = Schemas['Session'];

export type WorkbenchRow = Schemas['WorkbenchRow'];
export type WorkbenchList = Schemas['WorkbenchList'];
// GET /workbench/{list}: the list with the as-of day and the scope.
export type WorkbenchListPage = Schemas['WorkbenchListPage'];
export type Workbench = Schemas['Workbench'];
// POST /playbook-tasks/{id}/close: the task as closed.
export type PlaybookTask = Schemas['PlaybookTask'];

// One row of GET /customers, and a page of them.
export type CustomerRow = Schemas['CustomerRow'];
export type CustomerPage = Schemas['CustomerPage'];

// GET /customers/{id}: the fields, the live metrics, the scores and every
// record of the customer (references as external ids, else ids, as text).
export type CustomerProfile = Schemas['CustomerProfile'];
export type Scores = Schemas['Scores'];
export type ProfileContact = Schemas['ProfileContact'];

// GET /customers/{id}/credit.
export type CreditFile = Schemas['CreditFile'];

// Stored rows of GET /{entity}, and their pages.
export type UserRecord = Schemas['User'];
export type UserPage = Schemas['UserPage'];
export type Team = Schemas['Team'];
export type TeamPage = Schemas['TeamPage'];
export type ChurnReasonPage = Schemas['ChurnReasonPage'];
export type Complaint = Schemas['Complaint'];
export type ComplaintPage = Schemas['ComplaintPage'];

export type AuditEntry = Schemas['AuditEntry'];
export type AuditPage = Schemas['AuditPage'];
export type ComplaintReport = Schemas['ComplaintReport'];
export type Reassigned = Schemas['Reassigned'];
export type DemoLogins = Schemas['DemoLogins'];
