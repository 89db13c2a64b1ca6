// The 05:50 cleanup rules: which stale plans change status (escalations are the review job's: review-deadline.ts).
import type { ProcurementStatus, ProductionStatus } from '../domain.ts';
import { addDays, daysBetween, type LocalDate } from '../time/tenant-clock.ts';

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

/** Days of missed cleanups (the zone's firings did not run) that the next cleanup still makes up for. */
const CLEANUP_CATCH_UP_DAYS = 14;

/**
 * The plan dates whose plans the rules may change today: for each day cleaned, the dates that reach a
 * rule's age that day (yesterday's schedule, the draft 8 days old, what was completed 91 days ago). The
 * days since the zone's previous cleanup, when it missed some, are cleaned too (up to 14).
 */
export function cleanupDates(today: LocalDate, previousCleanup?: LocalDate): LocalDate[] {
  const missed = previousCleanup
    ? Math.min(Math.max(daysBetween(previousCleanup, today) - 1, 0), CLEANUP_CATCH_UP_DAYS)
    : 0;
  const dates = new Set<LocalDate>();
  for (let back = 0; back <= missed; back += 1) {
    const day = addDays(today, -back);
    for (const age of [1, PROCUREMENT_DRAFT_MAX_AGE_DAYS + 1, COMPLETED_ARCHIVE_AFTER_DAYS + 1])
      dates.add(addDays(day, -age));
  }
  return [...dates].sort();
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
