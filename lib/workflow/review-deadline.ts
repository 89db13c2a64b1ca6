// The review deadline: by which local hour the day's plans should be approved. Each tenant's plans of a
// date are checked once, at the first existing instant at or after its deadline in its current zone (a
// deadline on an hour a clock change skips is checked at the next existing one; a repeated hour once).
// The review job fires on the hour from 07:00 to 23:00 and at midnight (in test mode at :20 and :50):
// each firing checks the deadlines whose instant fell since the zone's previous firing.
import type { Tenant } from '../domain.ts';
import { DEFAULT_REVIEW_DEADLINE, firingTimes, REVIEW_DEADLINES } from '../jobs/job-table.ts';
import {
  addDays,
  instantsOfLocalTime,
  type LocalDate,
  localDateTimeAt,
  localTimeOf,
  minutesOf,
  toUtc,
} from '../time/tenant-clock.ts';
import type { PlanSummary } from './cleanup.ts';

export function reviewDeadlineOf(tenant: Pick<Tenant, 'reviewDeadline'>): string {
  return tenant.reviewDeadline ?? DEFAULT_REVIEW_DEADLINE;
}

/** Test mode checks the deadline of each hour at :20 of that hour (job-table.ts: testModeMinutes). */
const TEST_MODE_CHECK_MINUTES = 20;

/** When the plans of `date` with `deadline` are checked in `timezone`: the first instant at or after it. */
export function reviewInstant(date: LocalDate, deadline: string, timezone: string, testMode = false): Date {
  const at = testMode ? localTimeOf(minutesOf(deadline) + TEST_MODE_CHECK_MINUTES) : deadline;
  return toUtc(date, at, timezone);
}

/** Whether the tenant's review of `date` is due at `now` in `timezone`: its deadline's instant has passed. */
export function reviewIsDue(
  tenant: Pick<Tenant, 'reviewDeadline'>,
  date: LocalDate,
  timezone: string,
  now: Date,
): boolean {
  return reviewInstant(date, reviewDeadlineOf(tenant), timezone) <= now;
}

export interface ReviewCheck {
  planDate: LocalDate;
  deadline: string;
}

/**
 * What the zone's review firing at `scheduledTime` checks: every (date, deadline) whose review instant
 * falls after the zone's previous review firing and at or before this one. One pair on most firings;
 * none at midnight or at test mode's :50; two when a clock change skipped the previous hour.
 */
export function reviewsCheckedBy(scheduledTime: string, timezone: string, testMode = false): ReviewCheck[] {
  const at = new Date(scheduledTime);
  const wallAt = localDateTimeAt(at, timezone).slice(0, 16);
  const today = wallAt.slice(0, 10);
  const previous = previousFiring(at, wallAt, timezone, testMode);
  // A check's wall time lies between the previous firing's, less a repeated hour, and this one's.
  const wallFrom = shiftWall(localDateTimeAt(previous, timezone).slice(0, 16), -2);
  return [addDays(today, -1), today].flatMap((planDate) =>
    REVIEW_DEADLINES.filter((deadline) => {
      const wall = `${planDate}T${deadline}`;
      if (wall <= wallFrom || wall > wallAt) return false;
      const instant = reviewInstant(planDate, deadline, timezone, testMode);
      return instant > previous && instant <= at;
    }).map((deadline) => ({ planDate, deadline })),
  );
}

/** The zone's last review firing before `at` (a time fires at its first occurrence; a skipped one not at all). */
function previousFiring(at: Date, wallAt: string, timezone: string, testMode: boolean): Date {
  const times = firingTimes('review', testMode).reverse();
  for (let date = wallAt.slice(0, 10), back = 0; back < 3; back += 1, date = addDays(date, -1)) {
    for (const time of times) {
      if (`${date}T${time}` > wallAt) continue;
      const first = instantsOfLocalTime(date, time, timezone)[0];
      if (first && first < at) return first;
    }
  }
  return new Date(at.getTime() - 2 * 86_400_000);
}

const shiftWall = (wall: string, hours: number) =>
  new Date(Date.parse(`${wall}:00Z`) + hours * 3_600_000).toISOString().slice(0, 16);

/** Plans of `date` that nobody has confirmed or approved yet. */
export function plansAwaitingReview(plans: readonly PlanSummary[], date: LocalDate): PlanSummary[] {
  return plans.filter(
    (plan) => plan.planDate === date && (plan.status === 'draft' || plan.status === 'pending_approval'),
  );
}
