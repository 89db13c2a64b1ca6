// The worker's use case: run each tenant job of a queue batch within its time budget, side by side,
// and name the failed messages so that only those are retried (and, after the retry limit, go to the DLQ).

import { withJobSignal } from '../job-signal.ts';
import { type TenantJob, TenantJobSchema } from '../jobs/job-message.ts';
import type { PlannerPorts } from '../ports.ts';
import { jobPorts } from './job-ports.ts';
import { runTenantJob } from './jobs/run-tenant-job.ts';
import type { TenantJobResult } from './jobs/tenant-job.ts';
import { TenantTimeoutError, withinBudget } from './time-budget.ts';

export interface QueuedJob {
  messageId: string;
  body: string;
}

export type JobReport =
  | { messageId: string; status: 'succeeded'; job: TenantJob; result: TenantJobResult; durationMs: number }
  | { messageId: string; status: 'failed' | 'timeout' | 'invalid'; job?: TenantJob; error: string; durationMs: number };

export async function processJobs(
  ports: PlannerPorts,
  messages: readonly QueuedJob[],
  budgetMs: number,
): Promise<JobReport[]> {
  const reports = await Promise.all(messages.map((message) => processOne(ports, message, budgetMs)));
  return reports;
}

async function processOne(ports: PlannerPorts, message: QueuedJob, budgetMs: number): Promise<JobReport> {
  const started = Date.now();
  let job: TenantJob;
  try {
    job = TenantJobSchema.parse(JSON.parse(message.body));
  } catch (error) {
    ports.log.error('Malformed job message; it will go to the DLQ after its retries', {
      messageId: message.messageId,
      error,
    });
    ports.metrics.record('TenantsProcessed', 1, { Job: 'unknown', Status: 'invalid' });
    return { messageId: message.messageId, status: 'invalid', error: String(error), durationMs: Date.now() - started };
  }
  const log = ports.log.child({
    tenantId: job.tenantId,
    job: job.job,
    planDate: job.planDate,
    messageId: message.messageId,
  });
  const properties = { tenantId: job.tenantId, planDate: job.planDate, idempotencyKey: job.idempotencyKey };
  try {
    const result = await withinBudget(budgetMs, (signal) =>
      withJobSignal(signal, () => runTenantJob(jobPorts(ports, signal, log), job, signal)),
    );
    const durationMs = Date.now() - started;
    ports.metrics.record(
      'TenantsProcessed',
      1,
      { Job: job.job, Status: result.outcome === 'duplicate' ? 'duplicate' : 'success' },
      properties,
    );
    ports.metrics.record('GenerationDuration', durationMs, { Job: job.job }, properties);
    log.info('Tenant job finished', { outcome: result.outcome, planId: result.planId, durationMs, ...result.summary });
    return { messageId: message.messageId, status: 'succeeded', job, result, durationMs };
  } catch (error) {
    const durationMs = Date.now() - started;
    const timedOut = error instanceof TenantTimeoutError;
    ports.metrics.record('TenantsProcessed', 1, { Job: job.job, Status: timedOut ? 'timeout' : 'failed' }, properties);
    if (timedOut) ports.metrics.record('TenantTimeouts', 1, { Job: job.job }, properties);
    log.error(
      timedOut ? 'Tenant job timed out; the queue will retry it' : 'Tenant job failed; the queue will retry it',
      { error, durationMs },
    );
    return {
      messageId: message.messageId,
      status: timedOut ? 'timeout' : 'failed',
      job,
      error: error instanceof Error ? error.message : String(error),
      durationMs,
    };
  }
}
