// Moves and outages at random instants, through the real API, fan-out, sweep and worker on DynamoDB
// Local: a tenant is created, moves zone at random instants (during a firing, around clock changes,
// twice in a row), and the Scheduler stops firing for 1–72 hours. Every local date must be planned
// once, and each plan of every date escalated once, never before the deadline in the tenant's zone.

import type { Context } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createApiHandler } from '../../functions/api/handler.ts';
import { createFanOutHandler } from '../../functions/fan-out/handler.ts';
import { createMissedFiringsHandler } from '../../functions/missed-firings/handler.ts';
import { createPlanWorkerHandler } from '../../functions/plan-worker/handler.ts';
import { planOf } from '../../lib/events/catalogue.ts';
import { firingsBetween, JOB_NAMES } from '../../lib/jobs/job-table.ts';
import { addDays, localDateAt } from '../../lib/time/tenant-clock.ts';
import { reviewInstant } from '../../lib/workflow/review-deadline.ts';
import { adminClaims, apiEvent, tenantClaims } from '../support/api.ts';
import { emptyStock } from '../support/bakery-fixtures.ts';
import { smallCatalog, steadySales, testStack } from '../support/local-stack.ts';

const context = {} as Context;
const HOUR = 3_600_000;
/** Zones with clock changes on or near the review hours, half-hour and 45-minute offsets, both date-line sides. */
const ZONES = [
  'Europe/Madrid',
  'Atlantic/Azores',
  'America/New_York',
  'America/Nuuk',
  'Pacific/Easter',
  'Antarctica/Troll',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'Pacific/Midway',
];
const DEADLINE = '09:00';

interface Scenario {
  start: number;
  zones: string[];
  /** Hours after the start; `onFiring`: the move lands one second after a firing of the zone it leaves. */
  moves: { afterHours: number; onFiring: boolean }[];
  outage: { afterHours: number; hours: number };
  /** How long after its scheduled time a firing's fan-out reads the zone (Scheduler delivers late, retries). */
  fanOutDelaySeconds: number;
}

const scenario: fc.Arbitrary<Scenario> = fc.record({
  start: fc
    .integer({ min: Date.parse('2026-01-05T00:00:00Z') / 60_000, max: Date.parse('2028-12-15T00:00:00Z') / 60_000 })
    .map((minutes) => minutes * 60_000),
  zones: fc.shuffledSubarray(ZONES, { minLength: 3, maxLength: 3 }),
  moves: fc.array(fc.record({ afterHours: fc.double({ min: 2, max: 60, noNaN: true }), onFiring: fc.boolean() }), {
    minLength: 1,
    maxLength: 2,
  }),
  outage: fc.record({ afterHours: fc.integer({ min: 1, max: 40 }), hours: fc.integer({ min: 1, max: 72 }) }),
  fanOutDelaySeconds: fc.constantFrom(0, 2, 90, 3000),
});

/** Runs a scenario; returns what happened to the tenant, and the zone it was in at each instant. */
async function simulate(s: Scenario) {
  const stack = await testStack();
  const call = (method: string, path: string, options: Parameters<typeof apiEvent>[2]) =>
    createApiHandler(() => stack.ports)(apiEvent(method, path, options), context);
  const worker = createPlanWorkerHandler(
    () => stack.ports,
    () => 60_000,
  );
  const drain = () => stack.queue.drain((event) => worker(event, context));
  const outageFrom = s.start + s.outage.afterHours * HOUR;
  const outageTo = outageFrom + s.outage.hours * HOUR;
  const end = Math.max(outageTo + 30 * HOUR, s.start + 72 * HOUR);

  // Where the tenant is: created in the first zone, then each move to the next one.
  const stays: { from: number; zone: string }[] = [{ from: s.start, zone: s.zones[0]! }];
  const zoneAt = (at: number) => stays.filter((stay) => stay.from <= at).at(-1)!.zone;
  // Each move after the one before; a move "on a firing" lands one second after the next production
  // or review firing of the zone it leaves, while that firing's fan-out has not read the zone yet.
  const moves: { at: number; onFiring: boolean; to: string }[] = [];
  for (const [i, m] of [...s.moves].sort((a, b) => a.afterHours - b.afterHours).entries()) {
    let at = Math.round(Math.max(s.start + m.afterHours * HOUR, (moves.at(-1)?.at ?? s.start) + 60_000));
    if (m.onFiring) {
      const from = zoneAt(at);
      const next = (['production', 'review'] as const)
        .flatMap((job) => firingsBetween(job, from, new Date(at), new Date(at + 26 * HOUR))[0] ?? [])
        .map((f) => Date.parse(f.scheduledTime))
        .sort((x, y) => x - y)[0];
      if (next) at = next + 1000;
    }
    moves.push({ at, onFiring: m.onFiring, to: s.zones[i + 1]! });
    stays.push({ from: at, zone: s.zones[i + 1]! });
  }

  stack.setNow(new Date(s.start));
  const created = await call('POST', '/tenants', {
    claims: adminClaims,
    body: { tenantId: 'm', name: 'Mover', timezone: s.zones[0], reviewDeadline: DEADLINE },
  });
  expect(created.statusCode).toBe(201);
  await stack.ports.catalog.putCatalog('m', smallCatalog());
  await stack.ports.sales.putSales('m', steadySales(localDateAt(new Date(end), 'Pacific/Kiritimati')));
  await stack.ports.stock.putStock('m', emptyStock);

  // The timeline: each zone's firings while the tenant is there (a zone's schedules exist while it has a
  // tenant), run after the fan-out delay unless the Scheduler is down; the sweep every 30 minutes (every
  // 15 in production); the moves.
  type Step = { at: number; run: () => Promise<unknown> };
  const steps: Step[] = [];
  for (const zone of new Set(s.zones)) {
    for (const job of JOB_NAMES) {
      for (const firing of firingsBetween(job, zone, new Date(s.start), new Date(end))) {
        const scheduled = Date.parse(firing.scheduledTime);
        if (zoneAt(scheduled) !== zone || (scheduled >= outageFrom && scheduled < outageTo)) continue;
        steps.push({
          at: scheduled + s.fanOutDelaySeconds * 1000,
          run: () =>
            createFanOutHandler(() => stack.ports)(
              { job, timezone: zone, scheduledTime: firing.scheduledTime },
              context,
            ),
        });
      }
    }
  }
  // The sweep is a Scheduler schedule too: it stops with the outage.
  for (let at = s.start + 5 * 60_000; at < end; at += 30 * 60_000)
    if (at < outageFrom || at >= outageTo)
      steps.push({ at, run: () => createMissedFiringsHandler(() => stack.ports)({}, context) });
  for (const move of moves)
    steps.push({
      at: move.at,
      run: async () => {
        const moved = await call('PUT', '/tenants/m', { claims: tenantClaims('m'), body: { timezone: move.to } });
        expect(moved.statusCode, String(moved.body)).toBe(200);
      },
    });
  steps.sort((a, b) => a.at - b.at);
  for (const step of steps) {
    stack.setNow(new Date(step.at));
    await step.run();
    await drain();
  }
  return { stack, stays, zoneAt, end, moves };
}

