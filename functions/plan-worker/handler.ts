// Worker Lambda: consumes tenant jobs from SQS and reports partial batch failures, so that only the
// failed tenants are retried.
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { processJobs } from '../../lib/app/process-jobs.ts';
import { DEFAULT_TENANT_BUDGET_MS } from '../../lib/app/time-budget.ts';
import { cloudPorts } from '../../lib/aws/cloud-ports.ts';
import { tenantBudgetMs } from '../../lib/config.ts';
import type { PlannerPorts } from '../../lib/ports.ts';
import { flushMetrics, logFailures } from '../middleware.ts';

export function createPlanWorkerHandler(
  ports: () => PlannerPorts,
  budgetMs: () => number = () => tenantBudgetMs(DEFAULT_TENANT_BUDGET_MS),
) {
  return middy(async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const reports = await processJobs(
      ports(),
      event.Records.map((record) => ({ messageId: record.messageId, body: record.body })),
      budgetMs(),
    );
    return {
      batchItemFailures: reports.filter((r) => r.status !== 'succeeded').map((r) => ({ itemIdentifier: r.messageId })),
    };
  })
    .use(flushMetrics(ports))
    .use(logFailures(() => ports().log));
}

export const handler = createPlanWorkerHandler(cloudPorts);
