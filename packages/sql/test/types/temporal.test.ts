import { describe, expect, it } from 'vitest';
import {
  addMonthsToDate,
  addMonthsToTimestamp,
  civilFromDays,
  compileDateTimePattern,
  daysFromCivil,
  formatDate,
  formatTime,
  formatTimestamp,
  formatTimestampIso,
  isoWeek,
  monthsBetweenDates,
  monthsBetweenTimestamps,
  parseDate,
  parseTime,
  parseTimestamp,
  timeZone,
  truncateToPrecision,
} from '../../src/types/temporal.js';
import { date, ts } from '../functions/helpers.js';

const H = 3_600_000;

describe('calendar arithmetic', () => {
  it('converts days and civil dates both ways, as Date.UTC does', () => {
    const out = [0, 0, 0];
    for (let y = 1583; y <= 2400; y += 7) {
      for (const [m, d] of [
        [1, 1],
        [2, 28],
        [2, 29],
        [3, 1],
        [12, 31],
      ] as const) {
        if (m === 2 && d === 29 && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0))) continue;
        const days = daysFromCivil(y, m, d);
        expect(days).toBe(Date.UTC(y, m - 1, d) / 86_400_000);
        civilFromDays(days, out);
        expect(out).toEqual([y, m, d]);
      }
    }
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(daysFromCivil(1969, 12, 31)).toBe(-1);
    expect(daysFromCivil(1, 1, 1)).toBe(-719162);
  });

  it('adds months clamping to the end of the month', () => {
    expect(addMonthsToDate(date(2020, 1, 31), 1)).toBe(date(2020, 2, 29));
    expect(addMonthsToDate(date(2021, 1, 31), 1)).toBe(date(2021, 2, 28));
    expect(addMonthsToDate(date(2020, 3, 31), -1)).toBe(date(2020, 2, 29));
    expect(addMonthsToDate(date(2020, 12, 15), 14)).toBe(date(2022, 2, 15));
    expect(addMonthsToTimestamp(ts(2020, 1, 31, 10, 30), 13)).toBe(ts(2021, 2, 28, 10, 30));
  });

  it('counts whole months between dates and timestamps (Calcite)', () => {
    expect(monthsBetweenDates(date(2020, 2, 29), date(2020, 1, 31))).toBe(1);
    expect(monthsBetweenDates(date(2020, 3, 30), date(2020, 1, 31))).toBe(1);
    expect(monthsBetweenDates(date(2020, 1, 31), date(2020, 3, 30))).toBe(-1);
    expect(monthsBetweenDates(date(2021, 1, 1), date(2020, 1, 1))).toBe(12);
    expect(monthsBetweenTimestamps(ts(2020, 2, 1, 9), ts(2020, 1, 1, 10))).toBe(0);
    expect(monthsBetweenTimestamps(ts(2020, 2, 1, 10), ts(2020, 1, 1, 10))).toBe(1);
  });

  it('computes ISO weeks', () => {
    expect(isoWeek(date(1994, 9, 27))).toBe(39);
    expect(isoWeek(date(2021, 1, 3))).toBe(53);
    expect(isoWeek(date(2019, 12, 30))).toBe(1);
  });
});

