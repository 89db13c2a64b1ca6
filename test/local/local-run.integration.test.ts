import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { refitWeekdayOf } from '../../lib/jobs/lanes.ts';
import { localRun } from '../../lib/local/local-run.ts';
import { weekdayOf } from '../../lib/time/tenant-clock.ts';

const DEMO_TENANTS = [
  'fournil-madrid',
  'panaderia-roma',
  'kolkata-bake-house',
  'thamel-boulangerie',
  'panaderia-providencia',
  'surry-hills-bakery',
  'brooklyn-levain',
];

async function run(tenants: number, testMode: boolean) {
  process.env.DYNAMODB_ENDPOINT = inject('dynamoEndpoint');
  const lines: string[] = [];
  const outputDir = mkdtempSync(join(tmpdir(), 'planner-run-'));
  const exitCode = await localRun({
    tenants,
    date: '2026-03-29',
    testMode,
    tenantBudgetMs: 60_000,
    outputDir,
    tableName: `run-${randomUUID()}`,
    print: (l) => lines.push(l),
  });
  return { exitCode, output: lines.join('\n'), outputDir };
}

describe('the local run', () => {
  it('plans every non-demo bakery in its own zone on a DST day and prints the summary', async () => {
    // 2026-03-29: Europe switches to summer time at 01:00 UTC; Santiago and Sydney are in their autumn.
    const { exitCode, output, outputDir } = await run(8, false);
    expect(exitCode).toBe(0);
    expect(output).toContain('8 tenants in 8 zones · 7 planned · 1 skipped · 0 failed');
    // Each zone's model refit fires at 04:00 too (8 firings), for the tenants whose refit weekday this
    // Sunday is: none of the seven (their days are spread over the week); and its review at midnight (8).
    expect(DEMO_TENANTS.filter((id) => refitWeekdayOf(id) === weekdayOf('2026-03-29'))).toEqual([]);
    expect(output).toContain(
      '7 production schedules · 7 procurement plans · 176 schedule firings · 28 tenant jobs · 0 in the DLQ',
    );
    // The summary is counted after the review: one stale rejection regenerated as v2, one plain rejection.
    expect(output).toMatch(/fournil-madrid\s+Europe\/Madrid\s+2026-03-29\s+planned\s+v2 draft/);
    expect(output).toMatch(/panaderia-roma\s+America\/Mexico_City\s+2026-03-29\s+planned\s+v1 rejected/);
    expect(output).toMatch(/thamel-boulangerie\s+Asia\/Kathmandu\s+2026-03-29\s+planned/);
    expect(output).toMatch(/showroom-demo\s+Europe\/Paris\s+2026-03-29\s+skipped \(demo\)/);
    expect(output).toMatch(/2026-03-29T03:30:00Z {2}production {2}Europe\/Madrid/); // 05:30 CEST, after the change
    const emf = readFileSync(join(outputDir, 'metrics.emf.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(emf.some((d) => d.TenantsProcessed === 1 && d.Status === 'success')).toBe(true);
    const logs = readFileSync(join(outputDir, 'planner.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    // 21 daily tenant jobs, 7 review-deadline checks (10:00 in each zone), and the regeneration after the stale-data rejection.
    expect(logs.filter((l) => l.message === 'Tenant job finished')).toHaveLength(29);
    expect(logs.filter((l) => l.message === 'Forecasting model refitted')).toHaveLength(0);
    // Each bakery's two plans still waited at 10:00: escalated once each, with the deadline.
    expect(output.match(/event plan\.escalation\.unapproved/g)).toHaveLength(14);
    expect(output).toMatch(/2026-03-29T08:00:00Z +review +Europe\/Madrid +local 29 Mar, 10:00 +→ 1 job\(s\)/);
    expect(output).toMatch(/stale data recognised \("datos antiguos"\), \d+ cached forecasts invalidated/);
    expect(output).toMatch(
      /regenerated: proc-fournil-madrid-2026-03-29-v2 \(draft, supersedes proc-fournil-madrid-2026-03-29-v1\)/,
    );
    expect(output).toMatch(/proc-fournil-madrid-2026-03-29-v1 stays readable: rejected/);
    expect(output).toContain('no regeneration (none requested)');
    // The week before: every bakery planned its mornings and recorded its evenings, each scored (a day
    // the data has no sales, a closure there, is not recorded).
    expect(output).toContain('▶ The week before 2026-03-29');
    const weeks = [...output.matchAll(/^ {2}\S+\s+([67]) evenings recorded · score by day((?: \d+ %)+)$/gm)];
    expect(weeks).toHaveLength(7);
    for (const [, recorded, scores] of weeks)
      expect(scores!.trim().split(/ %\s*/).filter(Boolean)).toHaveLength(Number(recorded));
    // The evening: every planned bakery sells from the data's real demand, records it, and is scored.
    expect(output).toContain('▶ The evening of 2026-03-29');
    const evenings = output.match(
      /^ {2}\S+\s+score\s+-?\d+ %\s+forecast error\s+\d+ %\s+waste\s+\d+\s+fill rate\s+\d+ %\s+sold out \d+$/gm,
    );
    expect(evenings).toHaveLength(7);
  }, 300_000);

  it('in test mode fires the jobs in 30-minute cycles and still makes one plan of each kind per bakery', async () => {
    const { exitCode, output } = await run(2, true);
    expect(exitCode).toBe(0);
    // Madrid loses 02:00 and 02:30 to the spring-forward change: 46 firings of each of the four daily jobs
    // and 23 hourly model refits; Mexico City has 48 and 24. The refits enqueue nobody (neither bakery's
    // weekday is Sunday); the review enqueues a bakery only at its deadline hour (10:20).
    expect(output).toContain(
      '2 production schedules · 2 procurement plans · 423 schedule firings · 284 tenant jobs · 0 in the DLQ',
    );
    // Two generated plans per bakery, yesterday's schedule (of the week before) expired by the cleanup, and
    // one escalation per unapproved plan however often the review runs (10), then the review: a stale
    // rejection (3 events) and its v2 (1), a plain rejection (2).
    expect(output).toMatch(/\b16 events published \(16 distinct\)/);
    expect(output).toMatch(/2026-03-28T23:10:00Z {2}procurement Europe\/Madrid/); // 00:10 CET
  });
});
