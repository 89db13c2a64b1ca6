import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SqsJobQueue } from '../../lib/aws/sqs-job-queue.ts';
import type { TenantJob } from '../../lib/jobs/job-message.ts';

const sqs = mockClient(SQSClient);
const jobs = (n: number): TenantJob[] =>
  Array.from({ length: n }, (_, i) => ({
    job: 'production',
    tenantId: `t${i}`,
    timezone: 'Europe/Madrid',
    planDate: '2026-11-28',
    trigger: 'scheduled',
    scheduledTime: '2026-11-28T04:30:00Z',
    idempotencyKey: `t${i}#production#2026-11-28`,
  }));

describe('the SQS job queue', () => {
  beforeEach(() => sqs.reset());

  it('sends ten jobs per SendMessageBatch call', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    await new SqsJobQueue(sqs as unknown as SQSClient, 'https://queue', 0).enqueue(jobs(23));
    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls.map((c) => c.args[0].input.Entries?.length)).toEqual([10, 10, 3]);
    expect(JSON.parse(calls[2]!.args[0].input.Entries![0]!.MessageBody!)).toMatchObject({ tenantId: 't20' });
  });

  it('resends only the entries that failed', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Failed: [{ Id: 'm1', Code: 'InternalError', SenderFault: false, Message: 'try again' }] })
      .resolves({ Failed: [] });
    await new SqsJobQueue(sqs as unknown as SQSClient, 'https://queue', 0).enqueue(jobs(3));
    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.args[0].input.Entries!.map((e) => JSON.parse(e.MessageBody!).tenantId)).toEqual(['t1']);
  });

  it('gives up after its retries and names the jobs it could not send', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolves({ Failed: [{ Id: 'm0', Code: 'ServiceUnavailable', SenderFault: false, Message: 'down' }] });
    await expect(new SqsJobQueue(sqs as unknown as SQSClient, 'https://queue', 0).enqueue(jobs(1))).rejects.toThrow(
      /refused 1 job\(s\) after 5 attempts \(t0#production#2026-11-28\): ServiceUnavailable: down/,
    );
  });

  it('fails at once on a sender fault, which no retry can fix', async () => {
    sqs
      .on(SendMessageBatchCommand)
      .resolves({ Failed: [{ Id: 'm0', Code: 'InvalidMessageContents', SenderFault: true, Message: 'bad' }] });
    await expect(new SqsJobQueue(sqs as unknown as SQSClient, 'https://queue', 0).enqueue(jobs(1))).rejects.toThrow(
      /malformed/,
    );
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(1);
  });
});

describe('the SQS job queue under a large zone', () => {
  it('keeps several batches in flight and still sends every job exactly once', async () => {
    sqs.reset();
    let inFlight = 0;
    let most = 0;
    sqs.on(SendMessageBatchCommand).callsFake(async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      return { Failed: [] };
    });
    await new SqsJobQueue(sqs as unknown as SQSClient, 'https://queue', 0).enqueue(jobs(205));
    const sent = sqs
      .commandCalls(SendMessageBatchCommand)
      .flatMap((c) => c.args[0].input.Entries!.map((e) => JSON.parse(e.MessageBody!).tenantId));
    expect(sent).toHaveLength(205);
    expect(new Set(sent).size).toBe(205);
    expect(most).toBe(8);
  });
});