describe('text of DATE, TIME and TIMESTAMP', () => {
  it('formats dates, times and timestamps as Flink', () => {
    expect(formatDate(0)).toBe('1970-01-01');
    expect(formatDate(-1)).toBe('1969-12-31');
    expect(formatDate(date(1, 2, 3))).toBe('0001-02-03');
    expect(formatTime(45296789, 3)).toBe('12:34:56.789');
    expect(formatTime(45296500, 3)).toBe('12:34:56.5');
    expect(formatTime(45296789, 0)).toBe('12:34:56');
    expect(formatTimestamp(ts(2020, 1, 2, 3, 4, 5), 3)).toBe('2020-01-02 03:04:05.000');
    expect(formatTimestamp(ts(2020, 1, 2, 3, 4, 5, 120), 3)).toBe('2020-01-02 03:04:05.120');
    expect(formatTimestamp(ts(2020, 1, 2, 3, 4, 5), 0)).toBe('2020-01-02 03:04:05');
    expect(formatTimestamp(ts(2020, 1, 2, 3, 4, 5), 6)).toBe('2020-01-02 03:04:05.000000');
    expect(formatTimestamp(ts(1969, 12, 31, 23, 59, 59, 999), 3)).toBe('1969-12-31 23:59:59.999');
    expect(formatTimestampIso(ts(2020, 1, 2, 3, 4, 5))).toBe('2020-01-02T03:04:05');
    expect(formatTimestampIso(ts(2020, 1, 2, 3, 4, 5, 6))).toBe('2020-01-02T03:04:05.006');
  });

  it('parses dates leniently as Flink (one-digit fields, year only, a timestamp text)', () => {
    expect(parseDate('2020-01-05')).toBe(date(2020, 1, 5));
    expect(parseDate('2020-1-5')).toBe(date(2020, 1, 5));
    expect(parseDate(' 2020-01-05')).toBe(date(2020, 1, 5));
    expect(parseDate('2017-12-12 09:30:00.0')).toBe(date(2017, 12, 12));
    expect(parseDate('2020')).toBe(date(2020, 1, 1));
    expect(parseDate('2020-05')).toBe(date(2020, 5, 1));
    expect(parseDate('2020-02-29')).toBe(date(2020, 2, 29));
    for (const s of ['2021-02-29', '2020-13-01', '2020-00-10', 'abc', '', '2020-01-x']) expect(parseDate(s)).toBeNull();
  });

  it('parses times, rounding the fraction to milliseconds', () => {
    expect(parseTime('12:34:56')).toBe(45296000);
    expect(parseTime('12:34:56.7895')).toBe(45296790);
    expect(parseTime('1:2:3')).toBe(3723000);
    expect(parseTime('12:34')).toBe(45240000);
    for (const s of ['24:00:00', '12:60:00', 'x', '']) expect(parseTime(s)).toBeNull();
  });

  it('parses timestamps in the SQL and ISO forms, truncating to the precision', () => {
    expect(parseTimestamp('2020-01-02 03:04:05.123456', 3)).toBe(ts(2020, 1, 2, 3, 4, 5, 123));
    expect(parseTimestamp('2020-01-02 03:04:05.987', 0)).toBe(ts(2020, 1, 2, 3, 4, 5));
    expect(parseTimestamp('2020-01-02 03:04:05.987', 1)).toBe(ts(2020, 1, 2, 3, 4, 5, 900));
    expect(parseTimestamp('2020-01-02T03:04:05')).toBe(ts(2020, 1, 2, 3, 4, 5));
    expect(parseTimestamp('2020-1-2 3:4:5')).toBe(ts(2020, 1, 2, 3, 4, 5));
    expect(parseTimestamp('2020-01-02')).toBe(ts(2020, 1, 2));
    expect(parseTimestamp('2020-01-02 03:04')).toBe(ts(2020, 1, 2, 3, 4));
    // java.time's smart resolver: a day past the month's end is its last day
    expect(parseTimestamp('2020-02-30 00:00:00')).toBe(ts(2020, 2, 29));
    for (const s of ['2020-01-02 25:00:00', '2020-13-02', 'x', '2020-01-02 03']) expect(parseTimestamp(s)).toBeNull();
    expect(truncateToPrecision(ts(2020, 1, 1, 0, 0, 0, 987), 1)).toBe(ts(2020, 1, 1, 0, 0, 0, 900));
  });
});

