import { describe, expect, it } from 'vitest';
import {
  assertTimezone,
  DEFAULT_TIMEZONE,
  endOfLocalDayEpochSeconds,
  InvalidTimezoneError,
  instantsOfLocalTime,
  isBusinessHours,
  isValidTimezone,
  localDateAt,
  localDateTimeAt,
  localTimeOf,
  minutesOf,
  nextBusinessDayAt,
  resolveTimezone,
  startOfLocalDay,
  toUtc,
} from '../../lib/time/tenant-clock.ts';
import { ALL_ZONES, transitionDays } from '../support/zones.ts';

const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

describe('timezone validation', () => {
  it.each(['Europe/Madrid', 'America/Argentina/Buenos_Aires', 'Asia/Kathmandu', 'Etc/GMT+5', 'UTC'])(
    'accepts the IANA zone %s',
    (zone) => {
      expect(isValidTimezone(zone)).toBe(true);
    },
  );

  it.each(['Mars/Olympus', '+02:00', 'UTC+2', '', 'europe madrid', 42, null])(
    'rejects %s with a message naming the value',
    (zone) => {
      expect(() => assertTimezone(zone)).toThrow(InvalidTimezoneError);
      expect(() => assertTimezone(zone)).toThrow(/is not an IANA timezone/);
    },
  );

  it('falls back to the default for a missing or invalid stored value and reports only the invalid one', () => {
    const reported: unknown[] = [];
    expect(resolveTimezone(undefined, (v) => reported.push(v))).toBe(DEFAULT_TIMEZONE);
    expect(resolveTimezone('Not/AZone', (v) => reported.push(v))).toBe('Europe/Madrid');
    expect(resolveTimezone('Asia/Tokyo', (v) => reported.push(v))).toBe('Asia/Tokyo');
    expect(reported).toEqual(['Not/AZone']);
  });
});

describe('local dates and times', () => {
  it('turns a time of day into minutes after midnight and back, on a 24-hour clock', () => {
    expect(['00:00', '05:30', '23:59'].map(minutesOf)).toEqual([0, 330, 1439]);
    expect([0, 330, 1439, 1470, -30].map(localTimeOf)).toEqual(['00:00', '05:30', '23:59', '00:30', '23:30']);
  });

  it('gives the tenant-local calendar date of an instant, which differs across zones', () => {
    const instant = new Date('2026-11-28T23:30:00Z');
    expect(localDateAt(instant, 'Europe/Madrid')).toBe('2026-11-29');
    expect(localDateAt(instant, 'America/Mexico_City')).toBe('2026-11-28');
    expect(localDateAt('2026-11-28T18:15:00Z', 'Asia/Kathmandu')).toBe('2026-11-29');
    expect(localDateAt('2026-11-28T18:14:59Z', 'Asia/Kathmandu')).toBe('2026-11-28');
  });

  it('gives the local date-time with the offset in force', () => {
    expect(localDateTimeAt(new Date('2026-07-01T10:00:00Z'), 'Europe/Madrid')).toBe('2026-07-01T12:00:00+02:00');
    expect(localDateTimeAt(new Date('2026-12-01T10:00:00Z'), 'Europe/Madrid')).toBe('2026-12-01T11:00:00+01:00');
  });

  it('converts local wall time to UTC on ordinary days', () => {
    expect(toUtc('2026-11-28', '05:30', 'Asia/Kolkata').toISOString()).toBe('2026-11-28T00:00:00.000Z');
    expect(toUtc('2026-11-28', '05:30', 'Asia/Kathmandu').toISOString()).toBe('2026-11-27T23:45:00.000Z');
  });
});

