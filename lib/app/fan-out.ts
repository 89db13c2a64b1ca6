// The fan-out: one scheduler firing for one zone becomes one queued job per tenant of that zone, for
// the tenant-local date at the scheduled time (not at "now": a late or retried firing plans the same day).

import { type FanOutRequest, idempotencyKey, type TenantJob } from '../jobs/job-message.ts';
import { firingKey } from '../jobs/job-table.ts';
import type { PlannerPorts } from '../ports.ts';
import { addDays, localDateAt, localDateTimeAt } from '../time/tenant-clock.ts';
import { deadlineCheckedAt, reviewDeadlineOf } from '../workflow/review-deadline.ts';

export interface FanOutResult {
  job: FanOutRequest['job'];
  timezone: string;
  planDate: string;
  enqueued: number;
  skippedDemo: number;
  /** Tenants that moved here from another zone whose jobs already planned this date (zone-handover.ts). */
  skippedHandover: number;
  /** The review job's firing: tenants whose review deadline is another hour. */
  notTheirDeadline: number;
}

export async function runFanOut(ports: PlannerPorts, request: FanOutRequest): Promise<FanOutResult> {
  const planDate = request.planDate ?? localDateAt(request.scheduledTime, request.timezone);
  const log = ports.log.child({ job: request.job, timezone: request.timezone, planDate, trigger: request.trigger });
  try {
    const inZone = await ports.tenants.listTenantsInZone(request.timezone);
    const wanted = request.tenantIds ? inZone.filter((t) => request.tenantIds!.includes(t.tenantId)) : inZone;
    // Demo tenants are never planned by the schedule; an admin's manual run may ask for them.
    const includeDemo = request.trigger !== 'scheduled' && request.includeDemo;
    const planned = wanted.filter((t) => includeDemo || !t.demo);
    // After a zone change, the new zone's firings skip the dates the old zone (or the catch-up) planned.
    const followsSchedule = request.trigger === 'scheduled' || request.trigger === 'catch-up';
    const handedOver = planned.filter(
      (t) => !(followsSchedule && (t.handover?.plannedThrough[request.job] ?? '') >= planDate),
    );
    // The review job's firing checks only the tenants whose deadline is its hour.
    const checked =
      followsSchedule && request.job === 'review'
        ? deadlineCheckedAt(localDateTimeAt(request.scheduledTime, request.timezone).slice(11, 16))
        : undefined;
    const tenants = checked === undefined ? handedOver : handedOver.filter((t) => reviewDeadlineOf(t) === checked);
    // A cleanup after missed ones makes up for the days between (workflow/cleanup.ts).
    const previous =
      followsSchedule && request.job === 'cleanup'
        ? await ports.tenants.lastZoneRun(request.timezone, 'cleanup')
        : null;
    const previousCleanup = previous && previous < addDays(planDate, -1) ? { previousCleanup: previous } : {};
    const jobs: TenantJob[] = tenants.map((tenant) => ({
      job: request.job,
      tenantId: tenant.tenantId,
      timezone: tenant.timezone,
      planDate,
      trigger: request.trigger,
      scheduledTime: request.scheduledTime,
      idempotencyKey: idempotencyKey(tenant.tenantId, request.job, planDate),
      ...previousCleanup,
    }));
    await ports.queue.enqueue(jobs);
    if (followsSchedule && !request.tenantIds)
      await ports.tenants.recordZoneRun(
        request.timezone,
        request.job,
        request.planDate ?? firingKey(request.job, request.scheduledTime, request.timezone),
      );
    ports.metrics.record('SchedulerRuns', 1, { Job: request.job, Trigger: request.trigger });
    ports.metrics.record('SchedulerLastRunTimestamp', Math.floor(ports.now().getTime() / 1000), {
      Job: request.job,
      Timezone: request.timezone,
    });
    const result = {
      job: request.job,
      timezone: request.timezone,
      planDate,
      enqueued: jobs.length,
      skippedDemo: wanted.length - planned.length,
      skippedHandover: planned.length - handedOver.length,
      notTheirDeadline: handedOver.length - tenants.length,
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
