import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DailyJobName, firingsBetween, PLANNING_JOB_NAMES } from '../../lib/jobs/job-table.ts';
import { CATCH_UP_WINDOW_HOURS, catchUpSequences, lastFiredDate, zoneHandover } from '../../lib/jobs/zone-handover.ts';
import { addDays, daysBetween, localDateAt } from '../../lib/time/tenant-clock.ts';
import { canonicalZone, knownZoneNames } from '../../lib/time/zone-names.ts';

const ZONES = [...new Set(knownZoneNames().map((name) => canonicalZone(name)!))];
const DAY = 86_400_000;

const NEVER_DUE = () => false;
const datesOf = (job: DailyJobName, zone: string, from: Date, to: Date) =>
  firingsBetween(job, zone, from, to).map((f) => localDateAt(f.scheduledTime, zone));

/**
 * What a job plans across a zone change at `at`: the old zone's firings before, the catch-up, the new
 * zone's after it.
 */
function sides(job: DailyJobName, from: string, to: string, at: Date, arrived?: Date) {
  const handover = zoneHandover(from, to, at, NEVER_DUE, arrived)[job];
  const before = datesOf(job, from, new Date(at.getTime() - 3 * DAY), new Date(at.getTime() + 1));
  const after = datesOf(job, to, new Date(at.getTime() + 1), new Date(at.getTime() + 4 * DAY)).filter(
    (date) => date > handover.plannedThrough,
  );
  const windowStart = Math.max(at.getTime() - CATCH_UP_WINDOW_HOURS * 3_600_000, arrived?.getTime() ?? 0);
  const inWindow = datesOf(job, from, new Date(windowStart), new Date(at.getTime() + 1));
  return { before, catchUp: handover.catchUp, after, inWindow };
}

describe('a zone change', () => {
  it('plans every local date, and the new zone none the old zone or the catch-up has, for random zone pairs and instants (2026–2028)', () => {
    const instant = fc
      .integer({ min: Date.parse('2026-01-03T00:00:00Z'), max: Date.parse('2028-12-27T00:00:00Z') })
      .map((ms) => new Date(ms));
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.constantFrom(...ZONES),
        instant,
        fc.constantFrom(...PLANNING_JOB_NAMES),
        fc.option(fc.integer({ min: 1, max: 6 * 24 * 60 }), { nil: undefined }),
        (from, to, at, job, arrivedMinutesBefore) => {
          const arrived =
            arrivedMinutesBefore === undefined ? undefined : new Date(at.getTime() - arrivedMinutesBefore * 60_000);
          const { before, catchUp, after, inWindow } = sides(job, from, to, at, arrived);
          const label = `${job} ${from} → ${to} at ${at.toISOString()}, arrived ${arrived?.toISOString()}`;
          const sorted = [...new Set([...before, ...catchUp, ...after])].sort();
          expect(daysBetween(sorted[0]!, sorted.at(-1)!), `${label}: ${sorted.join(' ')}`).toBe(sorted.length - 1);
          // The new zone's firings never repeat a date of the catch-up, nor of the old zone's (but cleanup, which
          // follows the new zone's clock: a date the old zone cleaned already is a duplicate by its key). Every
          // date the old zone fired since the tenant arrived, within the window, runs again (its fan-out may not
          // have seen the tenant): by the catch-up, in order, without a duplicate — or a cleanup by the new zone.
          expect(
            after.filter((d) => catchUp.includes(d) || (job !== 'cleanup' && before.includes(d))),
            label,
          ).toEqual([]);
          expect(
            inWindow.filter((d) => !catchUp.includes(d) && !(job === 'cleanup' && after.includes(d))),
            label,
          ).toEqual([]);
          expect(catchUp, label).toEqual([...new Set(catchUp)].sort());
          // A cleanup is never caught up for a date whose cleanup time has not come in the new zone.
          if (job === 'cleanup')
            expect(
              catchUp.filter((d) => d > lastFiredDate('cleanup', to, at)),
              label,
            ).toEqual([]);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it("catches up Madrid's 2027-01-15 after a move from Los Angeles at 06:00Z, and lets Madrid plan from the 16th", () => {
    const at = new Date('2027-01-15T06:00:00Z');
    const handover = zoneHandover('America/Los_Angeles', 'Europe/Madrid', at, (date) => date < '2027-01-15');
    // The 15th no firing plans; the 11th–14th Los Angeles fired within the window: enqueued again.
    expect(handover.production).toEqual({
      plannedThrough: '2027-01-15',
      catchUp: ['2027-01-11', '2027-01-12', '2027-01-13', '2027-01-14', '2027-01-15'],
    });
    const all = ['production', 'cleanup', 'procurement', 'review'];
    expect(catchUpSequences(handover)).toEqual([
      { planDate: '2027-01-11', jobs: all },
      { planDate: '2027-01-12', jobs: all },
      { planDate: '2027-01-13', jobs: all },
      { planDate: '2027-01-14', jobs: all },
      { planDate: '2027-01-15', jobs: ['production', 'cleanup', 'procurement'] },
    ]);
  });

  it('does not plan a date twice after a move west: the new zone skips the date the old one planned', () => {
    const handover = zoneHandover('Europe/Madrid', 'America/Los_Angeles', new Date('2027-01-15T06:00:00Z'), NEVER_DUE);
    expect(handover.production).toEqual({
      plannedThrough: '2027-01-15',
      catchUp: ['2027-01-12', '2027-01-13', '2027-01-14', '2027-01-15'],
    });
  });

  it('catches up the date in between when the move crosses nearly a day (Midway → Chatham, 24¾ hours apart)', () => {
    const at = new Date('2027-01-15T16:50:00Z'); // 05:50 on the 15th in Midway (production done), 06:35 on the 16th in Chatham
    const handover = zoneHandover('Pacific/Midway', 'Pacific/Chatham', at, NEVER_DUE);
    expect(handover.production.catchUp).toEqual(['2027-01-12', '2027-01-13', '2027-01-14', '2027-01-15', '2027-01-16']);
    const { before, catchUp, after } = sides('production', 'Pacific/Midway', 'Pacific/Chatham', at);
    expect([...new Set([...before, ...catchUp, ...after])].sort()).toEqual([
      '2027-01-12',
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
    const created = zoneHandover(null, 'Europe/Madrid', new Date('2027-01-15T05:10:00Z'), NEVER_DUE); // 06:10 in Madrid
    expect(catchUpSequences(created)).toEqual([
      { planDate: '2027-01-15', jobs: ['production', 'cleanup', 'procurement'] },
    ]);
    const early = zoneHandover(null, 'Europe/Madrid', new Date('2027-01-15T04:40:00Z'), NEVER_DUE); // 05:40: production passed only
    expect(catchUpSequences(early)).toEqual([{ planDate: '2027-01-15', jobs: ['production'] }]);
    expect(early.procurement.plannedThrough).toBe(addDays('2027-01-15', -1));
  });
});
