// The jobs, their local times, lanes and the test-mode cadence: defined once, read by the
// fan-out, the worker, the local simulator, the CDK stack and the docs.
import {
  addDays,
  instantsOfLocalTime,
  type LocalDate,
  type LocalTime,
  localDateTimeAt,
  localTimeOf,
  minutesOf,
} from '../time/tenant-clock.ts';

export const JOB_NAMES = ['model-refit', 'production', 'cleanup', 'procurement', 'review'] as const;
export type JobName = (typeof JOB_NAMES)[number];

export interface JobDefinition {
  name: JobName;
  /** Local wall-clock times at which the job runs on its days in each tenant's zone (one for most jobs). */
  localTimes: readonly LocalTime[];
  /**
   * A weekly job spread over the week: it fires every day, and each firing is for the tenants whose
   * weekday it is (lanes.ts: refitWeekdayOf).
   */
  spreadOverWeek?: true;
  /** The lane whose queue and consumer run it (lanes.ts); the day's lane unless said. */
  lane?: 'training';
  /**
   * Test mode: the minutes of every hour the job fires at. The daily order and spacing, compressed into
   * each 30-minute cycle: production first, cleanup 5 minutes later, procurement 10 minutes later.
   */
  testModeMinutes: readonly number[];
  description: string;
}

/** The times a tenant's review deadline may be: on the hour, 07:00 to 23:00. */
export const REVIEW_DEADLINES: readonly LocalTime[] = Array.from({ length: 17 }, (_, i) => localTimeOf((i + 7) * 60));
export const DEFAULT_REVIEW_DEADLINE: LocalTime = '10:00';

export const JOB_TABLE: readonly JobDefinition[] = [
  {
    // 04:00 exists exactly once on every day in every zone (2026–2028; a test checks it): clocks change
    // between 00:00 and 04:00 local time (03:00 is skipped in Eastern Europe each spring).
    name: 'model-refit',
    localTimes: ['04:00'],
    spreadOverWeek: true,
    lane: 'training',
    testModeMinutes: [25],
    description:
      "Every day at 04:00, for the seventh of the tenants whose weekday it is: fit the tenant's forecasting model on two years of sales and store it; the daily jobs only score it.",
  },
  {
    name: 'production',
    localTimes: ['05:30'],
    testModeMinutes: [0, 30],
    description: "Forecast demand and build today's production schedule.",
  },
  {
    name: 'cleanup',
    localTimes: ['05:50'],
    testModeMinutes: [5, 35],
    description: 'Expire, cancel and archive stale plans.',
  },
  {
    name: 'procurement',
    localTimes: ['06:00'],
    testModeMinutes: [10, 40],
    description: 'Build the procurement plan for the horizon from cached forecasts.',
  },
  {
    name: 'review',
    // On each deadline's hour, and at midnight for a 23:00 deadline that a clock change skipped (Nuuk).
    localTimes: ['00:00', ...REVIEW_DEADLINES],
    testModeMinutes: [20, 50],
    description:
      "Every hour from 07:00 to 23:00 (and at midnight): escalate the day's plans still unapproved at the tenant's review deadline, at the first instant at or after it (once per plan and day).",
  },
];

export function jobDefinition(name: JobName): JobDefinition {
  const job = JOB_TABLE.find((candidate) => candidate.name === name);
  if (!job) throw new RangeError(`Unknown job "${name}". Jobs: ${JOB_NAMES.join(', ')}.`);
  return job;
}

/**
 * Jobs that run every day for every tenant: a zone change catches up their missed dates (a weekly job,
 * spread over the week or not, has the daily jobs' own fitting as its fallback).
 */
export const DAILY_JOB_NAMES = JOB_NAMES.filter((name): name is DailyJobName => !jobDefinition(name).spreadOverWeek);
export type DailyJobName = Exclude<JobName, 'model-refit'>;

/** The daily jobs that make or change the day's plans, in order (the review only escalates them). */
export const PLANNING_JOB_NAMES = DAILY_JOB_NAMES.filter(
  (name): name is Exclude<DailyJobName, 'review'> => name !== 'review',
);

/** The EventBridge Scheduler cron expression of a job, evaluated in the schedule's own timezone. */
export function cronExpression(name: JobName, testMode = false): string {
  if (testMode) return `cron(${jobDefinition(name).testModeMinutes.join(',')} * * * ? *)`;
  const { localTimes } = jobDefinition(name);
  const times = localTimes.map(minutesOf);
  const minutes = [...new Set(times.map((t) => t % 60))];
  if (minutes.length !== 1)
    throw new RangeError(`Job "${name}" must fire at one minute of the hour to be one cron expression.`);
  const hours = times.map((t) => Math.floor(t / 60)).join(',');
  return `cron(${minutes[0]} ${hours} * * ? *)`;
}

/** The local times a job fires at on one of its days. */
export function firingTimes(name: JobName, testMode = false): LocalTime[] {
  if (!testMode) return [...jobDefinition(name).localTimes];
  const times: LocalTime[] = [];
  for (let hour = 0; hour < 24; hour += 1) {
    for (const minute of jobDefinition(name).testModeMinutes) times.push(localTimeOf(hour * 60 + minute));
  }
  return times;
}

export interface ScheduledFiring {
  job: JobName;
  timezone: string;
  /** The instant EventBridge Scheduler puts in `<aws.scheduler.scheduled-time>`. */
  scheduledTime: string;
}

/**
 * The firings of one job in one zone within [from, to), with EventBridge Scheduler's DST semantics:
 * a local time skipped by a spring-forward change does not fire that day; a local time repeated by a
 * fall-back change fires once, at its first occurrence.
 */
export function firingsBetween(
  name: JobName,
  timezone: string,
  from: Date,
  to: Date,
  testMode = false,
): ScheduledFiring[] {
  const firings: ScheduledFiring[] = [];
  const firstDate = from.toISOString().slice(0, 10);
  for (
    let date: LocalDate = addDays(firstDate, -2);
    date <= addDays(to.toISOString().slice(0, 10), 2);
    date = addDays(date, 1)
  ) {
    for (const time of firingTimes(name, testMode)) {
      const first = instantsOfLocalTime(date, time, timezone)[0];
      if (first && first >= from && first < to) {
        firings.push({ job: name, timezone, scheduledTime: first.toISOString().replace('.000Z', 'Z') });
      }
    }
  }
  return firings.sort((a, b) => a.scheduledTime.localeCompare(b.scheduledTime));
}

/**
 * What a zone's run of a job is recorded under (the missed-firings sweep compares them): the local date
 * for a daily or weekly job, the local date and time for a job that fires several times a day. Keys sort in time.
 */
export function firingKey(name: JobName, scheduledTime: string, timezone: string): string {
  const local = localDateTimeAt(scheduledTime, timezone);
  return jobDefinition(name).localTimes.length > 1 ? local.slice(0, 16) : local.slice(0, 10);
}

/**
 * The firings of a job in a zone within [from, to) that the zone's run records (firing keys, oldest
 * first) do not hold. None before the first record: a zone's records start when it is first used.
 */
export function unrecordedFirings(
  name: JobName,
  timezone: string,
  recorded: readonly string[] | undefined,
  from: Date,
  to: Date,
  testMode = false,
): ScheduledFiring[] {
  if (!recorded?.length) return [];
  return firingsBetween(name, timezone, from, to, testMode).filter((firing) => {
    const key = firingKey(name, firing.scheduledTime, timezone);
    return key > recorded[0]! && !recorded.includes(key);
  });
}
