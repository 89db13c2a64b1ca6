import { describe, expect, it } from 'vitest';
import { firingsBetween } from '../../lib/jobs/job-table.ts';
import { firstSilenceAlarm, zoneSilenceAlarm } from '../../lib/metrics/zone-alarm.ts';
import { addDays } from '../../lib/time/tenant-clock.ts';
import { ALL_ZONES, transitionDays } from '../support/zones.ts';

const runs = (zone: string, from: string, to: string) =>
  firingsBetween('production', zone, new Date(`${from}T00:00:00Z`), new Date(`${to}T00:00:00Z`)).map(
    (f) => new Date(f.scheduledTime),
  );

describe('the scheduler-silence alarm', () => {
  it('never fires around any 22- to 26-hour local day of 2026–2028, in any zone', () => {
    let checked = 0;
    const lengths = new Set<number>();
    for (const zone of ALL_ZONES) {
      const alarm = zoneSilenceAlarm(zone);
      for (const day of transitionDays(zone)) {
        const daily = runs(zone, addDays(day, -3), addDays(day, 4));
        for (let i = 1; i < daily.length; i += 1)
          lengths.add(Math.round((daily[i]!.getTime() - daily[i - 1]!.getTime()) / 3_600_000));
        expect(firstSilenceAlarm(daily, daily[0]!, daily.at(-1)!, alarm), `${zone} around ${day}`).toBeNull();
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(1000);
    // The days between runs include Troll's 22- and 26-hour days and the common 23 and 25.
    expect([...lengths].sort((a, b) => a - b)).toEqual(expect.arrayContaining([22, 23, 24, 25, 26]));
  });

  it("fires when one day's run is missed, whatever the zone and the day's length", () => {
    for (const zone of ['Antarctica/Troll', 'Europe/Madrid', 'Asia/Kathmandu', 'Pacific/Chatham', 'America/Santiago']) {
      const alarm = zoneSilenceAlarm(zone);
      for (const day of transitionDays(zone).slice(0, 4)) {
        const daily = runs(zone, addDays(day, -3), addDays(day, 4));
        const missed = daily.filter((_, i) => i !== 3);
        const fired = firstSilenceAlarm(missed, daily[0]!, daily.at(-1)!, alarm);
        expect(fired, `${zone} missing ${daily[3]!.toISOString()}`).not.toBeNull();
        // It fires 27 hours after the last run, give or take the period alignment.
        const hoursAfterLastRun = (fired!.getTime() - daily[2]!.getTime()) / 3_600_000;
        expect(hoursAfterLastRun).toBeGreaterThanOrEqual(27);
        expect(hoursAfterLastRun).toBeLessThanOrEqual(28);
      }
    }
  });
});
