import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PROCUREMENT_STATUSES, PRODUCTION_STATUSES } from '../../lib/domain.ts';
import { addDays } from '../../lib/time/tenant-clock.ts';
import { decideCleanup, type PlanSummary } from '../../lib/workflow/cleanup.ts';
import {
  assertProcurementTransition,
  assertTransition,
  IllegalTransitionError,
} from '../../lib/workflow/plan-lifecycle.ts';
import { plansAwaitingReview } from '../../lib/workflow/review-deadline.ts';

const TODAY = '2026-11-28';
const summary = (kind: PlanSummary['kind'], planDate: string, status: PlanSummary['status']): PlanSummary => ({
  kind,
  planId: `${kind}-${planDate}-${status}`,
  planDate,
  status,
  version: 1,
});

describe('cleanup rules', () => {
  it.each([
    [summary('production', '2026-11-27', 'draft'), 'expired'],
    [summary('procurement', '2026-11-20', 'draft'), 'cancelled'],
    [summary('procurement', '2026-08-29', 'completed'), 'archived'],
    [summary('production', '2026-08-29', 'completed'), 'archived'],
  ])('moves %j to %s', (plan, to) => {
    expect(decideCleanup([plan], TODAY).changes).toEqual([expect.objectContaining({ plan, to })]);
  });

  it.each([
    summary('production', '2026-11-27', 'confirmed'),
    summary('procurement', '2026-11-21', 'draft'), // exactly 7 days old: not yet
    summary('procurement', '2026-08-30', 'completed'), // exactly 90 days
    summary('procurement', '2026-11-20', 'approved'),
  ])('leaves %j alone', (plan) => {
    expect(decideCleanup([plan], TODAY)).toEqual({ changes: [] });
  });

  it('only ever decides a move its kind’s transition table allows, whatever the plans and their ages', () => {
    const plan = fc.oneof(
      fc.record({ kind: fc.constant('production' as const), status: fc.constantFrom(...PRODUCTION_STATUSES) }),
      fc.record({ kind: fc.constant('procurement' as const), status: fc.constantFrom(...PROCUREMENT_STATUSES) }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(plan, fc.integer({ min: -5, max: 400 })), { maxLength: 30 }), (plans) => {
        const summaries = plans.map(([p, age], i) => ({
          ...summary(p.kind, addDays(TODAY, -age), p.status),
          planId: `p${i}`,
        }));
        for (const change of decideCleanup(summaries, TODAY).changes) {
          expect(() => assertTransition(change.plan.kind, change.plan.status, change.to)).not.toThrow();
        }
      }),
    );
  });

  it('refuses a move outside the kind’s table, naming what is allowed', () => {
    expect(() => assertTransition('production', 'archived', 'draft')).toThrow(IllegalTransitionError);
    expect(() => assertTransition('production', 'draft', 'cancelled')).toThrow('allowed: confirmed, expired');
    expect(() => assertTransition('procurement', 'draft', 'cancelled')).not.toThrow();
  });

  it("leaves today's unapproved plans to the review job", () => {
    const plans = [summary('production', TODAY, 'draft'), summary('procurement', TODAY, 'pending_approval')];
    expect(decideCleanup(plans, TODAY)).toEqual({ changes: [] });
    expect(
      plansAwaitingReview(
        [...plans, summary('procurement', TODAY, 'approved'), summary('procurement', '2026-11-27', 'draft')],
        TODAY,
      ).map((p) => p.status),
    ).toEqual(['draft', 'pending_approval']);
  });
});

describe('plan lifecycle', () => {
  it('names the allowed transitions when one is illegal', () => {
    expect(() => assertProcurementTransition('cancelled', 'approved')).toThrow(IllegalTransitionError);
    expect(() => assertProcurementTransition('cancelled', 'approved')).toThrow(
      'A plan in status "cancelled" cannot move to "approved"; allowed: archived.',
    );
    expect(() => assertProcurementTransition('archived', 'draft')).toThrow(/none \(final status\)/);
  });

  it('accepts the happy path from draft to completed', () => {
    expect(() => {
      assertProcurementTransition('draft', 'pending_approval');
      assertProcurementTransition('pending_approval', 'approved');
      assertProcurementTransition('approved', 'in_execution');
      assertProcurementTransition('in_execution', 'completed');
    }).not.toThrow();
  });
});
