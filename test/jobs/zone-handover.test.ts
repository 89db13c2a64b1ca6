import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAILY_JOB_NAMES, type DailyJobName, firingsBetween } from '../../lib/jobs/job-table.ts';
import { catchUpSequences, zoneHandover } from '../../lib/jobs/zone-handover.ts';
import { addDays, daysBetween, localDateAt } from '../../lib/time/tenant-clock.ts';
import { canonicalZone, knownZoneNames } from '../../lib/time/zone-names.ts';

const ZONES = [...new Set(knownZoneNames().map((name) => canonicalZone(name)!))];
const DAY = 86_400_000;

/**
 * Every date a job plans across a zone change at `at`: the old zone's firings before, the catch-up, the
 * new zone's after (the review fires several times a day: each side counts a date once).
 */
function plannedDates(job: DailyJobName, from: string, to: string, at: Date): string[] {
  const handover = zoneHandover(from, to, at)[job];
  const before = new Set(
    firingsBetween(job, from, new Date(at.getTime() - 3 * DAY), new Date(at.getTime() + 1)).map((f) =>
      localDateAt(f.scheduledTime, from),
    ),
  );
  const after = new Set(
    firingsBetween(job, to, new Date(at.getTime() + 1), new Date(at.getTime() + 4 * DAY))
      .map((f) => localDateAt(f.scheduledTime, to))
      .filter((date) => date > handover.plannedThrough),
  );
  return [...before, ...handover.catchUp, ...after];
}

describe('a zone change', () => {
  it('plans every local date exactly once, for random zone pairs and instants (2026–2028)', () => {
    const instant = fc
      .integer({ min: Date.parse('2026-01-03T00:00:00Z'), max: Date.parse('2028-12-27T00:00:00Z') })
      .map((ms) => new Date(ms));
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.constantFrom(...ZONES),
        instant,
        fc.constantFrom(...DAILY_JOB_NAMES),
        (from, to, at, job) => {
          const dates = plannedDates(job, from, to, at);
          const sorted = [...dates].sort();
          expect(new Set(dates).size, `${job} ${from} → ${to} at ${at.toISOString()}: ${dates.join(' ')}`).toBe(
            dates.length,
          );
          expect(
            daysBetween(sorted[0]!, sorted.at(-1)!),
            `${from} → ${to} at ${at.toISOString()}: ${sorted.join(' ')}`,
          ).toBe(sorted.length - 1);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it("catches up Madrid's 2027-01-15 after a move from Los Angeles at 06:00Z, and lets Madrid plan from the 16th", () => {
    const handover = zoneHandover('America/Los_Angeles', 'Europe/Madrid', new Date('2027-01-15T06:00:00Z'));
    expect(handover.production).toEqual({ plannedThrough: '2027-01-15', catchUp: ['2027-01-15'] });
    expect(catchUpSequences(handover)).toEqual([
      { planDate: '2027-01-15', jobs: ['production', 'cleanup', 'procurement'] },
    ]);
  });

  it('does not plan a date twice after a move west: the new zone skips the date the old one planned', () => {
    const handover = zoneHandover('Europe/Madrid', 'America/Los_Angeles', new Date('2027-01-15T06:00:00Z'));
    expect(handover.production).toEqual({ plannedThrough: '2027-01-15', catchUp: [] });
  });

  it('catches up the date in between when the move crosses nearly a day (Midway → Chatham, 24¾ hours apart)', () => {
    const at = new Date('2027-01-15T16:50:00Z'); // 05:50 on the 15th in Midway (production done), 06:35 on the 16th in Chatham
    const handover = zoneHandover('Pacific/Midway', 'Pacific/Chatham', at);
    expect(handover.production.catchUp).toEqual(['2027-01-16']);
    expect(plannedDates('production', 'Pacific/Midway', 'Pacific/Chatham', at)).toEqual([
      '2027-01-13',
      '2027-01-14',
      '2027-01-15',
      '2027-01-16',
      '2027-01-17',
      '2027-01-18',
      '2027-01-19',
      '2027-01-20',
    ]);
  });

  it("for a new tenant, owes exactly today's jobs whose time has passed", () => {
    const created = zoneHandover(null, 'Europe/Madrid', new Date('2027-01-15T05:10:00Z')); // 06:10 in Madrid
    expect(catchUpSequences(created)).toEqual([
      { planDate: '2027-01-15', jobs: ['production', 'cleanup', 'procurement'] },
    ]);
    const early = zoneHandover(null, 'Europe/Madrid', new Date('2027-01-15T04:40:00Z')); // 05:40: production passed only
    expect(catchUpSequences(early)).toEqual([{ planDate: '2027-01-15', jobs: ['production'] }]);
    expect(early.procurement.plannedThrough).toBe(addDays('2027-01-15', -1));
  });
});
