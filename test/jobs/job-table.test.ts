import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FanOutRequestSchema, idempotencyKey, TenantJobSchema } from '../../lib/jobs/job-message.ts';
import { cronExpression, firingsBetween, firingTimes, JOB_TABLE, jobDefinition } from '../../lib/jobs/job-table.ts';
import { laneOf, refitWeekdayOf } from '../../lib/jobs/lanes.ts';
import { firingsOfDay } from '../../lib/local/simulate-day.ts';
import { addDays, instantsOfLocalTime, localDateAt } from '../../lib/time/tenant-clock.ts';
import { ALL_ZONES } from '../support/zones.ts';

/**
 * A day's firings: the review at midnight (for a 23:00 deadline a clock change skipped the day before),
 * the model refit at 04:00 (for the tenants whose weekday it is), then the three daily jobs, then the
 * review on each hour from 07:00 to 23:00. An hour the day does not have fires nothing, as EventBridge
 * Scheduler skips it: midnight where a clock change skips it, and 22:00 on the day Easter Island moves
 * its clocks forward at 22:00 (Pacific/Easter, e.g. 2027-09-04); an hour a day has twice fires once.
 */
const REVIEW_HOURS = Array.from({ length: 17 }, (_, i) => `${String(7 + i).padStart(2, '0')}:00`);
const dailyOrder = (zone: string, date: string) => [
  ...(instantsOfLocalTime(date, '00:00', zone).length ? ['review'] : []),
  'model-refit',
  'production',
  'cleanup',
  'procurement',
  ...REVIEW_HOURS.filter((hour) => instantsOfLocalTime(date, hour, zone).length > 0).map(() => 'review'),
];
const DEMO_ZONES = [
  'Europe/Madrid',
  'America/Mexico_City',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'America/Santiago',
  'Australia/Sydney',
  'America/New_York',
  'Europe/Paris',
];

describe('the job table', () => {
  it('defines the model refit at 04:00 on the training lane (spread over the week), production at 05:30, cleanup at 05:50, procurement at 06:00 and the review at midnight and every hour from 07:00 to 23:00 local', () => {
    expect(
      JOB_TABLE.map((j) => [j.name, j.localTimes[0], j.localTimes.length, j.spreadOverWeek ?? false, laneOf(j.name)]),
    ).toEqual([
      ['model-refit', '04:00', 1, true, 'training'],
      ['production', '05:30', 1, false, 'daily'],
      ['cleanup', '05:50', 1, false, 'daily'],
      ['procurement', '06:00', 1, false, 'daily'],
      ['review', '00:00', 18, false, 'daily'],
    ]);
    expect(jobDefinition('review').localTimes.at(-1)).toBe('23:00');
  });

  it('turns each job into a Scheduler cron expression, or every 30 minutes in test mode in the daily order', () => {
    expect(cronExpression('production')).toBe('cron(30 5 * * ? *)');
    expect(cronExpression('cleanup')).toBe('cron(50 5 * * ? *)');
    expect(cronExpression('procurement')).toBe('cron(0 6 * * ? *)');
    expect(cronExpression('production', true)).toBe('cron(0,30 * * * ? *)');
    expect(cronExpression('cleanup', true)).toBe('cron(5,35 * * * ? *)');
    expect(cronExpression('procurement', true)).toBe('cron(10,40 * * * ? *)');
    expect(cronExpression('review')).toBe('cron(0 0,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23 * * ? *)');
    expect(cronExpression('review', true)).toBe('cron(20,50 * * * ? *)');
    expect(cronExpression('model-refit')).toBe('cron(0 4 * * ? *)');
    expect(cronExpression('model-refit', true)).toBe('cron(25 * * * ? *)');
    expect(firingTimes('cleanup', true)).toHaveLength(48);
    expect(firingTimes('procurement', true).slice(0, 3)).toEqual(['00:10', '00:40', '01:10']);
  });

  it('rejects an unknown job with the list of jobs', () => {
    expect(() => jobDefinition('baking' as never)).toThrow(/model-refit, production, cleanup, procurement, review/);
  });
});

