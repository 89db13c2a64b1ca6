// The 05:50 cleanup rules: which stale plans change status (escalations are the review job's: review-deadline.ts).
import type { ProcurementStatus, ProductionStatus } from '../domain.ts';
import { daysBetween, type LocalDate } from '../time/tenant-clock.ts';

const PROCUREMENT_DRAFT_MAX_AGE_DAYS = 7;
const COMPLETED_ARCHIVE_AFTER_DAYS = 90;

export interface PlanSummary {
  kind: 'production' | 'procurement';
  planId: string;
  planDate: LocalDate;
  status: ProductionStatus | ProcurementStatus;
  version: number;
  /** Bumped by every status change: operators' changes are conditional on the revision they read. */
  revision?: number;
}

interface StatusChange {
  plan: PlanSummary;
  to: 'expired' | 'cancelled' | 'archived';
  reason: string;
}

export interface CleanupDecision {
  changes: StatusChange[];
}

export function decideCleanup(plans: readonly PlanSummary[], today: LocalDate): CleanupDecision {
  const changes: StatusChange[] = [];
  for (const plan of plans) {
    const age = daysBetween(plan.planDate, today);
    if (plan.kind === 'production' && plan.status === 'draft' && age > 0) {
      changes.push({ plan, to: 'expired', reason: `production schedule of ${plan.planDate} was never confirmed` });
    } else if (plan.kind === 'procurement' && plan.status === 'draft' && age > PROCUREMENT_DRAFT_MAX_AGE_DAYS) {
      changes.push({
        plan,
        to: 'cancelled',
        reason: `procurement draft older than ${PROCUREMENT_DRAFT_MAX_AGE_DAYS} days`,
      });
    } else if (plan.status === 'completed' && age > COMPLETED_ARCHIVE_AFTER_DAYS) {
      changes.push({ plan, to: 'archived', reason: `completed more than ${COMPLETED_ARCHIVE_AFTER_DAYS} days ago` });
    }
  }
  return { changes };
}
