// The contract of one tenant job on the queue, and of the fan-out input sent by the scheduler.
import { z } from 'zod';
import { entityId, calendarDate as isoDate } from '../input/grammar.ts';
import { isValidTimezone, type LocalDate } from '../time/tenant-clock.ts';
import { JOB_NAMES, type JobName, REVIEW_DEADLINES } from './job-table.ts';

/** `catch-up`: a date no scheduled firing planned (a zone change, a late tenant, a missed firing). */
const TRIGGERS = ['scheduled', 'manual', 'regeneration', 'catch-up'] as const;

const timezone = z.string().refine(isValidTimezone, 'expected an IANA timezone such as Europe/Madrid');
const instant = z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'expected an ISO-8601 instant');

/** What an EventBridge Scheduler schedule (or an admin's manual run) sends to the fan-out. */
export const FanOutRequestSchema = z.object({
  job: z.enum(JOB_NAMES),
  timezone,
  scheduledTime: instant,
  trigger: z.enum(TRIGGERS).default('scheduled'),
  /** Manual runs only: restrict to these tenants. */
  tenantIds: z.array(entityId).optional(),
  /** Manual runs, and a review firing's further checks: plan this date instead of the local date of `scheduledTime`. */
  planDate: isoDate.optional(),
  /** A review firing that checks several deadlines (a skipped hour): each further one, with its `planDate`. */
  deadline: z.enum(REVIEW_DEADLINES as [string, ...string[]]).optional(),
  /** Set by test-mode schedules (job-table.ts: testModeMinutes): which deadlines a review firing checks. */
  testMode: z.boolean().optional(),
  /** Manual runs only: include demo tenants. */
  includeDemo: z.boolean().default(false),
  /** A sharded fan-out's later shards only: where the previous shard stopped in the zone (opaque). */
  cursor: z.string().max(2000).optional(),
  /** A sharded cleanup fan-out's later shards: the zone's previous cleanup, read by the first shard. */
  previousCleanup: isoDate.optional(),
  /** A sharded cleanup fan-out's later shards: a review firing had not run (TenantJob.escalateUnreviewed). */
  escalateUnreviewed: z.boolean().optional(),
});
export type FanOutRequest = z.infer<typeof FanOutRequestSchema>;

/** How often the missed-firings function looks for zone jobs whose firing did not run. */
export const MISSED_FIRINGS_SWEEP_EXPRESSION = 'rate(15 minutes)';

export const TenantJobSchema = z.object({
  job: z.enum(JOB_NAMES),
  tenantId: entityId,
  timezone,
  planDate: isoDate,
  trigger: z.enum(TRIGGERS),
  scheduledTime: instant,
  idempotencyKey: z.string().min(1),
  /** Regenerations only: the plan this job replaces, and the version to build. */
  supersedes: z.string().optional(),
  version: z.number().int().min(1).max(999).optional(),
  /** Catch-ups only: the day's later jobs to run after this one, in order, for the same tenant and date. */
  // biome-ignore lint/suspicious/noThenProperty: a field of the queued message contract (jobs in flight carry it), never awaited
  then: z
    .array(z.enum(JOB_NAMES))
    .max(JOB_NAMES.length - 1)
    .optional(),
  /** Procurement only: how many times it was put back on the queue to wait for its production schedule. */
  waitedForProduction: z.number().int().min(1).max(20).optional(),
  /** Cleanup only: the zone's previous cleanup date when cleanups were missed; the days between are cleaned too. */
  previousCleanup: isoDate.optional(),
  /** Cleanup only: a review firing of the zone had not run; escalate a schedule it expires if nothing did. */
  escalateUnreviewed: z.boolean().optional(),
  /** Delivery retries queued by earlier versions (events now go through the table's stream): done on arrival. */
  deliverOnly: z.number().int().min(1).max(10).optional(),
});
export type TenantJob = z.infer<typeof TenantJobSchema>;

/** One job per tenant, job, local date (and plan version): whatever is delivered twice has the same key. */
export function idempotencyKey(tenantId: string, job: JobName, planDate: LocalDate, version?: number): string {
  return `${tenantId}#${job}#${planDate}${version && version > 1 ? `#v${version}` : ''}`;
}