describe('firings with EventBridge Scheduler DST semantics', () => {
  it('skips test-mode times that a spring-forward change skips', () => {
    const firings = firingsBetween(
      'production',
      'America/New_York',
      new Date('2026-03-08T05:00:00Z'),
      new Date('2026-03-09T04:00:00Z'),
      true,
    );
    expect(firings.filter((f) => localDateAt(f.scheduledTime, 'America/New_York') === '2026-03-08')).toHaveLength(46);
  });

  it('fires a repeated test-mode time once, at its first occurrence', () => {
    const firings = firingsBetween(
      'production',
      'America/New_York',
      new Date('2026-11-01T04:00:00Z'),
      new Date('2026-11-02T05:00:00Z'),
      true,
    );
    const onDay = firings.filter((f) => localDateAt(f.scheduledTime, 'America/New_York') === '2026-11-01');
    expect(onDay).toHaveLength(48);
    expect(onDay.map((f) => f.scheduledTime)).toContain('2026-11-01T05:30:00Z');
    expect(onDay.map((f) => f.scheduledTime)).not.toContain('2026-11-01T06:30:00Z');
  });

  it('plans the local date of the scheduled time in every demo zone', () => {
    const expected: Record<string, string> = {
      'Asia/Kathmandu': '2026-11-27T23:45:00Z',
      'Asia/Kolkata': '2026-11-28T00:00:00Z',
      'Australia/Sydney': '2026-11-27T18:30:00Z',
      'Europe/Madrid': '2026-11-28T04:30:00Z',
      'Europe/Paris': '2026-11-28T04:30:00Z',
      'America/Santiago': '2026-11-28T08:30:00Z',
      'America/New_York': '2026-11-28T10:30:00Z',
      'America/Mexico_City': '2026-11-28T11:30:00Z',
    };
    const production = firingsOfDay(DEMO_ZONES, '2026-11-28', false).filter((f) => f.job === 'production');
    expect(Object.fromEntries(production.map((f) => [f.timezone, f.scheduledTime]))).toEqual(expected);
    for (const firing of production) expect(localDateAt(firing.scheduledTime, firing.timezone)).toBe('2026-11-28');
  });

  it('gives every zone exactly one firing of the refit and of each daily job and 17 reviews (and one at midnight) per local day, across DST changes (2026–2028)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ALL_ZONES), fc.integer({ min: 0, max: 3 * 365 }), (zone, offset) => {
        const date = addDays('2026-01-01', offset);
        const firings = firingsOfDay([zone], date, false);
        expect(firings.map((f) => f.job)).toEqual(dailyOrder(zone, date));
      }),
      { numRuns: 400 },
    );
  });

  it('fires the model refit once on every day of 2026–2028 in every zone: 04:00 is never skipped or repeated', () => {
    const [time] = jobDefinition('model-refit').localTimes;
    const notOnce: string[] = [];
    for (const zone of ALL_ZONES) {
      for (let date = '2026-01-01'; date < '2029-01-01'; date = addDays(date, 1))
        if (instantsOfLocalTime(date, time!, zone).length !== 1) notOnce.push(`${zone} ${date}`);
    }
    expect(notOnce).toEqual([]);
    const firings = firingsBetween(
      'model-refit',
      'Europe/Madrid',
      new Date('2026-03-28T00:00Z'),
      new Date('2026-04-01T00:00Z'),
    );
    expect(firings.map((f) => f.scheduledTime)).toEqual([
      '2026-03-28T03:00:00Z',
      '2026-03-29T02:00:00Z', // the spring-forward day: 04:00 CEST
      '2026-03-30T02:00:00Z',
      '2026-03-31T02:00:00Z',
    ]);
  });

  it('spreads the weekly refit evenly over the week by tenant', () => {
    const counts = new Map<number, number>();
    for (let i = 0; i < 70_000; i += 1) {
      const day = refitWeekdayOf(`tenant-${i}`);
      counts.set(day, (counts.get(day) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    for (const count of counts.values()) expect(Math.abs(count - 10_000)).toBeLessThan(400);
    fc.assert(fc.property(fc.string(), (id) => [1, 2, 3, 4, 5, 6, 7].includes(refitWeekdayOf(id))));
  });

  it.each([
    ['Pacific/Easter', '2027-09-05'],
    ['America/Santiago', '2026-09-06'],
    ['America/Santiago', '2026-04-05'],
    ['America/Havana', '2026-03-08'],
    ['America/Havana', '2026-11-01'],
    ['Africa/Cairo', '2026-04-24'],
    ['Asia/Beirut', '2026-03-29'],
    ['Atlantic/Azores', '2026-10-25'],
    ['Europe/Madrid', '2026-03-29'],
    ['Europe/Madrid', '2026-10-25'],
    ['Australia/Sydney', '2026-04-05'],
    ['Australia/Sydney', '2026-10-04'],
    ['America/New_York', '2026-03-08'],
  ])('runs each job once in %s on the DST day %s and on the days around it', (zone, date) => {
    for (const day of [addDays(date, -1), date, addDays(date, 1)]) {
      const firings = firingsOfDay([zone], day, false);
      expect(firings.map((f) => f.job)).toEqual(dailyOrder(zone, day));
      for (const f of firings) expect(localDateAt(f.scheduledTime, zone)).toBe(day);
    }
  });
});

describe('the job message contract', () => {
  it('keys a job by tenant, job and local date', () => {
    expect(idempotencyKey('t1', 'production', '2026-11-28')).toBe('t1#production#2026-11-28');
  });

  it('accepts what the scheduler sends and defaults the trigger to scheduled', () => {
    const request = FanOutRequestSchema.parse({
      job: 'production',
      timezone: 'Asia/Kolkata',
      scheduledTime: '2026-11-28T00:00:00Z',
    });
    expect(request.trigger).toBe('scheduled');
    expect(request.includeDemo).toBe(false);
  });

  it.each([
    [{ job: 'baking', timezone: 'Asia/Kolkata', scheduledTime: '2026-11-28T00:00:00Z' }, 'job'],
    [{ job: 'production', timezone: 'Mars/Base', scheduledTime: '2026-11-28T00:00:00Z' }, 'timezone'],
    [{ job: 'production', timezone: 'Asia/Kolkata', scheduledTime: 'yesterday' }, 'scheduledTime'],
  ])('rejects an invalid fan-out request naming the field (%j)', (input, field) => {
    const result = FanOutRequestSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([field]);
  });

  it('rejects a tenant job without a plan date', () => {
    expect(
      TenantJobSchema.safeParse({
        job: 'production',
        tenantId: 't',
        timezone: 'UTC',
        trigger: 'manual',
        scheduledTime: '2026-01-01T00:00:00Z',
        idempotencyKey: 'k',
      }).success,
    ).toBe(false);
  });
});
