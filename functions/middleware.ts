// The middlewares the planner's functions share. Metrics are flushed once per invocation, whatever its
// outcome (use cases only record them), and an invocation that fails is logged with its request id
// before the runtime retries it or sends it to its DLQ.
import type middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { Logger } from '../lib/log.ts';
import type { PlannerPorts } from '../lib/ports.ts';

export function flushMetrics(ports: () => PlannerPorts): middy.MiddlewareObj<unknown, unknown, Error, Context> {
  const flush = async () => ports().metrics.flush();
  return { after: flush, onError: flush };
}

export function logFailures(log: () => Logger): middy.MiddlewareObj<unknown, unknown, Error, Context> {
  return {
    onError: async (request) => {
      log().error('Invocation failed; the runtime will retry it or send it to its DLQ', {
        awsRequestId: request.context?.awsRequestId,
        functionName: request.context?.functionName,
        error: request.error,
      });
    },
  };
}
