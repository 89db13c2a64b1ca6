// The local stand-in for the fan-out's asynchronous self-invocation (lib/aws/lambda-fan-out.ts): the
// next shard of a zone runs through the same fan-out handler, in-process, as a fresh invocation would.
import type { Context } from 'aws-lambda';
import { createFanOutHandler } from '../../functions/fan-out/handler.ts';
import type { FanOutContinuation, PlannerPorts } from '../ports.ts';

const invocation = { functionName: 'fan-out', awsRequestId: 'local-shard' } as Context;

export function localFanOutContinuation(ports: () => PlannerPorts, shardSize: number): FanOutContinuation {
  return {
    shardSize,
    continueFanOut: async (request) => {
      await createFanOutHandler(ports)(request, invocation);
    },
  };
}