describe('time zones', () => {
  it('knows IANA zones, offsets, UTC and Java short ids', () => {
    const sh = timeZone('Asia/Shanghai')!;
    expect(sh.offsetAt(Date.UTC(2024, 0, 1))).toBe(8 * H);
    expect(sh.toLocal(Date.UTC(2024, 0, 1))).toBe(ts(2024, 1, 1, 8));
    expect(sh.toEpoch(ts(2024, 1, 1, 8))).toBe(Date.UTC(2024, 0, 1));
    expect(timeZone('+08:00')!.offsetAt(0)).toBe(8 * H);
    expect(timeZone('UTC-5')!.offsetAt(0)).toBe(-5 * H);
    expect(timeZone('GMT+05:30')!.offsetAt(0)).toBe(5.5 * H);
    expect(timeZone('-0330')!.offsetAt(0)).toBe(-3.5 * H);
    expect(timeZone('UTC')!.offsetAt(123)).toBe(0);
    expect(timeZone('Z')!.offsetAt(123)).toBe(0);
    expect(timeZone('PST')!.offsetAt(Date.UTC(2024, 0, 1))).toBe(-8 * H);
    expect(timeZone('Mars/Olympus')).toBeUndefined();
  });

  it('follows America/New_York across the DST changes (gap forward, overlap earlier)', () => {
    const ny = timeZone('America/New_York')!;
    // spring forward: 2024-03-10 02:00 EST -> 03:00 EDT, at 07:00Z
    expect(ny.offsetAt(Date.UTC(2024, 2, 10, 6, 59, 59, 999))).toBe(-5 * H);
    expect(ny.offsetAt(Date.UTC(2024, 2, 10, 7))).toBe(-4 * H);
    expect(ny.toLocal(Date.UTC(2024, 2, 10, 7))).toBe(ts(2024, 3, 10, 3));
    // 02:30 does not exist: moved forward by the gap, 03:30 EDT
    expect(ny.toEpoch(ts(2024, 3, 10, 2, 30))).toBe(Date.UTC(2024, 2, 10, 7, 30));
    expect(ny.toEpoch(ts(2024, 3, 10, 3, 30))).toBe(Date.UTC(2024, 2, 10, 7, 30));
    expect(ny.toEpoch(ts(2024, 3, 10, 1, 30))).toBe(Date.UTC(2024, 2, 10, 6, 30));
    // fall back: 2024-11-03 02:00 EDT -> 01:00 EST at 06:00Z; 01:30 exists twice, the earlier (EDT) wins
    expect(ny.toEpoch(ts(2024, 11, 3, 1, 30))).toBe(Date.UTC(2024, 10, 3, 5, 30));
    expect(ny.toLocal(Date.UTC(2024, 10, 3, 5, 30))).toBe(ts(2024, 11, 3, 1, 30));
    expect(ny.toLocal(Date.UTC(2024, 10, 3, 6, 30))).toBe(ts(2024, 11, 3, 1, 30));
    // far in the past and future
    expect(ny.offsetAt(Date.UTC(1950, 0, 1))).toBe(-5 * H);
    expect(ny.offsetAt(Date.UTC(2100, 6, 1))).toBe(-4 * H);
  });

  it('handles a zone with transitions off the hour (Australia/Lord_Howe, 30-minute DST)', () => {
    const lh = timeZone('Australia/Lord_Howe')!;
    expect(lh.offsetAt(Date.UTC(2024, 0, 15))).toBe(11 * H);
    expect(lh.offsetAt(Date.UTC(2024, 6, 15))).toBe(10.5 * H);
    for (const local of [ts(2024, 1, 15, 12), ts(2024, 7, 15, 12)]) expect(lh.toLocal(lh.toEpoch(local))).toBe(local);
  });
});

