// The cleanup job (05:50 local): stale plans change status by the rules of workflow/cleanup.ts, each
// change written with its event on the plan's item. It reads by key only the plans of the dates the rules
// reach today (and of days missed since the zone's previous cleanup), never the tenant's history.
// First, where nobody recorded yesterday's actuals, it measures yesterday's plan with what there is:
// yesterday's sales (measureFromSales).
import type { ProcurementStatus } from '../../domain.ts';
import { type PlanEvent, planEvent } from '../../events/catalogue.ts';
import type { TenantJob } from '../../jobs/job-message.ts';
import type { PlannerPorts } from '../../ports.ts';
import { addDays } from '../../time/tenant-clock.ts';
import { cleanupDates, decideCleanup } from '../../workflow/cleanup.ts';
import { reviewDeadlineOf, reviewIsDue } from '../../workflow/review-deadline.ts';
import { measureFromSales } from '../actuals.ts';
import { escalate } from './review.ts';
import { loadTenant, planQualityFailed, type TenantJobResult } from './tenant-job.ts';

/** Applies the cleanup rules; each status change is written with its event (the stream publishes it). */
export async function runCleanupJob(
  ports: PlannerPorts,
  job: TenantJob,
  signal: AbortSignal,
): Promise<TenantJobResult> {
  const yesterday = addDays(job.planDate, -1);
  const dates = cleanupDates(job.planDate, job.previousCleanup);
  // What the job reads by key, in one batch read: for yesterday's measure the tenant, its catalog and
  // calendar, yesterday's plan and whether its measure is kept already; for the rules the plans of
  // the dates they reach.
  await ports.readAhead.prefetch(job.tenantId, {
    profile: true,
    catalog: true,
    calendar: true,
    productionPlans: [...new Set([yesterday, ...dates])],
    procurementPlans: dates,
    qualityDates: [yesterday],
  });
  // Measured before the status changes: those rewrite yesterday's plan, which would be read again.
  const tenant = await ports.tenants.getTenant(job.tenantId);
  // The rules run whatever becomes of the measure: a plan-quality store that fails costs the measure only.
  const measured = tenant
    ? await measureFromSales(ports, tenant, yesterday, job.planDate).catch((error: unknown) => {
        planQualityFailed(ports, job.tenantId, 'measure', error);
        return 'failed' as const;
      })
    : 'no tenant';
  signal.throwIfAborted();
  const plans = await ports.plans.plansOn(job.tenantId, dates);
  const decision = decideCleanup(plans, job.planDate);
  const occurredAt = ports.now().toISOString();
  const written: PlanEvent[] = [];
  // A review firing of the zone had not run (job-message.ts), or this is a catch-up, which runs each
  // date's jobs side by side with the other dates' (a date's cleanup may come before the day before's
  // review): a schedule about to expire unconfirmed is escalated first, once due, unless the review did it.
  const unconfirmed = decision.changes.filter((c) => c.plan.kind === 'production' && c.to === 'expired');
  if ((job.escalateUnreviewed || job.trigger === 'catch-up') && unconfirmed.length) {
    const tenant = await loadTenant(ports, job.tenantId);
    const deadline = reviewDeadlineOf(tenant);
    const due = unconfirmed
      .map((c) => c.plan)
      .filter((plan) => reviewIsDue(tenant, plan.planDate, tenant.timezone, ports.now()));
    // Each plan escalates on its own date's item (a catch-up may reach several dates).
    for (const date of new Set(due.map((plan) => plan.planDate)))
      written.push(
        ...(await escalate(
          ports,
          job.tenantId,
          date,
          due.filter((plan) => plan.planDate === date),
          deadline,
          occurredAt,
        )),
      );
  }
  const moved = new Map<string, string>();
  for (const change of decision.changes) {
    signal.throwIfAborted();
    const event = planEvent('plan.cleanup.status_changed', [change.plan.planId, change.to], {
      tenantId: job.tenantId,
      planId: change.plan.planId,
      planDate: change.plan.planDate,
      occurredAt,
      kind: change.plan.kind,
      from: change.plan.status,
      to: change.to,
      reason: change.reason,
    });
    const entry =
      change.plan.kind === 'procurement'
        ? {
            at: occurredAt,
            by: 'cleanup',
            from: change.plan.status as ProcurementStatus,
            to: change.to,
            reason: change.reason,
          }
        : null;
    if (await ports.plans.changeStatus(job.tenantId, change.plan, change.to, entry, undefined, [event])) {
      moved.set(change.plan.planId, change.to);
      written.push(event);
    } else
      ports.log.info('Plan changed meanwhile; cleanup left it alone', {
        tenantId: job.tenantId,
        planId: change.plan.planId,
      });
  }
  const byStatus = new Map<string, number>();
  for (const status of moved.values()) byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
  for (const [status, count] of byStatus)
    ports.metrics.record('CleanupStatusChanges', count, { Status: status }, { tenantId: job.tenantId });
  return {
    outcome: 'done',
    summary: {
      plansRead: plans.length,
      changed: moved.size,
      events: written.length,
      yesterdayMeasured: measured,
    },
  };
}