describe('DST changes', () => {
  it('finds no instant for a skipped local time, and resolves toUtc to the first existing instant after it', () => {
    // New York springs forward at 02:00 on 2026-03-08: 02:30 never happens; 03:00 EDT is the change.
    expect(instantsOfLocalTime('2026-03-08', '02:30', 'America/New_York')).toEqual([]);
    expect(toUtc('2026-03-08', '02:30', 'America/New_York').toISOString()).toBe('2026-03-08T07:00:00.000Z');
    // Lord Howe moves 30 minutes: 02:15 resolves to 02:30 (+11:00).
    expect(toUtc('2026-10-04', '02:15', 'Australia/Lord_Howe').toISOString()).toBe('2026-10-03T15:30:00.000Z');
  });

  it.each([
    // Nuuk has no 23:00 on 2026-03-28: the next instant is midnight of the 29th (−01:00).
    ['America/Nuuk', '2026-03-28', '23:00', '2026-03-29T01:00:00.000Z', '2026-03-29T00:00:00'],
    // Easter Island has no 22:00 on 2026-09-05: 23:00 (−05:00) comes next.
    ['Pacific/Easter', '2026-09-05', '22:00', '2026-09-06T04:00:00.000Z', '2026-09-05T23:00:00'],
  ])('resolves a skipped evening hour in %s on %s %s to the next existing one', (zone, date, time, utc, local) => {
    expect(instantsOfLocalTime(date, time, zone)).toEqual([]);
    expect(toUtc(date, time, zone).toISOString()).toBe(utc);
    expect(localDateTimeAt(toUtc(date, time, zone), zone).slice(0, 19)).toBe(local);
  });

  it('finds both instants of a repeated local time and resolves toUtc to the first', () => {
    // New York falls back at 02:00 on 2026-11-01: 01:30 happens at −04:00 and again at −05:00.
    expect(iso(instantsOfLocalTime('2026-11-01', '01:30', 'America/New_York'))).toEqual([
      '2026-11-01T05:30:00.000Z',
      '2026-11-01T06:30:00.000Z',
    ]);
    expect(toUtc('2026-11-01', '01:30', 'America/New_York').toISOString()).toBe('2026-11-01T05:30:00.000Z');
  });

  it.each([
    ['America/Santiago', '2026-09-06', '2026-09-06T04:00:00.000Z'],
    ['America/Havana', '2026-03-08', '2026-03-08T05:00:00.000Z'],
    ['Africa/Cairo', '2026-04-24', '2026-04-23T22:00:00.000Z'],
    ['Asia/Beirut', '2026-03-29', '2026-03-28T22:00:00.000Z'],
  ])('starts the day at 01:00 when midnight is skipped in %s on %s', (zone, date, expected) => {
    expect(instantsOfLocalTime(date, '00:00', zone)).toEqual([]);
    expect(startOfLocalDay(date, zone).toISOString()).toBe(expected);
    expect(localDateTimeAt(startOfLocalDay(date, zone), zone)).toMatch(/T01:00:00/);
  });

  it.each([
    ['America/Havana', '2026-11-01', '2026-11-01T04:00:00.000Z'],
    ['Atlantic/Azores', '2026-10-25', '2026-10-25T00:00:00.000Z'],
  ])('starts the day at the first of two midnights in %s on %s', (zone, date, expected) => {
    expect(instantsOfLocalTime(date, '00:00', zone)).toHaveLength(2);
    expect(startOfLocalDay(date, zone).toISOString()).toBe(expected);
  });

  it('ends a local day at the start of the next one, wherever that falls', () => {
    // Santiago's 2026-09-06 starts at 01:00 (−03:00), so 2026-09-05 lasts 23 hours.
    expect(endOfLocalDayEpochSeconds('2026-09-05', 'America/Santiago')).toBe(Date.parse('2026-09-06T04:00:00Z') / 1000);
    expect(endOfLocalDayEpochSeconds('2026-11-28', 'Europe/Madrid')).toBe(Date.parse('2026-11-28T23:00:00Z') / 1000);
    // Azores: the 24 h after the first midnight of 2026-10-25 plus the repeated hour.
    expect(endOfLocalDayEpochSeconds('2026-10-25', 'Atlantic/Azores') - Date.parse('2026-10-25T00:00:00Z') / 1000).toBe(
      25 * 3600,
    );
  });

  it('finds the tz database facts of the spec for 2026–2028 in every zone', () => {
    let skippedMidnights = 0;
    let repeatedMidnights = 0;
    let oddTwoThirty = 0;
    const skippedMidnightZones = new Set<string>();
    const repeatedMidnightZones = new Set<string>();
    for (const zone of ALL_ZONES) {
      for (const date of transitionDays(zone)) {
        // The job times exist exactly once on every day, in every zone.
        for (const time of ['05:30', '05:50', '06:00'])
          expect(instantsOfLocalTime(date, time, zone), `${zone} ${date} ${time}`).toHaveLength(1);
        const midnights = instantsOfLocalTime(date, '00:00', zone).length;
        if (midnights === 0) {
          skippedMidnights += 1;
          skippedMidnightZones.add(zone);
        }
        if (midnights === 2) {
          repeatedMidnights += 1;
          repeatedMidnightZones.add(zone);
        }
        if (instantsOfLocalTime(date, '02:30', zone).length !== 1) oddTwoThirty += 1;
      }
    }
    for (const zone of ['America/Santiago', 'America/Havana', 'Africa/Cairo', 'Asia/Beirut'])
      expect(skippedMidnightZones).toContain(zone);
    for (const zone of ['America/Havana', 'Atlantic/Azores']) expect(repeatedMidnightZones).toContain(zone);
    expect(skippedMidnights).toBeGreaterThan(0);
    expect(repeatedMidnights).toBeGreaterThan(0);
    expect(oddTwoThirty).toBeGreaterThan(100);
  });
});

describe('business days', () => {
  it('knows business hours in the tenant zone', () => {
    // Saturday 2026-11-28 10:00 in Madrid is 09:00Z; Sunday is closed by default.
    expect(isBusinessHours(new Date('2026-11-28T09:00:00Z'), 'Europe/Madrid')).toBe(true);
    expect(isBusinessHours(new Date('2026-11-28T04:30:00Z'), 'Europe/Madrid')).toBe(false);
    expect(isBusinessHours(new Date('2026-11-29T09:00:00Z'), 'Europe/Madrid')).toBe(false);
  });

  it('gives the next business day at a local time, skipping non-working weekdays', () => {
    // From Saturday in Madrid, the next business day is Monday 2026-11-30 at 06:00 (+01:00).
    expect(nextBusinessDayAt(new Date('2026-11-28T12:00:00Z'), '06:00', 'Europe/Madrid').toISOString()).toBe(
      '2026-11-30T05:00:00.000Z',
    );
    expect(
      nextBusinessDayAt(
        new Date('2026-11-28T12:00:00Z'),
        '06:00',
        'Europe/Madrid',
        [1, 2, 3, 4, 5, 6, 7],
      ).toISOString(),
    ).toBe('2026-11-29T05:00:00.000Z');
  });
});
