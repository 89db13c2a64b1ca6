// The cloud's fan-out continuation: the rest of a zone goes to a fresh, asynchronous invocation of the
// fan-out function (Lambda retries it twice and sends a failed one to the async-failures DLQ).
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { PlannerError } from '../errors.ts';
import type { FanOutRequest } from '../jobs/job-message.ts';
import type { FanOutContinuation } from '../ports.ts';

/** Tenants per fan-out invocation: a 10,000-item page of the zone index and 1,000 SendMessageBatch calls. */
export const FAN_OUT_SHARD_SIZE = 10_000;

export class LambdaFanOutContinuation implements FanOutContinuation {
  readonly shardSize = FAN_OUT_SHARD_SIZE;

  constructor(
    private readonly lambda: LambdaClient,
    private readonly functionName: string | undefined,
  ) {}

  async continueFanOut(request: FanOutRequest): Promise<void> {
    if (!this.functionName)
      throw new PlannerError(
        'unavailable',
        `A fan-out of ${request.timezone} needs another invocation, but FAN_OUT_FUNCTION_NAME is not set on this function; set it to the fan-out function's name (the stack does).`,
      );
    const answer = await this.lambda.send(
      new InvokeCommand({
        FunctionName: this.functionName,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify(request)),
      }),
    );
    if (answer.StatusCode !== 202)
      throw new PlannerError(
        'unavailable',
        `Lambda did not accept the next fan-out shard (status ${answer.StatusCode}).`,
      );
  }
}
