// Missed-firings Lambda: every 15 minutes, fans out again any zone firing of the last 96 hours that did
// not run (a deploy, a Scheduler incident), as a catch-up of that firing.
import middy from '@middy/core';
import { sweepMissedFirings } from '../../lib/app/catch-up.ts';
import type { FanOutResult } from '../../lib/app/fan-out.ts';
import { cloudPorts } from '../../lib/aws/cloud-ports.ts';
import { testMode } from '../../lib/config.ts';
import type { PlannerPorts } from '../../lib/ports.ts';
import { flushMetrics, logFailures } from '../middleware.ts';

export function createMissedFiringsHandler(ports: () => PlannerPorts) {
  return middy(async (): Promise<FanOutResult[]> => sweepMissedFirings(ports(), { testMode: testMode() }))
    .use(flushMetrics(ports))
    .use(logFailures(() => ports().log));
}

export const handler = createMissedFiringsHandler(cloudPorts);
