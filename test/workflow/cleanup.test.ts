import { describe, expect, it } from 'vitest';
import { decideCleanup, type PlanSummary } from '../../lib/workflow/cleanup.ts';
import { assertProcurementTransition, IllegalTransitionError } from '../../lib/workflow/plan-lifecycle.ts';
import { deadlineCheckedAt, plansAwaitingReview } from '../../lib/workflow/review-deadline.ts';

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

  it('checks each deadline hour once: the firing on the hour (or at :20 in test mode), not the one at :50', () => {
    expect(['07:00', '10:00', '10:20', '10:50', '23:00'].map(deadlineCheckedAt)).toEqual([
      '07:00',
      '10:00',
      '10:00',
      null,
      '23:00',
    ]);
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
