// The fan-out's hand-over to a fresh invocation: an asynchronous Invoke of the named function with the
// next shard's request, and a clear error where the function name is not configured.
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { LambdaFanOutContinuation } from '../../lib/aws/lambda-fan-out.ts';
import type { FanOutRequest } from '../../lib/jobs/job-message.ts';

const request: FanOutRequest = {
  job: 'production',
  timezone: 'Europe/Madrid',
  scheduledTime: '2026-11-28T04:30:00Z',
  trigger: 'scheduled',
  includeDemo: false,
  cursor: '{"GSI1PK":"ZONE#Europe/Madrid"}',
};

describe('the Lambda fan-out continuation', () => {
  it('invokes the fan-out asynchronously with the next shard', async () => {
    const lambda = mockClient(LambdaClient);
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    await new LambdaFanOutContinuation(new LambdaClient({}), 'BakeryPlanner-fan-out').continueFanOut(request);
    const input = lambda.commandCalls(InvokeCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ FunctionName: 'BakeryPlanner-fan-out', InvocationType: 'Event' });
    expect(JSON.parse(new TextDecoder().decode(input.Payload as Uint8Array))).toEqual(request);
    lambda.restore();
  });

  it('says what to set when the function name is missing, and fails on a refused invocation', async () => {
    await expect(new LambdaFanOutContinuation(new LambdaClient({}), undefined).continueFanOut(request)).rejects.toThrow(
      /FAN_OUT_FUNCTION_NAME/,
    );
    const lambda = mockClient(LambdaClient);
    lambda.on(InvokeCommand).resolves({ StatusCode: 500 });
    await expect(new LambdaFanOutContinuation(new LambdaClient({}), 'f').continueFanOut(request)).rejects.toThrow(
      /500/,
    );
    lambda.restore();
  });
});
