// Two lanes of tenant jobs, each with its own queue and its own consumer (and so its own concurrency):
// the day's jobs (production, cleanup, procurement, review) and training (the weekly model refit). A
// backlog of refits never takes a worker from the morning's plans, and the day's jobs never wait behind
// a refit. The weekly refit is spread over the week by tenant: each zone's refit fires every day, for
// the seventh of its tenants whose refit weekday it is.
import { createHash } from 'node:crypto';
import { type JobName, jobDefinition } from './job-table.ts';

export type Lane = 'daily' | 'training';

export function laneOf(job: JobName): Lane {
  return jobDefinition(job).lane ?? 'daily';
}

/**
 * The ISO weekday (1 = Monday … 7 = Sunday) of a tenant's weekly refit: a hash of its id, so that a
 * fleet's refits spread evenly over the week and a tenant's day never changes.
 */
export function refitWeekdayOf(tenantId: string): number {
  return (createHash('sha256').update(tenantId).digest().readUInt32BE(0) % 7) + 1;
}
