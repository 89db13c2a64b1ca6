// Catch-ups: dates that no scheduled firing planned. A tenant that changed zone (or was created after
// the day's job times) gets its missing dates as one message per date that runs the day's jobs in
// order; a zone firing that did not run within the last 96 hours (a deploy, a Scheduler incident) is
// fanned out again by the sweep, oldest first, one planning job per zone and sweep in the day's order.
// Every plan made so is marked `catchUp`.
import type { Tenant } from '../domain.ts';
import { idempotencyKey, type TenantJob } from '../jobs/job-message.ts';
import {
  DAILY_JOB_NAMES,
  type DailyJobName,
  firingKey,
  firingsBetween,
  JOB_NAMES,
  type JobName,
  PLANNING_JOB_NAMES,
  type ScheduledFiring,
  unrecordedFirings,
} from '../jobs/job-table.ts';
import { CATCH_UP_WINDOW_HOURS, catchUpSequences, type Handover, lastFiredDate } from '../jobs/zone-handover.ts';
import type { PlannerPorts, ZoneInUse } from '../ports.ts';
import { type LocalDate, localDateAt } from '../time/tenant-clock.ts';
import { reviewIsDue } from '../workflow/review-deadline.ts';
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

/**
 * Today's jobs whose local time has passed, in order: what a catch-up on request runs for a tenant (the
 * review once the tenant's deadline has passed).
 */
export function jobsDueToday(tenant: Tenant, now: Date): CatchUpSequence {
  const { timezone } = tenant;
  const today = localDateAt(now, timezone);
  const due = (job: DailyJobName) =>
    job === 'review' ? reviewIsDue(tenant, today, timezone, now) : lastFiredDate(job, timezone, now) === today;
  return { planDate: today, jobs: DAILY_JOB_NAMES.filter(due) };
}

/** A tenant's catch-up on request: today's due jobs, in order, in one message (each is idempotent). */
export async function catchUpTenantToday(ports: PlannerPorts, tenant: Tenant): Promise<CatchUpSequence> {
  const now = ports.now();
  const due = jobsDueToday(tenant, now);
  await ports.queue.enqueue(catchUpMessages(tenant, [due], now));
  return due;
}

/**
 * A new tenant's first day, once its catalog arrives: created today after some of today's job times
 * (`catchUpDue` at creation), it has no production schedule for today yet, so today's due jobs are
 * enqueued now, by themselves. Nothing for a demo tenant, a tenant created on an earlier day (the
 * schedules plan it), or a day already planned; returns what it enqueued, or why not.
 */
/** Whether the tenant was created on its own today: only then is there a first day to plan. */
export function createdToday(tenant: Tenant, now: Date): boolean {
  return (
    tenant.handover?.from === null &&
    localDateAt(tenant.handover.at, tenant.timezone) === localDateAt(now, tenant.timezone)
  );
}

export async function firstDayCatchUp(
  ports: PlannerPorts,
  tenant: Tenant,
): Promise<{ enqueued: CatchUpSequence } | { skipped: string }> {
  const { tenantId } = tenant;
  if (tenant.demo) return { skipped: 'demo tenant: never planned by the schedule' };
  const now = ports.now();
  const today = localDateAt(now, tenant.timezone);
  if (!createdToday(tenant, now)) return { skipped: 'not created today: the schedules plan it' };
  const due = jobsDueToday(tenant, now);
  if (due.jobs.length === 0) return { skipped: "none of today's jobs is due yet: the schedules plan it" };
  if (await ports.plans.getProductionSchedule(tenantId, today)) return { skipped: 'today is planned already' };
  await ports.queue.enqueue(catchUpMessages(tenant, [due], now));
  ports.log.info("A new tenant's first day is planned now that its catalog is in", { tenantId, ...due });
  return { enqueued: due };
}

/** How long after its time a firing counts as missed: the Scheduler retries for up to an hour, but fires within seconds. */
const MISSED_FIRING_GRACE_MINUTES = 20;

