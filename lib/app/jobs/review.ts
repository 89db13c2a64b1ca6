// The review job (on the hour, 07:00–23:00 local, and caught up): escalates the day's plans still
// waiting for a person once the tenant's review deadline has passed.
import { type PlanEvent, planEvent } from '../../events/catalogue.ts';
import type { TenantJob } from '../../jobs/job-message.ts';
import type { PlannerPorts } from '../../ports.ts';
import type { LocalDate } from '../../time/tenant-clock.ts';
import type { PlanSummary } from '../../workflow/cleanup.ts';
import { plansAwaitingReview, reviewDeadlineOf, reviewIsDue } from '../../workflow/review-deadline.ts';
import { loadTenant, type TenantJobResult } from './tenant-job.ts';

/**
 * The review deadline: once the tenant's deadline of the plan date has passed in its zone, each plan of
 * that date still waiting for a person escalates, once per plan and day however often the job runs (the
 * claim and its event are one conditional write): a catch-up of a missed firing escalates late rather
 * than never. Before the deadline, nothing escalates.
 */
export async function runReviewJob(ports: PlannerPorts, job: TenantJob, signal: AbortSignal): Promise<TenantJobResult> {
  await ports.readAhead.prefetch(job.tenantId, {
    profile: true,
    productionPlans: [job.planDate],
    procurementPlans: [job.planDate],
  });
  const tenant = await loadTenant(ports, job.tenantId);
  const deadline = reviewDeadlineOf(tenant);
  const now = ports.now();
  if (!reviewIsDue(tenant, job.planDate, tenant.timezone, now)) {
    return { outcome: 'done', summary: { escalations: 0, deadline, notDue: 1 } };
  }
  const waiting = plansAwaitingReview(await ports.plans.plansOn(job.tenantId, [job.planDate]), job.planDate);
  const occurredAt = now.toISOString();
  signal.throwIfAborted();
  const written = await escalate(ports, job.tenantId, job.planDate, waiting, deadline, occurredAt);
  return {
    outcome: 'done',
    summary: { escalations: written.length, waiting: waiting.length, deadline },
  };
}

/**
 * Escalates plans of `day` still waiting for a person past its deadline, once per plan and day whoever
 * asks (the review job, or a cleanup about to expire them): the claims and their events are written
 * together, conditionally. Returns the events of the plans escalated now (not those escalated already).
 */
export function escalate(
  ports: PlannerPorts,
  tenantId: string,
  day: LocalDate,
  plans: readonly PlanSummary[],
  deadline: string,
  occurredAt: string,
): Promise<PlanEvent[]> {
  const claims = plans.map((plan) => ({
    plan,
    event: planEvent('plan.escalation.unapproved', [plan.planId, plan.planDate], {
      tenantId,
      planId: plan.planId,
      planDate: plan.planDate,
      occurredAt,
      kind: plan.kind,
      status: plan.status,
      deadline,
    }),
  }));
  return ports.plans.claimEscalations(tenantId, day, claims);
}
