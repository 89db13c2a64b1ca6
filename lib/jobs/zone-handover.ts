// What a tenant's zone change (or its creation) means for its daily jobs (the weekly model refit needs
// no catch-up: a daily job fits the model itself when it finds none), decided once per job: up to
// which local date the jobs are done (the new zone's firings skip those dates), and which dates must be
// caught up now because neither zone's firings will plan them. Pure: it reads only the job table.
import { addDays, daysBetween, type LocalDate, laterDate, localDateAt } from '../time/tenant-clock.ts';
import { DAILY_JOB_NAMES, type DailyJobName, firingsBetween } from './job-table.ts';

const DAY_MS = 86_400_000;

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

interface JobHandover {
  /** Every date up to this one is planned (by the old zone's firings, or by the catch-up). */
  plannedThrough: LocalDate;
  /** Dates no firing will plan: the catch-up plans them now, oldest first. */
  catchUp: LocalDate[];
}

export type Handover = Record<DailyJobName, JobHandover>;

/**
 * `from`: the zone the tenant leaves, or null for a new tenant (for which today's jobs whose time has
 * passed are due). The dates strictly between the last one planned and the next firing's are the
 * catch-up; the new zone's firings plan only dates after `plannedThrough`.
 */
export function zoneHandover(from: string | null, to: string, at: Date): Handover {
  const entries = DAILY_JOB_NAMES.map((job) => {
    const lastPlanned = from ? lastFiredDate(job, from, at) : addDays(localDateAt(at, to), -1);
    const next = nextFiringDate(job, to, at);
    const gap = Math.max(0, daysBetween(lastPlanned, next) - 1);
    const catchUp = Array.from({ length: gap }, (_, i) => addDays(lastPlanned, i + 1));
    const plannedThrough = laterDate(addDays(next, -1), lastPlanned);
    return [job, { plannedThrough, catchUp }] as const;
  });
  return Object.fromEntries(entries) as Handover;
}

/** The catch-up as one sequence per date: the jobs due that day, in the job table's order. */
export function catchUpSequences(handover: Handover): { planDate: LocalDate; jobs: DailyJobName[] }[] {
  const dates = [...new Set(DAILY_JOB_NAMES.flatMap((job) => handover[job].catchUp))].sort();
  return dates.map((planDate) => ({
    planDate,
    jobs: DAILY_JOB_NAMES.filter((job) => handover[job].catchUp.includes(planDate)),
  }));
}
