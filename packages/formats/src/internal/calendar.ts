// Proleptic Gregorian calendar arithmetic on day numbers (days since 1970-01-01), the representation of DATE and the
// day part of TIMESTAMP. Pure integer arithmetic (Howard Hinnant's `days_from_civil` / `civil_from_days`) rather than
// `Date`, because formats convert one value per field per row and a `Date` allocation per value costs more than the
// parsing around it; it is also exact for every year, where `Date` is limited to ±275760 years.

/** Milliseconds per day. @internal */
export const MILLIS_PER_DAY = 86_400_000;

/**
 * The day number of a civil date (month 1-12, day 1-31), e.g. 1970-01-01 → 0.
 *
 * @internal
 */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/**
 * The civil date of a day number, as `[year, month (1-12), day (1-31)]`.
 *
 * @internal
 */
export function civilFromDays(days: number): [number, number, number] {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

/**
 * The number of days of a month (1-12) of a year.
 *
 * @internal
 */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
