import { describe, expect, it } from 'vitest';
import { civilFromDays, daysFromCivil, daysInMonth } from '../../src/internal/calendar.js';

describe('calendar', () => {
  it('agrees with Date.UTC over four centuries around the epoch, both ways', () => {
    for (let days = -146_097 * 2; days <= 146_097 * 2; days += 37) {
      const d = new Date(days * 86_400_000);
      const civil: [number, number, number] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
      expect(civilFromDays(days)).toEqual(civil);
      expect(daysFromCivil(...civil)).toBe(days);
    }
  });

  it('knows the epoch, year 0 and far years', () => {
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(civilFromDays(-719_528)).toEqual([0, 1, 1]);
    expect(civilFromDays(daysFromCivil(9999, 12, 31))).toEqual([9999, 12, 31]);
    expect(civilFromDays(daysFromCivil(-44, 3, 15))).toEqual([-44, 3, 15]);
  });

  it('knows leap years', () => {
    expect([daysInMonth(2000, 2), daysInMonth(1900, 2), daysInMonth(2024, 2), daysInMonth(2023, 2), daysInMonth(2023, 4)]).toEqual([29, 28, 29, 28, 30]);
  });
});
