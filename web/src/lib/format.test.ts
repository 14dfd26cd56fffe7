import { describe, expect, it } from 'vitest';
import { daysBetween, formatAmount, formatCount, formatDay } from './format';

describe('format', () => {
  it('writes counts and amounts with separators', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatAmount(11511.3)).toBe('11,511.30');
    expect(formatAmount(null)).toBe('');
  });
  it('takes the day of a date or a timestamp', () => {
    expect(formatDay('2024-06-01T10:08:37Z')).toBe('2024-06-01');
    expect(formatDay('2026-12-05')).toBe('2026-12-05');
    expect(formatDay(null)).toBe('');
  });
  it('counts whole days across months and leap years', () => {
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2026-12-05', '2026-11-20')).toBe(-15);
    expect(daysBetween('2025-12-31T23:00:00Z', '2026-01-01')).toBe(1);
  });
});
