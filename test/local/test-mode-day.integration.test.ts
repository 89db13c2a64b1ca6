// A simulated test-mode day in three zones, one of them with a 23-hour day: the schedules fire as the
// cloud's would (30-minute cycles, production first), and the day keeps its order and its quiet.

import { describe, expect, it } from 'vitest';
import { planOf } from '../../lib/events/catalogue.ts';
import { simulateDay } from '../../lib/local/simulate-day.ts';
import { seedBakery, tenant, testStack } from '../support/local-stack.ts';

// 2026-03-29: Madrid springs forward (02:00 → 03:00), a 23-hour day; Mexico City and Kathmandu do not.
const DATE = '2026-03-29';
const ZONES = { madrid: 'Europe/Madrid', mexico: 'America/Mexico_City', kathmandu: 'Asia/Kathmandu' };

describe('a test-mode day', () => {
  it('builds every procurement plan after its production schedule and escalates each plan once', async () => {
    const stack = await testStack();
    for (const [id, zone] of Object.entries(ZONES)) await seedBakery(stack, tenant(id, zone), DATE);
    const result = await simulateDay(stack, { date: DATE, testMode: true, tenantBudgetMs: 60_000 });

    // Madrid loses the 02:00 and 02:30 cycles: 46 firings of each daily job there, 48 in the other zones;
    // the model refit fires hourly in test mode (at :25): 23 in Madrid, 24 elsewhere.
    expect(result.firings).toHaveLength(4 * (46 + 48 + 48) + (23 + 24 + 24)); // the review at :20 and :50 too
    expect(result.deadLetters).toBe(0);
    for (const id of Object.keys(ZONES)) {
      const schedule = await stack.ports.plans.getProductionSchedule(id, DATE);
      const plan = await stack.ports.plans.getProcurementPlan(id, DATE, 1);
      expect(schedule, id).not.toBeNull();
      expect(plan, id).not.toBeNull();
      expect(Date.parse(plan!.plan.generatedAt), id).toBeGreaterThan(Date.parse(schedule!.plan.generatedAt));
    }
    expect(
      stack.logLines.filter((l) => String(l.message).startsWith('No production schedule for the plan date')),
    ).toEqual([]);

    const escalations = stack.bus.published.filter((e) => e.detailType === 'plan.escalation.unapproved');
    const perPlan = new Map<string, number>();
    for (const e of escalations)
      perPlan.set(String(planOf(e)?.planId), (perPlan.get(String(planOf(e)?.planId)) ?? 0) + 1);
    // Each bakery's production schedule and procurement plan stay unapproved all day: one escalation each.
    expect(perPlan.size).toBe(6);
    expect([...perPlan.values()].every((count) => count === 1)).toBe(true);
  });
});
