// What a tenant's zone change (or its creation) means for its daily jobs (the weekly model refit needs
// no catch-up: a daily job fits the model itself when it finds none), decided once per job: up to
// which local date the jobs are done (the new zone's firings skip those dates), and which dates are
// enqueued now: those neither zone's firings will plan, and those the old zone fired within the
// catch-up window, which its fan-out may not have planned for the tenant. Pure: it reads only the job table.
import { addDays, daysBetween, type LocalDate, laterDate, localDateAt } from '../time/tenant-clock.ts';
import { DAILY_JOB_NAMES, type DailyJobName, firingsBetween, PLANNING_JOB_NAMES } from './job-table.ts';

const DAY_MS = 86_400_000;

/**
 * How far back a missed firing is caught up by itself (the sweep, catch-up.ts), and how far back a zone
 * change re-enqueues the old zone's dates (a firing may still be in flight, or missed and not yet swept):
 * an outage of up to 72 hours, and a day for the sweep to catch its firings up in order.
 */
export const CATCH_UP_WINDOW_HOURS = 96;

/** The local date planned by the last firing of `job` in `zone` at or before `at`. */
export function lastFiredDate(job: DailyJobName, zone: string, at: Date): LocalDate {
  const firings = firingsBetween(job, zone, new Date(at.getTime() - 3 * DAY_MS), new Date(at.getTime() + 1), false);
  return localDateAt(firings.at(-1)!.scheduledTime, zone);
}

/** The local date the next firing of `job` in `zone` after `at` will plan. */
function nextFiringDate(job: DailyJobName, zone: string, at: Date): LocalDate {
  const firings = firingsBetween(job, zone, new Date(at.getTime() + 1), new Date(at.getTime() + 3 * DAY_MS), false);
  return localDateAt(firings[0]!.scheduledTime, zone);
}

/** The first local date `job` fired for in `zone` within [since, until], if any. */
function firstFiredDateSince(job: DailyJobName, zone: string, since: Date, until: Date): LocalDate | undefined {
  const first = firingsBetween(job, zone, since, new Date(until.getTime() + 1), false)[0];
  return first && localDateAt(first.scheduledTime, zone);
}

const datesThrough = (first: LocalDate, last: LocalDate): LocalDate[] =>
  Array.from({ length: Math.max(0, daysBetween(first, last) + 1) }, (_, i) => addDays(first, i));

interface JobHandover {
  /** Every date up to this one is planned by the catch-up or before it (the new zone's firings plan later ones). */
  plannedThrough: LocalDate;
  /** The dates the catch-up enqueues now, oldest first. */
  catchUp: LocalDate[];
}

export type Handover = Record<DailyJobName, JobHandover>;

/**
 * `from`: the zone the tenant leaves, or null for a new tenant (for which today's jobs whose time has
 * passed are due); `arrived`: when the tenant came to `from` (its creation or previous move). The new
 * zone's firings plan only dates after `plannedThrough`; the catch-up enqueues every date up to it that no
 * firing may plan: the gap between the zones, and (after a move) every date the old zone fired within the
 * catch-up window since the tenant arrived there — its fan-out may still be in flight and read the zone
 * after the move, or have been missed and be swept later without the tenant (the dates before the arrival
 * were the previous handover's). The worker runs each date once whatever enqueues it. Cleanup, the
 * housekeeping of past days, follows the new zone's clock only: after a move west the old zone's later
 * date is cleaned by the new zone's firing (a duplicate by its key if the old zone's ran), never early,
 * which would expire the tenant's schedule of its own today. The review of a catch-up date is enqueued
 * once due in the new zone (`reviewDue`, review-deadline.ts); a later one is the new zone's firing's. So
 * is the review of every date the old zone fired a review for since the tenant arrived: a date planned at
 * the arrival (its review left to the old zone, not yet due then) whose review firing the old zone missed
 * would otherwise never be escalated.
 */
export function zoneHandover(
  from: string | null,
  to: string,
  at: Date,
  reviewDue: (date: LocalDate) => boolean,
  arrived?: Date,
): Handover {
  const windowStart = new Date(
    Math.max(at.getTime() - CATCH_UP_WINDOW_HOURS * 3_600_000, arrived?.getTime() ?? Number.NEGATIVE_INFINITY),
  );
  const planning = PLANNING_JOB_NAMES.map((job) => {
    const lastPlanned = from ? lastFiredDate(job, from, at) : addDays(localDateAt(at, to), -1);
    const newZoneFrom = addDays(nextFiringDate(job, to, at), -1);
    const plannedThrough = job === 'cleanup' ? newZoneFrom : laterDate(newZoneFrom, lastPlanned);
    const first = (from && firstFiredDateSince(job, from, windowStart, at)) || addDays(lastPlanned, 1);
    return [job, { plannedThrough, catchUp: datesThrough(first, plannedThrough) }] as const;
  });
  // The reviews: of the catch-up's dates, and of every date whose review the old zone fired since the
  // tenant arrived there, within the window (a firing in flight or missed is swept later without the tenant).
  const reviewFired = from && arrived && firstFiredDateSince('review', from, windowStart, at);
  const dates = [
    ...new Set([
      ...planning.flatMap(([, h]) => h.catchUp),
      ...(reviewFired ? datesThrough(reviewFired, localDateAt(at, to)) : []),
    ]),
  ].sort();
  const reviews = dates.filter(reviewDue);
  const review = { plannedThrough: reviews.at(-1) ?? addDays(localDateAt(at, to), -1), catchUp: reviews };
  return Object.fromEntries([...planning, ['review', review]]) as Handover;
}
/** The catch-up as one sequence per date: the jobs due that day, in the job table's order. */
export function catchUpSequences(handover: Handover): { planDate: LocalDate; jobs: DailyJobName[] }[] {
  const dates = [...new Set(DAILY_JOB_NAMES.flatMap((job) => handover[job].catchUp))].sort();
  return dates.map((planDate) => ({
    planDate,
    jobs: DAILY_JOB_NAMES.filter((job) => handover[job].catchUp.includes(planDate)),
  }));
}