describe('time edges, at random', () => {
  it('plans every local date once and escalates every plan once, at or after its deadline, across random moves and 1–72 h outages', async () => {
    const totals = {
      runs: 0,
      dates: 0,
      plans: 0,
      planned: 0,
      escalations: 0,
      moves: 0,
      movesOnFiring: 0,
      outageHours: 0,
      duplicates: 0,
    };
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const { stack, zoneAt, end, moves, stays } = await simulate(s);
        const label = JSON.stringify({ ...s, start: new Date(s.start).toISOString(), moves });
        const published = stack.bus.published;
        const countBy = (type: string, key: (d: Record<string, any>) => string) => {
          const counts = new Map<string, number>();
          for (const e of published.filter((p) => p.detailType === type)) {
            const k = key(e.detail as Record<string, any>);
            counts.set(k, (counts.get(k) ?? 0) + 1);
          }
          return counts;
        };
        const schedules = countBy('production.schedule.generated', (d) => d.planDate);
        const procurements = countBy('procurement.plan.generated', (d) => d.planDate);
        const escalations = countBy('plan.escalation.unapproved', (d) => d.planId);
        // Every date from the day after creation to the day before the end, in the zone of the moment.
        const first = addDays(localDateAt(new Date(s.start), stays[0]!.zone), 1);
        const last = addDays(localDateAt(new Date(end), zoneAt(end)), -1);
        for (let date = first; date <= last; date = addDays(date, 1)) {
          expect(schedules.get(date), `production ${date} ${label}`).toBe(1);
          expect(procurements.get(date), `procurement ${date} ${label}`).toBe(1);
          for (const planId of [`prod-m-${date}`, `proc-m-${date}-v1`])
            expect(escalations.get(planId), `escalation of ${planId} ${label}`).toBe(1);
          totals.dates += 1;
          totals.plans += 2;
        }
        // No date is ever planned twice, and no plan escalates before the deadline in the zone of the moment.
        for (const counts of [schedules, procurements, escalations])
          for (const [key, count] of counts) expect(count, `${key} ${label}`).toBe(1);
        for (const e of published.filter((p) => p.detailType === 'plan.escalation.unapproved')) {
          const at = Date.parse(String(e.detail.occurredAt));
          const due = reviewInstant(String(planOf(e)?.planDate), DEADLINE, zoneAt(at)).getTime();
          expect(at >= due, `escalated ${planOf(e)?.planId} at ${e.detail.occurredAt} ${label}`).toBe(true);
          totals.escalations += 1;
        }
        totals.planned += schedules.size + procurements.size;
        totals.runs += 1;
        totals.moves += moves.length;
        totals.movesOnFiring += moves.filter((m) => m.onFiring).length;
        totals.outageHours += s.outage.hours;
        totals.duplicates += stack.logLines.filter(
          (l) => l.message === 'Tenant job finished' && l.outcome === 'duplicate',
        ).length;
      }),
      {
        numRuns: 8,
        endOnFailure: true,
        // Found here once: the catch-up's cleanup of the 8th ran before the review of the 7th (cleanup.ts).
        examples: [
          [
            {
              start: Date.parse('2026-05-05T20:20:00Z'),
              zones: ['Atlantic/Azores', 'America/New_York', 'Pacific/Easter'],
              moves: [
                { afterHours: 60, onFiring: true },
                { afterHours: 60, onFiring: false },
              ],
              outage: { afterHours: 33, hours: 64 },
              fanOutDelaySeconds: 2,
            },
          ],
          // And: a review the old zone fired during an outage, the tenant moved on before the sweep
          // (zone-handover.ts); the procurement plan of the 15th was never escalated.
          [
            {
              start: Date.parse('2028-12-14T23:53:00Z'),
              zones: ['Atlantic/Azores', 'America/Nuuk', 'Pacific/Midway'],
              moves: [
                { afterHours: 10.50763626637343, onFiring: false },
                { afterHours: 37.034890491574735, onFiring: false },
              ],
              outage: { afterHours: 1, hours: 43 },
              fanOutDelaySeconds: 3000,
            },
          ],
        ],
      },
    );
    console.info(`time edges: ${JSON.stringify(totals)}`);
    expect(totals.runs).toBe(8);
  });
});
