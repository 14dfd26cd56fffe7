import { describe, expect, it } from 'vitest';
import { loginUrl, safeNext } from './next_url';

describe('safeNext', () => {
  it('keeps a path of this site', () => {
    expect(safeNext('/customers/42?tab=timeline')).toBe('/customers/42?tab=timeline');
  });
  it('refuses anything that could leave the site or loop', () => {
    for (const next of ['https://evil.example/', '//evil.example/', '/\\evil.example', 'javascript:alert(1)', '', null, '/login?next=/x']) {
      expect(safeNext(next)).toBe('/');
    }
  });
  it('carries the current page to the login page', () => {
    expect(loginUrl('/workbench/lost?x=1')).toBe('/login?next=%2Fworkbench%2Flost%3Fx%3D1');
    expect(loginUrl('/')).toBe('/login');
  });
});
