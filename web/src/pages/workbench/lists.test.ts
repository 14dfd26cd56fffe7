import { describe, expect, it } from 'vitest';
import { choiceOf, columnsOf, grouped } from './lists';

describe('grouped', () => {
  it('puts every list in exactly one group, in the order of the groups', () => {
    const lists = ['lost', 'contact_today', 'a_new_list', 'receivables_overdue'].map((name) => ({ name }));
    const groups = grouped(lists);
    expect(groups.map((g) => g.title)).toEqual(['Whom to contact', 'Who is buying and who is slipping', 'Service and money', 'Other']);
    expect(groups.flatMap((g) => g.lists.map((l) => l.name)).sort()).toEqual(lists.map((l) => l.name).sort());
  });
  it('names the columns of a list it does not know', () => {
    expect(columnsOf('a_new_list')).toEqual({ date: 'Date', amount: 'Amount' });
    expect(columnsOf('ordered_recently').amount).toBe('Cumulative sales');
  });
});

describe('choiceOf', () => {
  it('keeps whose lists and which day, and nothing else', () => {
    expect(choiceOf({ user: 'bob', as_of: '2026-12-01', colour: 'red' })).toEqual({ as_of: '2026-12-01', user: 'bob', team: undefined });
    expect(choiceOf({ team: '' })).toEqual({ as_of: undefined, user: undefined, team: undefined });
  });
});
