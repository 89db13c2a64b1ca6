// Fan-out Lambda: invoked by an EventBridge Scheduler schedule (one per job × timezone) or by an
// admin's manual run; enqueues one job per tenant of the zone.
import middy from '@middy/core';
import { type FanOutResult, runFanOut } from '../../lib/app/fan-out.ts';
import { cloudPorts } from '../../lib/aws/cloud-ports.ts';
import { FanOutRequestSchema } from '../../lib/jobs/job-message.ts';
import type { PlannerPorts } from '../../lib/ports.ts';
import { flushMetrics, logFailures } from '../middleware.ts';

export function createFanOutHandler(ports: () => PlannerPorts) {
  return middy(async (event: unknown): Promise<FanOutResult> => runFanOut(ports(), FanOutRequestSchema.parse(event)))
    .use(flushMetrics(ports))
    .use(logFailures(() => ports().log));
}

export const handler = createFanOutHandler(cloudPorts);
