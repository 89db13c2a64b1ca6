// The fan-out: one scheduler firing for one zone becomes one queued job per tenant of that zone, for
// the tenant-local date at the scheduled time (not at "now": a late or retried firing plans the same day).
// A zone is fanned out in shards: each invocation enqueues one page of the zone's tenants and hands the
// rest to a fresh invocation (ports.fanOut), so that no invocation carries a whole zone.

import { type FanOutRequest, idempotencyKey, type TenantJob } from '../jobs/job-message.ts';
import { firingKey, firingsBetween, jobDefinition, unrecordedFirings } from '../jobs/job-table.ts';
import { refitWeekdayOf } from '../jobs/lanes.ts';
import type { PlannerPorts } from '../ports.ts';
import { addDays, type LocalDate, localDateAt, weekdayOf } from '../time/tenant-clock.ts';
import { type ReviewCheck, reviewsCheckedBy } from '../workflow/review-deadline.ts';

export interface FanOutResult {
  job: FanOutRequest['job'];
  timezone: string;
  planDate: string;
  enqueued: number;
  skippedDemo: number;
  /** Tenants that moved here from another zone whose jobs already planned this date (zone-handover.ts). */
  skippedHandover: number;
  /** Tenants of a job spread over the week whose weekday this is not (lanes.ts). */
  skippedOtherWeekday: number;
  /** Handed the rest of the zone to another invocation (this shard stopped at a page's end). */
  continued: boolean;
}

const DAY_MS = 86_400_000;
/** The jobs that make the plans a review escalates. */
const PLAN_MAKING_JOBS: ReadonlySet<FanOutRequest['job']> = new Set(['production', 'procurement']);
/** A zone's run records are kept for the sweep's window (96 h, zone-handover.ts) and a day. */
const RUN_RECORDS_KEPT_DAYS = 5;

type Selection = Omit<FanOutResult, 'job' | 'timezone' | 'planDate' | 'enqueued' | 'continued'> & {
  tenants: { tenantId: string }[];
  cursor?: string;
};

/**
 * A review firing (scheduled or caught up): the tenants with a plan of the checked date still waiting
 * for a person and whose deadline is the checked one, read from the sparse review index — not the zone.
 */
async function dueForReview(
  ports: PlannerPorts,
  request: FanOutRequest,
  check: ReviewCheck | undefined,
): Promise<Selection> {
  if (!check) return { tenants: [], skippedDemo: 0, skippedHandover: 0, skippedOtherWeekday: 0 };
  const page = await ports.plans.tenantsAwaitingReview(
    request.timezone,
    check.planDate,
    check.deadline,
    ports.fanOut.shardSize,
    request.cursor,
  );
  return {
    tenants: page.items.map((tenantId) => ({ tenantId })),
    skippedDemo: 0,
    skippedHandover: 0,
    skippedOtherWeekday: 0,
    ...(page.cursor ? { cursor: page.cursor } : {}),
  };
}

/**
 * The (date, deadline) a review firing checks (review-deadline.ts); a firing that checks several hands
 * each further one to its own invocation, and checks the first itself.
 */
async function reviewCheck(ports: PlannerPorts, request: FanOutRequest): Promise<ReviewCheck | undefined> {
  if (request.deadline && request.planDate) return { planDate: request.planDate, deadline: request.deadline };
  const [first, ...more] = reviewsCheckedBy(request.scheduledTime, request.timezone, request.testMode);
  if (request.cursor === undefined)
    for (const check of more) await ports.fanOut.continueFanOut({ ...request, ...check, cursor: undefined });
  return first;
}

/** Every tenant of the zone the firing concerns: demo tenants and handed-over dates left out. */
async function zoneTenants(
  ports: PlannerPorts,
  request: FanOutRequest,
  planDate: LocalDate,
  followsSchedule: boolean,
): Promise<Selection> {
  const page = await ports.tenants.tenantsInZonePage(request.timezone, ports.fanOut.shardSize, request.cursor);
  const inZone = page.items;
  const wanted = request.tenantIds ? inZone.filter((t) => request.tenantIds!.includes(t.tenantId)) : inZone;
  // Demo tenants are never planned by the schedule; an admin's manual run may ask for them.
  const includeDemo = request.trigger !== 'scheduled' && request.includeDemo;
  const planned = wanted.filter((t) => includeDemo || !t.demo);
  // After a zone change, the new zone's firings skip the dates the old zone (or the catch-up) planned.
  const handedOver = planned.filter(
    (t) => !(followsSchedule && (t.handover?.plannedThrough[request.job] ?? '') >= planDate),
  );
  // A job spread over the week fires daily for the tenants whose weekday it is (an admin's run: for all).
  const spread = followsSchedule && !request.tenantIds && jobDefinition(request.job).spreadOverWeek;
  const weekday = weekdayOf(planDate);
  const tenants = spread ? handedOver.filter((t) => refitWeekdayOf(t.tenantId) === weekday) : handedOver;
  return {
    tenants,
    skippedDemo: wanted.length - planned.length,
    skippedHandover: planned.length - handedOver.length,
    skippedOtherWeekday: handedOver.length - tenants.length,
    ...(page.cursor ? { cursor: page.cursor } : {}),
  };
}

