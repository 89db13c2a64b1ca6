// The tenant's clock: IANA zones, local calendar dates, business days and the instants used for TTLs.
// Pure functions over luxon; every "now" is passed in so that callers (and tests) control time.

import { DateTime, IANAZone } from 'luxon';
import { PlannerError } from '../errors.ts';
import { canonicalZone } from './zone-names.ts';

export const DEFAULT_TIMEZONE = 'Europe/Madrid';

/** A local calendar date, `YYYY-MM-DD`. */
export type LocalDate = string;
/** A local wall-clock time, `HH:mm`. */
export type LocalTime = string;

export class InvalidTimezoneError extends PlannerError {
  constructor(readonly timezone: unknown) {
    super(
      'invalid',
      `"${String(timezone)}" is not an IANA timezone. Use a name from the tz database such as ` +
        `"Europe/Madrid", "America/Mexico_City" or "Asia/Kolkata".`,
      { field: 'timezone' },
    );
  }
}

/** A zone or link name of the tz database, in any case ("europe/madrid", "Asia/Calcutta", "US/Eastern"). */
export function isValidTimezone(timezone: unknown): timezone is string {
  return canonicalZone(timezone) !== null;
}

/** For writes: the canonical zone name, or an InvalidTimezoneError naming what is wrong. */
export function assertTimezone(timezone: unknown): string {
  const canonical = canonicalZone(timezone);
  if (canonical === null) throw new InvalidTimezoneError(timezone);
  return canonical;
}

/**
 * For reads: the canonical zone name. A stored value that is missing means the default; one that is
 * invalid also falls back to the default, and `onInvalid` is told so that it can be logged.
 */
export function resolveTimezone(timezone: unknown, onInvalid?: (value: unknown) => void): string {
  if (timezone === undefined || timezone === null || timezone === '') return DEFAULT_TIMEZONE;
  const canonical = canonicalZone(timezone);
  if (canonical !== null) return canonical;
  onInvalid?.(timezone);
  return DEFAULT_TIMEZONE;
}

function zoned(instant: Date | string, timezone: string): DateTime {
  const dt = typeof instant === 'string' ? DateTime.fromISO(instant, { setZone: true }) : DateTime.fromJSDate(instant);
  if (!dt.isValid) throw new RangeError(`Not a valid instant: ${String(instant)}`);
  return dt.setZone(timezone);
}

/** The tenant-local calendar date at an instant. */
export function localDateAt(instant: Date | string, timezone: string): LocalDate {
  return zoned(instant, timezone).toISODate()!;
}

/** The tenant-local date and time at an instant, ISO-8601 with the offset in force. */
export function localDateTimeAt(instant: Date | string, timezone: string): string {
  return zoned(instant, timezone).toISO({ suppressMilliseconds: true })!;
}

const DAY_MS = 86_400_000;

/** Milliseconds of a calendar date's UTC midnight: calendar arithmetic needs no zone (and is hot). */
function dateMs(date: LocalDate): number {
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new RangeError(`Not a date as YYYY-MM-DD: ${date}`);
  return ms;
}

/** The later of two local dates (ISO dates order as strings). */
export function laterDate(a: LocalDate, b: LocalDate): LocalDate {
  return a > b ? a : b;
}

/** The earlier of two local dates. */
export function earlierDate(a: LocalDate, b: LocalDate): LocalDate {
  return a < b ? a : b;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return new Date(dateMs(date) + days * DAY_MS).toISOString().slice(0, 10);
}

export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((dateMs(to) - dateMs(from)) / DAY_MS);
}

const weekdays = new Map<LocalDate, number>();

/** ISO weekday of a local date: 1 = Monday … 7 = Sunday. (Memoised: forecasting asks for the same dates often.) */
export function weekdayOf(date: LocalDate): number {
  let weekday = weekdays.get(date);
  if (weekday === undefined) {
    weekday = ((new Date(dateMs(date)).getUTCDay() + 6) % 7) + 1;
    if (weekdays.size > 50_000) weekdays.clear();
    weekdays.set(date, weekday);
  }
  return weekday;
}

function parseLocal(date: LocalDate, time: LocalTime) {
  const d = DateTime.fromISO(date, { zone: 'UTC' });
  const match = /^(\d{2}):(\d{2})$/.exec(time);
  if (!d.isValid || !match) throw new RangeError(`Not a local date and time: ${date} ${time}`);
  return { year: d.year, month: d.month, day: d.day, hour: Number(match[1]), minute: Number(match[2]) };
}