describe('Java date patterns', () => {
  it('formats the common letters', () => {
    const t = ts(2001, 7, 4, 12, 8, 56, 235);
    expect(compileDateTimePattern('yyyy-MM-dd HH:mm:ss.SSS').format(t)).toBe('2001-07-04 12:08:56.235');
    expect(compileDateTimePattern('EEE, d MMM yyyy hh:mm a').format(t)).toBe('Wed, 4 Jul 2001 12:08 PM');
    expect(compileDateTimePattern("yyyy.MM.dd G 'at' HH:mm:ss").format(t)).toBe('2001.07.04 AD at 12:08:56');
    expect(compileDateTimePattern('yyMMddHHmmss').format(t)).toBe('010704120856');
    expect(compileDateTimePattern('EEEE MMMM dd yy, D, SS').format(t)).toBe('Wednesday July 04 01, 185, 23');
    expect(compileDateTimePattern("h 'o''clock' a").format(t)).toBe("12 o'clock PM");
    expect(compileDateTimePattern('yyyy-MM-dd HH:mm:ss XXX').format(t, 8 * H)).toBe('2001-07-04 12:08:56 +08:00');
    expect(compileDateTimePattern('Z').format(t, -5 * H)).toBe('-0500');
    expect(compileDateTimePattern('SSS', 'legacy').format(ts(2001, 1, 1, 0, 0, 0, 5))).toBe('005');
  });

  it('formats a day-only pattern once per day and every other pattern per instant', () => {
    const day = compileDateTimePattern("yyyy-MM-dd 'day' D, EEE");
    const time = compileDateTimePattern('yyyy-MM-dd HH:mm');
    const instants = [ts(2001, 7, 4, 0, 0), ts(2001, 7, 4, 23, 59), ts(2001, 7, 5, 0, 0), ts(2001, 7, 4, 12, 0), ts(1969, 12, 31, 23, 59), ts(1970, 1, 1, 0, 0)];
    const days = ['2001-07-04 day 185, Wed', '2001-07-04 day 185, Wed', '2001-07-05 day 186, Thu', '2001-07-04 day 185, Wed', '1969-12-31 day 365, Wed', '1970-01-01 day 1, Thu'];
    const times = ['2001-07-04 00:00', '2001-07-04 23:59', '2001-07-05 00:00', '2001-07-04 12:00', '1969-12-31 23:59', '1970-01-01 00:00'];
    for (let round = 0; round < 2; round++) {
      instants.forEach((t, i) => {
        expect(day.format(t)).toBe(days[i]);
        expect(time.format(t)).toBe(times[i]);
      });
    }
  });

  it('parses, with adjacent numeric fields at their width', () => {
    expect(compileDateTimePattern('yyyyMMddHHmmss').parse('20010704120856')).toBe(ts(2001, 7, 4, 12, 8, 56));
    expect(compileDateTimePattern("yyyy-MM-dd'T'HH:mm").parse('2001-07-04T12:08')).toBe(ts(2001, 7, 4, 12, 8));
    expect(compileDateTimePattern('dd MMM yyyy hh:mm a').parse('04 Jul 2001 01:08 PM')).toBe(ts(2001, 7, 4, 13, 8));
    expect(compileDateTimePattern('yy/M/d').parse('01/7/4')).toBe(ts(2001, 7, 4));
    const p = compileDateTimePattern('yyyy-MM-dd HH:mm:ss.SSS X');
    expect(p.parse('1970-01-01 08:00:01.001 +0800')).toBe(ts(1970, 1, 1, 8, 0, 1, 1));
    expect(p.parsedOffset).toBe(8 * H);
    expect(Number.isNaN(compileDateTimePattern('yyyy-MM-dd').parse('2001-07-04x'))).toBe(true);
    expect(Number.isNaN(compileDateTimePattern('yyyy-MM-dd').parse('2001-13-04'))).toBe(true);
  });

  it('reads S as milliseconds and ignores trailing text in the legacy (SimpleDateFormat) flavor', () => {
    expect(compileDateTimePattern('HH:mm:ss.SSS').parse('00:00:01.5')).toBe(1500);
    expect(compileDateTimePattern('HH:mm:ss.SSS', 'legacy').parse('00:00:01.5')).toBe(1005);
    expect(compileDateTimePattern('yyyy-MM-dd', 'legacy').parse('2001-07-04 trailing')).toBe(ts(2001, 7, 4));
    // SimpleDateFormat is lenient: month 13 is January of the next year
    expect(compileDateTimePattern('yyyy-MM-dd', 'legacy').parse('2001-13-04')).toBe(ts(2002, 1, 4));
  });

  it('rejects unsupported pattern letters', () => {
    expect(() => compileDateTimePattern('yyyy-MM-dd B')).toThrow(/unsupported letter 'B'/);
    expect(() => compileDateTimePattern("yyyy 'unterminated")).toThrow(/unterminated quote/);
  });
});
