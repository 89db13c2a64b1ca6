// Test support: the zones to check exhaustively, and the days on which each changes its UTC offset.
import { IANAZone } from 'luxon';
import { addDays } from '../../lib/time/tenant-clock.ts';

/** Every canonical zone the runtime knows, plus zones this product is demonstrated in. */
export const ALL_ZONES = [
  ...new Set([...Intl.supportedValuesOf('timeZone'), 'Asia/Kathmandu', 'Asia/Kolkata', 'UTC']),
].filter((z) => IANAZone.isValidZone(z));

/** Zone-days (2026–2028) on which the UTC offset changes: the only days a local time can be skipped or repeated. */
export function transitionDays(zone: string, from = '2026-01-01', to = '2028-12-31'): string[] {
  const tz = IANAZone.create(zone);
  const days: string[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) {
    const ms = Date.parse(`${date}T00:00:00Z`);
    // Wide enough that every local day's changes fall between the two samples.
    if (tz.offset(ms - 15 * 3_600_000) !== tz.offset(ms + 39 * 3_600_000)) days.push(date);
  }
  return days;
}
