import { describe, expect, it } from 'vitest';
import { appPages, globalKey, isTextField, listTitle, matchPages, nextActive } from './palette';

const key = (key: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }> = {}) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

describe('globalKey', () => {
  it('opens on Ctrl+K and Cmd+K, even in a text field', () => {
    expect(globalKey(key('k', { ctrlKey: true }), true)).toBe('open');
    expect(globalKey(key('K', { metaKey: true }), false)).toBe('open');
    expect(globalKey(key('k', { ctrlKey: true, shiftKey: true }), false)).toBeNull();
    expect(globalKey(key('k'), false)).toBeNull();
  });
  it('takes "/" only outside a text field', () => {
    expect(globalKey(key('/'), false)).toBe('search');
    expect(globalKey(key('/'), true)).toBeNull();
    expect(globalKey(key('/', { ctrlKey: true }), false)).toBeNull();
  });
});

describe('isTextField', () => {
  it('knows where "/" is typed as text', () => {
    expect(isTextField({ tagName: 'INPUT', type: 'text' })).toBe(true);
    expect(isTextField({ tagName: 'INPUT', type: 'search' })).toBe(true);
    expect(isTextField({ tagName: 'TEXTAREA' })).toBe(true);
    expect(isTextField({ tagName: 'SELECT' })).toBe(true);
    expect(isTextField({ tagName: 'DIV', isContentEditable: true })).toBe(true);
    expect(isTextField({ tagName: 'INPUT', type: 'checkbox' })).toBe(false);
    expect(isTextField({ tagName: 'BUTTON' })).toBe(false);
    expect(isTextField(null)).toBe(false);
  });
});

describe('nextActive', () => {
  it('moves with the arrows, wrapping, and jumps with Home and End', () => {
    expect(nextActive(-1, 3, 'ArrowDown')).toBe(0);
    expect(nextActive(2, 3, 'ArrowDown')).toBe(0);
    expect(nextActive(0, 3, 'ArrowUp')).toBe(2);
    expect(nextActive(-1, 3, 'ArrowUp')).toBe(2);
    expect(nextActive(1, 3, 'Home')).toBe(0);
    expect(nextActive(0, 3, 'End')).toBe(2);
  });
  it('does nothing for other keys or no options', () => {
    expect(nextActive(0, 3, 'a')).toBeNull();
    expect(nextActive(-1, 0, 'ArrowDown')).toBeNull();
  });
});

describe('pages', () => {
  const pages = appPages([
    { name: 'contact_today', title: 'Contact today' },
    { name: 'complaints_overdue', title: 'Complaints past their deadline' },
  ]);
  it('lists the pages and each workbench list', () => {
    expect(pages.map((p) => p.href)).toEqual(['/', '/customers', '/complaints', '/workbench/contact_today', '/workbench/complaints_overdue']);
  });
  it('finds pages by every word of the text, ignoring case', () => {
    expect(matchPages(pages, 'COMPL').map((p) => p.href)).toEqual(['/complaints', '/workbench/complaints_overdue']);
    expect(matchPages(pages, 'complaints deadline').map((p) => p.href)).toEqual(['/workbench/complaints_overdue']);
    expect(matchPages(pages, 'workbench list').length).toBe(2);
    expect(matchPages(pages, '  ')).toHaveLength(5);
    expect(matchPages(pages, '+86 769')).toEqual([]);
  });
  it('names a list the API has not named yet', () => {
    expect(listTitle('follow_ups_past_due')).toBe('Follow ups past due');
  });
});
