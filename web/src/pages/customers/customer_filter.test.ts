import { describe, expect, test } from 'vitest';
import { filterCount, listParams, nextSort, sortState, withChanges } from './customer_filter';

describe('the customers table in the URL', () => {
  test('keeps only the list parameters the API takes', () => {
    expect(listParams({ q: 'acme', status: 'active', min_cumulative_sales: '100', colour: 'red', city: '' })).toEqual({ q: 'acme', status: 'active', min_cumulative_sales: '100' });
  });

  test('filters on the scores too', () => {
    expect(listParams({ max_p_alive: '0.5', min_clv: '1000', min_p_value: '1' })).toEqual({ max_p_alive: '0.5', min_clv: '1000' });
  });

  test('a new filter starts at the first page; paging keeps the filter', () => {
    const paged = { status: 'active', after: 'abc' };
    expect(withChanges(paged, { city: 'Wuxi' })).toEqual({ status: 'active', city: 'Wuxi' });
    expect(withChanges(paged, { status: '' })).toEqual({});
    expect(withChanges({ status: 'active' }, { after: 'xyz' })).toEqual({ status: 'active', after: 'xyz' });
  });

  test('sorting cycles, figures biggest first', () => {
    expect(nextSort(undefined, 'name', false)).toBe('name');
    expect(nextSort('name', 'name', false)).toBe('-name');
    expect(nextSort('-name', 'name', false)).toBe('name');
    expect(nextSort('name', 'cumulative_sales', true)).toBe('-cumulative_sales');
    expect(sortState('-cumulative_sales', 'cumulative_sales')).toBe('descending');
    expect(sortState('name', 'cumulative_sales')).toBe('none');
  });

  test('counts the filters set', () => {
    expect(filterCount({ q: 'x', sort: 'name', status: 'lost', max_receivables: '5', after: 'c' })).toBe(2);
  });
});