/** Records the firing (what the sweep compares), and forgets the zone's records of the job older than kept. */
async function recordRun(ports: PlannerPorts, request: FanOutRequest): Promise<void> {
  const { job, timezone, scheduledTime } = request;
  const at = Date.parse(scheduledTime);
  const old = firingsBetween(
    job,
    timezone,
    new Date(at - (RUN_RECORDS_KEPT_DAYS + 5) * DAY_MS),
    new Date(at - RUN_RECORDS_KEPT_DAYS * DAY_MS),
    request.testMode,
  );
  await ports.tenants.recordZoneRun(
    timezone,
    job,
    firingKey(job, scheduledTime, timezone),
    // One key per date for a daily job, whatever its firings (test mode fires it every 30 minutes).
    [...new Set(old.map((firing) => firingKey(job, firing.scheduledTime, timezone)))],
  );
}

/**
 * What a cleanup firing hands its tenant jobs, read by its first shard from the zone's run records before
 * recording its own (later shards get it from the first): the zone's previous cleanup when some were
 * missed (the days between are cleaned too, workflow/cleanup.ts), and whether a review firing of the
 * last two days has not run yet (an outage the sweep is still catching up): then a production schedule
 * the cleanup expires is escalated first, if nothing escalated it, so that no day's escalation is lost
 * to the order in which the catch-ups and the resumed firings run.
 */
async function cleanupContext(
  ports: PlannerPorts,
  request: FanOutRequest,
  planDate: LocalDate,
  firstShard: boolean,
): Promise<Pick<TenantJob, 'previousCleanup' | 'escalateUnreviewed'>> {
  if (!firstShard)
    return {
      ...(request.previousCleanup ? { previousCleanup: request.previousCleanup } : {}),
      ...(request.escalateUnreviewed ? { escalateUnreviewed: true } : {}),
    };
  const runs = await ports.tenants.zoneRuns(request.timezone);
  const previous = runs.cleanup?.at(-1);
  const at = Date.parse(request.scheduledTime);
  const unreviewed =
    unrecordedFirings(
      'review',
      request.timezone,
      runs.review,
      new Date(at - 2 * DAY_MS),
      new Date(at),
      request.testMode,
    ).length > 0;
  return {
    ...(previous && previous < addDays(planDate, -1) ? { previousCleanup: previous } : {}),
    ...(unreviewed ? { escalateUnreviewed: true } : {}),
  };
}

export async function runFanOut(ports: PlannerPorts, request: FanOutRequest): Promise<FanOutResult> {
  const followsSchedule = request.trigger === 'scheduled' || request.trigger === 'catch-up';
  const byReviewIndex = followsSchedule && request.job === 'review' && !request.tenantIds;
  let planDate = request.planDate ?? localDateAt(request.scheduledTime, request.timezone);
  const log = ports.log.child({ job: request.job, timezone: request.timezone, planDate, trigger: request.trigger });
  try {
    const check = byReviewIndex ? await reviewCheck(ports, request) : undefined;
    if (check) planDate = check.planDate;
    const selection = byReviewIndex
      ? await dueForReview(ports, request, check)
      : await zoneTenants(ports, request, planDate, followsSchedule);
    const { tenants, cursor, ...skipped } = selection;
    const firstShard = request.cursor === undefined && request.deadline === undefined;
    const cleanup =
      request.job === 'cleanup' && followsSchedule ? await cleanupContext(ports, request, planDate, firstShard) : {};
    const jobs: TenantJob[] = tenants.map((tenant) => ({
      job: request.job,
      tenantId: tenant.tenantId,
      timezone: request.timezone,
      planDate,
      trigger: request.trigger,
      scheduledTime: request.scheduledTime,
      idempotencyKey: idempotencyKey(tenant.tenantId, request.job, planDate),
      ...cleanup,
      // A plan caught up late may come after its date's review firing (resumed firings run beside the
      // sweep's catch-ups): its review follows it in the same message, and escalates only once due.
      // biome-ignore lint/suspicious/noThenProperty: the job message's `then` field (job-message.ts)
      ...(request.trigger === 'catch-up' && PLAN_MAKING_JOBS.has(request.job) ? { then: ['review' as const] } : {}),
    }));
    await ports.queue.enqueue(jobs);
    if (cursor) await ports.fanOut.continueFanOut({ ...request, cursor, ...cleanup });
    if (followsSchedule && !request.tenantIds && firstShard) await recordRun(ports, request);
    if (firstShard) {
      ports.metrics.record('SchedulerRuns', 1, { Job: request.job, Trigger: request.trigger });
      // Per zone, only what the zone's silence alarm watches: a custom metric per zone and job would cost
      // more than the zone's tenants (the other jobs' last runs are in ZONERUNS, which the sweep checks).
      if (request.job === 'production')
        ports.metrics.record('SchedulerLastRunTimestamp', Math.floor(ports.now().getTime() / 1000), {
          Job: request.job,
          Timezone: request.timezone,
        });
    }
    const result = {
      job: request.job,
      timezone: request.timezone,
      planDate,
      enqueued: jobs.length,
      ...skipped,
      continued: cursor !== undefined,
    };
    log.info('Fan-out enqueued tenant jobs', { ...result });
    return result;
  } catch (error) {
    ports.metrics.record('SchedulerErrors', 1, {
      Job: request.job,
      ErrorType: error instanceof Error ? error.name : 'Unknown',
    });
    log.error('Fan-out failed; the scheduler will retry the firing', { error });
    throw error;
  }
}
