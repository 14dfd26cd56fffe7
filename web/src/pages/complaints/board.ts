// What the complaints board needs to know about complaints (docs/complaints.md):
// the shape GET /complaints answers with, the statuses as columns, which
// moves each status allows, and the order of a column. Each complaint's
// deadline and whether it is overdue come from the API itself, so the board
// marks exactly what the report, the workbench and `tenure complaint list
// --overdue` count, for every role.
import { query } from '../../api/client';
import type { Complaint, ComplaintPage } from '../../api/types';

// A row of GET /complaints and a page of them, as the API's document says.
export type { Complaint, ComplaintPage };
export type Status = Complaint['status'];

// The board's columns, left to right.
export const statuses: readonly { status: Status; title: string }[] = [
  { status: 'open', title: 'Open' },
  { status: 'in_progress', title: 'In progress' },
  { status: 'resolved', title: 'Resolved' },
  { status: 'closed', title: 'Closed' },
];

export function statusTitle(status: Status): string {
  return statuses.find((s) => s.status === status)?.title ?? status;
}

// A move that takes a complaint to another column; assigning, which works in
// every status, is not one of them.
export type Move = 'start' | 'back_to_open' | 'resolve' | 'close' | 'reopen';

// The moves the table "Status moves" of docs/complaints.md allows from
// `status`; the server refuses the others (409).
export function movesFrom(status: Status): Move[] {
  switch (status) {
    case 'open':
      return ['start', 'resolve'];
    case 'in_progress':
      return ['back_to_open', 'resolve'];
    case 'resolved':
      return ['close', 'reopen'];
    case 'closed':
      return ['reopen'];
  }
}

// The route of a move under /complaints/{id}/ and what its body adds to the
// version.
export function moveRoute(move: Move): { action: 'status' | 'resolve' | 'close' | 'reopen'; body: Record<string, string> } {
  switch (move) {
    case 'start':
      return { action: 'status', body: { status: 'in_progress' } };
    case 'back_to_open':
      return { action: 'status', body: { status: 'open' } };
    default:
      return { action: move, body: {} };
  }
}

// The board's filters, as they stand in its address (so a filtered board is
// a link) and as GET /complaints takes them: equality on these fields.
export interface Filters {
  category: string;
  assignee_id: string;
  customer_id: string;
}

export const filterNames = ['category', 'assignee_id', 'customer_id'] as const;

export function filtersOf(params: Record<string, string | undefined>): Filters {
  return { category: params['category'] ?? '', assignee_id: params['assignee_id'] ?? '', customer_id: params['customer_id'] ?? '' };
}

export function isFiltered(filters: Filters): boolean {
  return filterNames.some((name) => filters[name] !== '');
}

// Whether `complaint` is one the filters let through (after a move changed
// its assignee, say).
export function matches(complaint: Complaint, filters: Filters): boolean {
  return (
    (!filters.category || complaint.category === filters.category) &&
    (!filters.assignee_id || String(complaint.assignee_id ?? '') === filters.assignee_id) &&
    (!filters.customer_id || String(complaint.customer_id) === filters.customer_id)
  );
}

// The path of one page of a column: its status, the filters, and the page
// after `after`.
export function columnPath(status: Status, filters: Filters, limit: number, after: number | null): string {
  return `/complaints${query({ status, ...filters, limit, after })}`;
}

// Open and in-progress complaints by deadline (the most pressing first); the
// others as the API's pages come, by id, so "more" adds at the end.
export function ordered(complaints: Complaint[]): Complaint[] {
  return [...complaints].sort((a, b) => {
    if (a.status === 'open' || a.status === 'in_progress') return a.deadline < b.deadline ? -1 : a.deadline > b.deadline ? 1 : a.id - b.id;
    return a.id - b.id;
  });
}

// A time as "2026-12-05 14:30 UTC".
export function formatTime(value: string | null): string {
  if (!value) return '';
  return `${value.slice(0, 10)} ${value.slice(11, 16)} UTC`;
}