/**
 * A zone's firings due within the catch-up window that have no run record, oldest first (a job never
 * recorded there: the zone is new, and its tenants' own catch-up covers it).
 */
function missedFirings(zone: ZoneInUse, dueBy: Date, testMode: boolean): ScheduledFiring[] {
  const since = new Date(dueBy.getTime() - CATCH_UP_WINDOW_HOURS * 3_600_000);
  return JOB_NAMES.flatMap((job) => unrecordedFirings(job, zone.timezone, zone.runs[job], since, dueBy, testMode)).sort(
    (a, b) => a.scheduledTime.localeCompare(b.scheduledTime),
  );
}

/**
 * A tenant arrives in a zone (created, or moved there): if nobody was there within the catch-up window
 * (no run records of a job in it), the job's last firing there is recorded as the zone's first, with
 * older records forgotten: the sweep catches up what the zone misses from now on (the tenant's own
 * catch-up covers the dates before), and not the firings of the empty days before it. A zone in use
 * keeps its records as they are.
 */
export async function startZoneRecords(ports: PlannerPorts, timezone: string): Promise<void> {
  const now = ports.now();
  const runs = await ports.tenants.zoneRuns(timezone);
  const keyOf = (job: JobName, firing: ScheduledFiring) => firingKey(job, firing.scheduledTime, timezone);
  const windowStart = now.getTime() - CATCH_UP_WINDOW_HOURS * 3_600_000;
  for (const job of JOB_NAMES) {
    // Eight days back: a job spread over the week fires daily, but a week covers any job's last firing.
    const firings = firingsBetween(job, timezone, new Date(now.getTime() - 8 * 86_400_000), now);
    const last = firings.at(-1);
    if (!last) continue;
    const firstInWindow = keyOf(job, firings.find((f) => Date.parse(f.scheduledTime) >= windowStart) ?? last);
    const recorded = runs[job] ?? [];
    if (recorded.some((key) => key >= firstInWindow)) continue;
    await ports.tenants.recordZoneRun(timezone, job, keyOf(job, last), recorded);
  }
}

/**
 * The sweep (every 15 minutes): in each zone in use, every firing of the last 96 hours that did not run
 * is fanned out now, as a catch-up of that firing (its date, its review deadlines), oldest first. A
 * planning job's catch-up ends the zone's turn, so that the next planning job is caught up a sweep later,
 * once this one's tenant jobs had time to finish (a review or a refit does not wait): an outage of up to
 * 72 hours is caught up whole. Older firings are the runbook's: the zone's silence alarm has fired by then.
 */
export async function sweepMissedFirings(
  ports: PlannerPorts,
  options: { testMode?: boolean } = {},
): Promise<FanOutResult[]> {
  const now = ports.now();
  const dueBy = new Date(now.getTime() - MISSED_FIRING_GRACE_MINUTES * 60_000);
  const results: FanOutResult[] = [];
  for (const zone of await ports.tenants.listZones()) {
    for (const firing of missedFirings(zone, dueBy, options.testMode ?? false)) {
      const { job, timezone, scheduledTime } = firing;
      ports.log.warn('A scheduled firing did not run; catching it up', {
        timezone,
        job,
        firing: firingKey(job, scheduledTime, timezone),
        lastRun: zone.runs[job]?.at(-1),
      });
      ports.metrics.record('SchedulerErrors', 1, { Job: job, ErrorType: 'MissedFiring' });
      results.push(
        await runFanOut(ports, {
          job,
          timezone,
          scheduledTime,
          trigger: 'catch-up',
          includeDemo: false,
          ...(options.testMode ? { testMode: true } : {}),
        }),
      );
      // The planning jobs build on each other's plans: the next one's catch-up waits a sweep.
      if ((PLANNING_JOB_NAMES as readonly string[]).includes(job)) break;
    }
  }
  return results;
}
