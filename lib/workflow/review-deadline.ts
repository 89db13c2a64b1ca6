// The review deadline: by which local hour today's plans should be approved. The review job fires on
// the hour from 07:00 to 23:00 (at :20 and :50 in test mode); each firing checks the tenants whose
// deadline is the hour it falls in, and escalates their plans of today still waiting, once per plan.
import type { Tenant } from '../domain.ts';
import { DEFAULT_REVIEW_DEADLINE } from '../jobs/job-table.ts';
import { type LocalDate, localTimeOf, minutesOf } from '../time/tenant-clock.ts';
import type { PlanSummary } from './cleanup.ts';

export function reviewDeadlineOf(tenant: Pick<Tenant, 'reviewDeadline'>): string {
  return tenant.reviewDeadline ?? DEFAULT_REVIEW_DEADLINE;
}

/**
 * The deadline a firing at local time `time` ("HH:MM") checks: that of its hour when it falls in the
 * hour's first half (07:00 in normal mode, 07:20 in test mode), none otherwise (test mode's :50).
 */
export function deadlineCheckedAt(time: string): string | null {
  const minutes = minutesOf(time);
  return minutes % 60 < 30 ? localTimeOf(minutes - (minutes % 60)) : null;
}

/** Plans of `today` that nobody has confirmed or approved yet. */
export function plansAwaitingReview(plans: readonly PlanSummary[], today: LocalDate): PlanSummary[] {
  return plans.filter(
    (plan) => plan.planDate === today && (plan.status === 'draft' || plan.status === 'pending_approval'),
  );
}
