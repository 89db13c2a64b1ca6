// The EventBridge Scheduler schedules: one per job and timezone in use. Their names, expressions and
// payloads are defined here once, for the CDK stack (zones known at deploy time) and for the
// schedule-sync function (zones that appear or disappear at run time).
import { createHash } from 'node:crypto';
import { cronExpression, JOB_NAMES, type JobName } from './job-table.ts';

export const SCHEDULE_GROUP_NAME = 'bakery-planner';
/** What the fan-out receives; EventBridge Scheduler fills in the scheduled time. */
export const SCHEDULED_TIME_PLACEHOLDER = '<aws.scheduler.scheduled-time>';
export const SCHEDULE_RETRY = { maximumRetryAttempts: 10, maximumEventAgeInSeconds: 3600 } as const;

/**
 * A schedule name (at most 64 of [0-9A-Za-z_.-]) for a job in a zone, readable and unique:
 * `production-America-Argentina-Buenos_Aires`; long names keep a hash suffix.
 */
export function scheduleName(job: JobName, timezone: string): string {
  const readable = `${job}-${timezone.replaceAll('/', '-').replaceAll('+', 'plus')}`.replace(/[^0-9A-Za-z_.-]/g, '_');
  if (readable.length <= 64) return readable;
  const hash = createHash('sha256').update(timezone).digest('hex').slice(0, 8);
  return `${readable.slice(0, 55)}-${hash}`;
}

export interface ScheduleDefinition {
  name: string;
  job: JobName;
  timezone: string;
  expression: string;
  /** The JSON payload sent to the fan-out function. */
  input: string;
  description: string;
}

function scheduleDefinition(job: JobName, timezone: string, testMode: boolean): ScheduleDefinition {
  return {
    name: scheduleName(job, timezone),
    job,
    timezone,
    expression: cronExpression(job, testMode),
    input: JSON.stringify({
      job,
      timezone,
      scheduledTime: SCHEDULED_TIME_PLACEHOLDER,
      ...(testMode ? { testMode } : {}),
    }),
    description: `Bakery planner: ${job} for tenants in ${timezone}${testMode ? ' (test mode: every 30 minutes, in the daily order)' : ''}`,
  };
}

export function zoneScheduleDefinitions(timezone: string, testMode: boolean): ScheduleDefinition[] {
  return JOB_NAMES.map((job) => scheduleDefinition(job, timezone, testMode));
}
