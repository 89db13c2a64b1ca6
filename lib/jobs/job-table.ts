// The daily jobs, their local times and the test-mode cadence: defined once, read by the fan-out,
// the worker, the local simulator, the CDK stack and the docs.
import { addDays, instantsOfLocalTime, type LocalDate, type LocalTime } from '../time/tenant-clock.ts';

export const JOB_NAMES = ['production', 'cleanup', 'procurement'] as const;
export type JobName = (typeof JOB_NAMES)[number];

export interface JobDefinition {
  name: JobName;
  /** Local wall-clock time at which the job runs every day in each tenant's zone. */
  localTime: LocalTime;
  description: string;
}

export const JOB_TABLE: readonly JobDefinition[] = [
  { name: 'production', localTime: '05:30', description: "Forecast demand and build today's production schedule." },
  { name: 'cleanup', localTime: '05:50', description: 'Expire, cancel and archive stale plans; escalate unapproved ones.' },
  { name: 'procurement', localTime: '06:00', description: 'Build the procurement plan for the horizon from cached forecasts.' },
];

/** In test mode every job fires at these minutes of every hour. */
export const TEST_MODE_MINUTES = [0, 30] as const;

export function jobDefinition(name: JobName): JobDefinition {
  const job = JOB_TABLE.find((candidate) => candidate.name === name);
  if (!job) throw new RangeError(`Unknown job "${name}". Jobs: ${JOB_NAMES.join(', ')}.`);
  return job;
}

export function isJobName(value: unknown): value is JobName {
  return typeof value === 'string' && (JOB_NAMES as readonly string[]).includes(value);
}

/** The EventBridge Scheduler cron expression of a job, evaluated in the schedule's own timezone. */
export function cronExpression(name: JobName, testMode = false): string {
  if (testMode) return `cron(${TEST_MODE_MINUTES.join(',')} * * * ? *)`;
  const [hour, minute] = jobDefinition(name).localTime.split(':').map(Number);
  return `cron(${minute} ${hour} * * ? *)`;
}

/** The local times a job fires at on one day. */
export function firingTimes(name: JobName, testMode = false): LocalTime[] {
  if (!testMode) return [jobDefinition(name).localTime];
  const times: LocalTime[] = [];
  for (let hour = 0; hour < 24; hour += 1) {
    for (const minute of TEST_MODE_MINUTES) times.push(`${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`);
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
export function firingsBetween(name: JobName, timezone: string, from: Date, to: Date, testMode = false): ScheduledFiring[] {
  const firings: ScheduledFiring[] = [];
  const firstDate = from.toISOString().slice(0, 10);
  for (let date: LocalDate = addDays(firstDate, -2); date <= addDays(to.toISOString().slice(0, 10), 2); date = addDays(date, 1)) {
    for (const time of firingTimes(name, testMode)) {
      const first = instantsOfLocalTime(date, time, timezone)[0];
      if (first && first >= from && first < to) {
        firings.push({ job: name, timezone, scheduledTime: first.toISOString().replace('.000Z', 'Z') });
      }
    }
  }
  return firings.sort((a, b) => a.scheduledTime.localeCompare(b.scheduledTime));
}
