import { IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { assertTimezone, InvalidTimezoneError, resolveTimezone } from '../../lib/time/tenant-clock.ts';
import { canonicalZone, isCanonicalZone, knownZoneNames } from '../../lib/time/zone-names.ts';

describe('canonical zone names', () => {
  it.each([
    ['Europe/Madrid', 'Europe/Madrid'],
    ['europe/madrid', 'Europe/Madrid'],
    ['EUROPE/MADRID', 'Europe/Madrid'],
    ['Asia/Calcutta', 'Asia/Kolkata'],
    ['asia/katmandu', 'Asia/Kathmandu'],
    ['US/Eastern', 'America/New_York'],
    ['GB-Eire', 'Europe/London'],
    ['NZ-CHAT', 'Pacific/Chatham'],
    ['W-SU', 'Europe/Moscow'],
    ['GMT0', 'Etc/GMT'],
    ['UTC', 'Etc/UTC'],
    ['EST5EDT', 'America/New_York'],
    ['cet', 'Europe/Brussels'],
    ['America/Argentina/Buenos_Aires', 'America/Argentina/Buenos_Aires'],
  ])('resolves %s to %s', (input, canonical) => {
    expect(canonicalZone(input)).toBe(canonical);
    expect(assertTimezone(input)).toBe(canonical);
  });

  it.each([
    'Mars/Olympus',
    '+02:00',
    'UTC+2',
    'Europe/Madrid ',
    ' Europe/Madrid',
    'Europe//Madrid',
    'Europe',
    '',
    'x'.repeat(65),
  ])('refuses %j', (input) => {
    expect(canonicalZone(input)).toBeNull();
    expect(() => assertTimezone(input)).toThrow(InvalidTimezoneError);
  });

  it('knows every zone and link of the tz database as the runtime does (597 names), each resolving to a canonical zone the runtime accepts', () => {
    const names = knownZoneNames();
    expect(names.length).toBe(597);
    for (const name of names) {
      const canonical = canonicalZone(name)!;
      expect(isCanonicalZone(canonical), name).toBe(true);
      expect(IANAZone.isValidZone(canonical), canonical).toBe(true);
      // An alias and its zone keep the same clock.
      const at = Date.parse('2027-07-01T12:00:00Z');
      expect(IANAZone.create(name).offset(at), name).toBe(IANAZone.create(canonical).offset(at));
    }
    for (const zone of Intl.supportedValuesOf('timeZone')) expect(canonicalZone(zone), zone).not.toBeNull();
  });

  it('resolves the legacy names IANA 2024b made links to the zone of the same clock (2026–2028): one schedule per clock', () => {
    const legacy = {
      CET: 'Europe/Brussels',
      CST6CDT: 'America/Chicago',
      EET: 'Europe/Athens',
      EST: 'America/Panama',
      EST5EDT: 'America/New_York',
      HST: 'Pacific/Honolulu',
      MET: 'Europe/Brussels',
      MST: 'America/Phoenix',
      MST7MDT: 'America/Denver',
      PST8PDT: 'America/Los_Angeles',
      WET: 'Europe/Lisbon',
    };
    for (const [name, zone] of Object.entries(legacy)) {
      expect(canonicalZone(name), name).toBe(zone);
      expect(isCanonicalZone(name), name).toBe(false);
      const differs: string[] = [];
      for (let at = Date.parse('2026-01-01T00:00:00Z'); at < Date.parse('2029-01-01T00:00:00Z'); at += 3_600_000)
        if (IANAZone.create(name).offset(at) !== IANAZone.create(zone).offset(at))
          differs.push(new Date(at).toISOString());
      expect(differs, name).toEqual([]);
    }
  });

  it('reads a stored alias as its canonical zone', () => {
    expect(resolveTimezone('US/Eastern')).toBe('America/New_York');
  });
});
