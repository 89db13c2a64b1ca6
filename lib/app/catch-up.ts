// Catch-ups: dates that no scheduled firing planned. A tenant that changed zone (or was created after
// the day's job times) gets its missing dates as one message per date that runs the day's jobs in
// order; a zone whose schedule did not fire (a deploy, a Scheduler incident) is fanned out again by the
// sweep, one job at a time in the day's order, within minutes. Every plan made so is marked `catchUp`.
import type { Tenant } from '../domain.ts';
import { idempotencyKey, type TenantJob } from '../jobs/job-message.ts';
import { DAILY_JOB_NAMES, firingKey, firingsBetween, JOB_NAMES, type JobName } from '../jobs/job-table.ts';
import { catchUpSequences, type Handover, lastFiredDate } from '../jobs/zone-handover.ts';
import type { PlannerPorts } from '../ports.ts';
import { type LocalDate, localDateAt } from '../time/tenant-clock.ts';
import { type FanOutResult, runFanOut } from './fan-out.ts';

export interface CatchUpSequence {
  planDate: LocalDate;
  jobs: JobName[];
}

/** One queued message per date: its first job, then the rest in order (runTenantJob runs `then`). */
export function catchUpMessages(tenant: Tenant, sequences: readonly CatchUpSequence[], now: Date): TenantJob[] {
  return sequences
    .filter((s) => s.jobs.length > 0)
    .map(({ planDate, jobs: [first, ...rest] }) => ({
      job: first!,
      tenantId: tenant.tenantId,
      timezone: tenant.timezone,
      planDate,
      trigger: 'catch-up' as const,
      scheduledTime: now.toISOString(),
      idempotencyKey: idempotencyKey(tenant.tenantId, first!, planDate),
      // biome-ignore lint/suspicious/noThenProperty: the job message's `then` field (job-message.ts)
      ...(rest.length ? { then: rest } : {}),
    }));
}

/** Enqueues the handover's catch-up (demo tenants are never planned by the schedule, so not caught up either). */
export async function enqueueHandoverCatchUp(
  ports: PlannerPorts,
  tenant: Tenant,
  handover: Handover,
): Promise<CatchUpSequence[]> {
  const sequences = tenant.demo ? [] : catchUpSequences(handover);
  await ports.queue.enqueue(catchUpMessages(tenant, sequences, ports.now()));
  if (sequences.length)
    ports.log.info('Catch-up enqueued after a zone change', { tenantId: tenant.tenantId, sequences });
  return sequences;
}

/** Today's jobs whose local time has passed, in order: what a catch-up on request runs for a tenant. */
function jobsDueToday(timezone: string, now: Date): CatchUpSequence {
  const today = localDateAt(now, timezone);
  return { planDate: today, jobs: DAILY_JOB_NAMES.filter((job) => lastFiredDate(job, timezone, now) === today) };
}

/** A tenant's catch-up on request: today's due jobs, in order, in one message (each is idempotent). */
export async function catchUpTenantToday(ports: PlannerPorts, tenant: Tenant): Promise<CatchUpSequence> {
  const now = ports.now();
  const due = jobsDueToday(tenant.timezone, now);
  await ports.queue.enqueue(catchUpMessages(tenant, [due], now));
  return due;
}

/**
 * A new tenant's first day, once its catalog arrives: created today after some of today's job times
 * (`catchUpDue` at creation), it has no production schedule for today yet, so today's due jobs are
 * enqueued now, by themselves. Nothing for a demo tenant, a tenant created on an earlier day (the
 * schedules plan it), or a day already planned; returns what it enqueued, or why not.
 */
export async function firstDayCatchUp(
  ports: PlannerPorts,
  tenant: Tenant,
): Promise<{ enqueued: CatchUpSequence } | { skipped: string }> {
  const { tenantId } = tenant;
  if (tenant.demo) return { skipped: 'demo tenant: never planned by the schedule' };
  const now = ports.now();
  const today = localDateAt(now, tenant.timezone);
  const created = tenant.handover?.from === null ? localDateAt(tenant.handover.at, tenant.timezone) : null;
  if (created !== today) return { skipped: 'not created today: the schedules plan it' };
  const due = jobsDueToday(tenant.timezone, now);
  if (due.jobs.length === 0) return { skipped: "none of today's jobs is due yet: the schedules plan it" };
  if (await ports.plans.getProductionSchedule(tenantId, today)) return { skipped: 'today is planned already' };
  await ports.queue.enqueue(catchUpMessages(tenant, [due], now));
  ports.log.info("A new tenant's first day is planned now that its catalog is in", { tenantId, ...due });
  return { enqueued: due };
}

/** How long after its time a firing counts as missed: the Scheduler retries for up to an hour, but fires within seconds. */
const MISSED_FIRING_GRACE_MINUTES = 20;

/**
 * The sweep (every 15 minutes): in each zone in use, the first job of the day's order whose last due
 * firing has not run is fanned out now, as a catch-up for that firing's date. One job per zone and
 * sweep, so procurement is caught up only after production's catch-up had a sweep's time to finish.
 * A zone with no recorded run yet is new: its tenants' own catch-up covers it.
 */
export async function sweepMissedFirings(ports: PlannerPorts): Promise<FanOutResult[]> {
  const now = ports.now();
  const dueBy = new Date(now.getTime() - MISSED_FIRING_GRACE_MINUTES * 60_000);
  const results: FanOutResult[] = [];
  for (const zone of await ports.tenants.listZones()) {
    for (const job of JOB_NAMES) {
      const recorded = zone.lastRuns[job];
      if (!recorded) continue;
      // Eight days back: a weekly job's last firing is in them.
      const due = firingsBetween(job, zone.timezone, new Date(dueBy.getTime() - 8 * 86_400_000), dueBy).at(-1);
      if (!due) continue;
      const dueKey = firingKey(job, due.scheduledTime, zone.timezone);
      if (recorded >= dueKey) continue;
      ports.log.warn('A scheduled firing did not run; catching it up', {
        timezone: zone.timezone,
        job,
        firing: dueKey,
        lastRun: recorded,
      });
      ports.metrics.record('SchedulerErrors', 1, { Job: job, ErrorType: 'MissedFiring' });
      results.push(
        await runFanOut(ports, {
          job,
          timezone: zone.timezone,
          scheduledTime: due.scheduledTime,
          trigger: 'catch-up',
          includeDemo: false,
        }),
      );
      break;
    }
  }
  return results;
}