/**
 * Every UTC instant at which the local wall clock reads `date time`: none when the time is skipped by
 * a DST change, two when it is repeated, one otherwise. The instant lies within ±14 h of the wall time
 * read as UTC (no zone is further from UTC), and zones change offset at most once in 14 h, so the
 * offsets in force at −14 h, 0 and +14 h are every candidate.
 */
export function instantsOfLocalTime(date: LocalDate, time: LocalTime, timezone: string): Date[] {
  const wallMs = DateTime.fromObject(parseLocal(date, time), { zone: 'UTC' }).toMillis();
  const zone = IANAZone.create(timezone);
  const candidates = new Set([-14, 0, 14].map((h) => zone.offset(wallMs + h * 3_600_000)));
  return [...candidates]
    .map((offsetMinutes) => wallMs - offsetMinutes * 60_000)
    .filter((ms) => zone.offset(ms) === (wallMs - ms) / 60_000)
    .sort((a, b) => a - b)
    .map((ms) => new Date(ms));
}

/**
 * The UTC instant of a local date and time: the first existing instant at or after it. A skipped time
 * resolves to the end of the gap (02:30 on a spring-forward night at 02:00 → 03:00, the change's
 * instant); a repeated time resolves to its first occurrence.
 */
export function toUtc(date: LocalDate, time: LocalTime, timezone: string): Date {
  const exact = instantsOfLocalTime(date, time, timezone);
  if (exact[0]) return exact[0];
  // Skipped: the first instant whose wall clock reads `date time` or later (the wall clock rises through
  // a gap, and no zone changes offset twice within 14 hours).
  const wall = `${date}T${time}`;
  const guess = DateTime.fromObject(parseLocal(date, time), { zone: 'UTC' }).toMillis();
  let lo = guess - 14 * 3_600_000;
  let hi = guess + 14 * 3_600_000;
  while (hi - lo > 60_000) {
    const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
    if (localDateTimeAt(new Date(mid), timezone).slice(0, 16) >= wall) hi = mid;
    else lo = mid;
  }
  return new Date(hi);
}

/** The first instant of a local day, wherever it falls (01:00 when midnight is skipped). */
export function startOfLocalDay(date: LocalDate, timezone: string): Date {
  return toUtc(date, '00:00', timezone);
}

/** The end of a local day is the start of the next local day, as epoch seconds (used for TTLs). */
export function endOfLocalDayEpochSeconds(date: LocalDate, timezone: string): number {
  return Math.floor(startOfLocalDay(addDays(date, 1), timezone).getTime() / 1000);
}

export interface BusinessHours {
  /** Local opening time, `HH:mm`. */
  opens: LocalTime;
  /** Local closing time, `HH:mm` (exclusive). */
  closes: LocalTime;
  /** ISO weekdays the bakery works: 1 = Monday … 7 = Sunday. */
  weekdays: readonly number[];
}

const DEFAULT_BUSINESS_HOURS: BusinessHours = { opens: '06:00', closes: '20:00', weekdays: [1, 2, 3, 4, 5, 6] };

/** Minutes after midnight of a local time ("HH:MM"). */
export function minutesOf(time: LocalTime): number {
  const { hour, minute } = parseLocal('2000-01-01', time);
  return hour * 60 + minute;
}

/** The local time ("HH:MM") `minutes` after midnight, on a 24-hour clock (1,470 → "00:30"). */
export function localTimeOf(minutes: number): LocalTime {
  const wrapped = ((minutes % 1440) + 1440) % 1440;
  return `${String(Math.floor(wrapped / 60)).padStart(2, '0')}:${String(wrapped % 60).padStart(2, '0')}`;
}

export function isBusinessHours(
  instant: Date,
  timezone: string,
  hours: BusinessHours = DEFAULT_BUSINESS_HOURS,
): boolean {
  const local = zoned(instant, timezone);
  const minute = local.hour * 60 + local.minute;
  return hours.weekdays.includes(local.weekday) && minute >= minutesOf(hours.opens) && minute < minutesOf(hours.closes);
}

/**
 * The next business day strictly after the local date of `instant`, at a local time, as a UTC
 * instant (resolved like `toUtc` when the time is skipped or repeated that day).
 */
export function nextBusinessDayAt(
  instant: Date,
  time: LocalTime,
  timezone: string,
  weekdays: readonly number[] = DEFAULT_BUSINESS_HOURS.weekdays,
): Date {
  if (weekdays.length === 0) throw new RangeError('A business week needs at least one working weekday.');
  let date = addDays(localDateAt(instant, timezone), 1);
  while (!weekdays.includes(weekdayOf(date))) date = addDays(date, 1);
  return toUtc(date, time, timezone);
}
