// The worker's dispatcher: one tenant job message to the job it names (catch-ups chain the day's later
// jobs).
import { idempotencyKey, type TenantJob } from '../../jobs/job-message.ts';
import type { PlannerPorts } from '../../ports.ts';
import { runCleanupJob } from './cleanup.ts';
import { runModelRefitJob } from './model-refit.ts';
import { runProcurementJob } from './procurement.ts';
import { runProductionJob } from './production.ts';
import { runReviewJob } from './review.ts';
import type { TenantJobResult } from './tenant-job.ts';

/**
 * Runs the job, then (catch-ups only) the day's later jobs in order, each idempotent on its own key:
 * one message keeps the order that separate messages on a standard queue would not.
 */
export async function runTenantJob(ports: PlannerPorts, job: TenantJob, signal: AbortSignal): Promise<TenantJobResult> {
  // A delivery retry queued before events went through the table's stream: the stream delivers now.
  if (job.deliverOnly) return { outcome: 'done', summary: { retiredDeliveryRetry: job.deliverOnly } };
  const result = await runOneJob(ports, job, signal);
  for (const next of job.then ?? []) {
    signal.throwIfAborted();
    const { then: _then, ...rest } = job;
    const followUp = await runOneJob(
      ports,
      { ...rest, job: next, idempotencyKey: idempotencyKey(job.tenantId, next, job.planDate) },
      signal,
    );
    result.summary[`then:${next}`] = followUp.outcome;
  }
  return result;
}

function runOneJob(ports: PlannerPorts, job: TenantJob, signal: AbortSignal): Promise<TenantJobResult> {
  switch (job.job) {
    case 'production':
      return runProductionJob(ports, job, signal);
    case 'procurement':
      return runProcurementJob(ports, job, signal);
    case 'cleanup':
      return runCleanupJob(ports, job, signal);
    case 'review':
      return runReviewJob(ports, job, signal);
    case 'model-refit':
      return runModelRefitJob(ports, job, signal);
  }
}
