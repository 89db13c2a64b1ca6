// The SQS adapter over the wire: SqsJobQueue and the real worker handler against an SQS-compatible
// emulator (fauxqs) speaking the SDK's JSON protocol — batching, delays, partial batch failures as
// Lambda's event source applies them, the dead-letter queue after three receives, and a redrive.

import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSEvent } from 'aws-lambda';
import { startFauxqs } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlanWorkerHandler } from '../../functions/plan-worker/handler.ts';
import { LaneQueues } from '../../lib/aws/lane-queues.ts';
import { SqsJobQueue } from '../../lib/aws/sqs-job-queue.ts';
import type { TenantJob } from '../../lib/jobs/job-message.ts';
import { seedBakery, type TestStack, tenant, testStack } from '../support/local-stack.ts';

let server: Awaited<ReturnType<typeof startFauxqs>>;
let sqs: SQSClient;

beforeAll(async () => {
  server = await startFauxqs({ port: 0, logger: false });
  sqs = new SQSClient({
    endpoint: server.address,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});
afterAll(async () => {
  sqs.destroy();
  await server.stop();
});

async function queueWithDlq(name: string): Promise<{ url: string; dlqUrl: string }> {
  const dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }))).QueueUrl!;
  const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] })))
    .Attributes!.QueueArn!;
  const url = (
    await sqs.send(
      new CreateQueueCommand({
        QueueName: name,
        Attributes: {
          VisibilityTimeout: '1',
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 }),
        },
      }),
    )
  ).QueueUrl!;
  return { url, dlqUrl };
}

const job = (tenantId: string): TenantJob => ({
  job: 'production',
  tenantId,
  timezone: 'Europe/Madrid',
  planDate: '2026-11-28',
  trigger: 'scheduled',
  scheduledTime: '2026-11-28T04:30:00Z',
  idempotencyKey: `${tenantId}#production#2026-11-28`,
});

async function receiveAll(url: string, waitSeconds = 0): Promise<Message[]> {
  const messages: Message[] = [];
  for (;;) {
    const page = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: waitSeconds,
        AttributeNames: ['All'],
      }),
    );
    if (!page.Messages?.length) return messages;
    messages.push(...page.Messages);
  }
}

/** What Lambda's SQS event source does: a batch to the handler, then deletes all but the reported failures. */
async function pollOnce(url: string, worker: ReturnType<typeof createPlanWorkerHandler>): Promise<number> {
  const page = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, AttributeNames: ['All'] }),
  );
  const messages = page.Messages ?? [];
  if (messages.length === 0) return 0;
  const event = {
    Records: messages.map((m) => ({ messageId: m.MessageId!, body: m.Body!, receiptHandle: m.ReceiptHandle! })),
  } as unknown as SQSEvent;
  const response = await worker(event, {} as Context);
  const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
  const done = messages.filter((m) => !failed.has(m.MessageId!));
  if (done.length)
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: done.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
  return messages.length;
}

describe('the SQS job queue over the wire', () => {
  it('sends each job to the queue of its lane: refits to training, the day’s jobs to the jobs queue', async () => {
    const daily = await queueWithDlq('lane-daily');
    const training = await queueWithDlq('lane-training');
    const queue = new LaneQueues({
      daily: new SqsJobQueue(sqs, daily.url, 0),
      training: new SqsJobQueue(sqs, training.url, 0),
    });
    const refit = (tenantId: string): TenantJob => ({
      ...job(tenantId),
      job: 'model-refit',
      idempotencyKey: `${tenantId}#model-refit#2026-11-28`,
    });
    await queue.enqueue([job('a'), refit('a'), job('b'), refit('b'), refit('c')]);
    const bodies = async (url: string) =>
      (await receiveAll(url)).map((m) => JSON.parse(m.Body!) as TenantJob).map((j) => `${j.job} ${j.tenantId}`);
    expect((await bodies(daily.url)).sort()).toEqual(['production a', 'production b']);
    expect((await bodies(training.url)).sort()).toEqual(['model-refit a', 'model-refit b', 'model-refit c']);
  });

  it('delivers 23 jobs in batches of ten, each body intact', async () => {
    const { url } = await queueWithDlq('batching');
    await new SqsJobQueue(sqs, url, 0).enqueue(Array.from({ length: 23 }, (_, i) => job(`t${i}`)));
    const received = await receiveAll(url);
    expect(received.map((m) => (JSON.parse(m.Body!) as TenantJob).tenantId).sort()).toEqual(
      Array.from({ length: 23 }, (_, i) => `t${i}`).sort(),
    );
  });

  it('holds a delayed job back until its delay has passed', async () => {
    const { url } = await queueWithDlq('delayed');
    const sentAt = Date.now();
    await new SqsJobQueue(sqs, url, 0).enqueue([job('late')], { delaySeconds: 5 });
    expect(await receiveAll(url)).toHaveLength(0);
    // It arrives once the delay has passed, and not before (polled, so a busy machine only makes it later).
    let received: Awaited<ReturnType<typeof receiveAll>> = [];
    while (received.length === 0 && Date.now() - sentAt < 60_000) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      received = await receiveAll(url);
    }
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(5_000);
    expect(received.map((m) => (JSON.parse(m.Body!) as TenantJob).tenantId)).toEqual(['late']);
  });

  it("refuses a message over the size limit with the service's reason", async () => {
    const { url } = await queueWithDlq('oversize');
    const huge = { ...job('huge'), supersedes: 'x'.repeat(1_100_000) };
    await expect(new SqsJobQueue(sqs, url, 0).enqueue([huge])).rejects.toThrow(/longer than|too long|exceed/i);
    expect(await receiveAll(url)).toHaveLength(0);
  });

  it('with the real worker: retries only the failed tenant, moves it to the DLQ after 3 receives, and a redrive plans it once fixed', async () => {
    const stack: TestStack = await testStack();
    await seedBakery(stack, tenant('good', 'Europe/Madrid'), '2026-11-28');
    const { url, dlqUrl } = await queueWithDlq('worker');
    const queue = new SqsJobQueue(sqs, url, 0);
    await queue.enqueue([job('good'), job('ghost')]); // "ghost" does not exist: its job fails every time
    const worker = createPlanWorkerHandler(
      () => stack.ports,
      () => 60_000,
    );
    for (let round = 0; round < 8; round += 1) {
      await pollOnce(url, worker);
      await new Promise((resolve) => setTimeout(resolve, 1100)); // the visibility timeout
    }
    expect(await stack.ports.plans.getProductionSchedule('good', '2026-11-28')).not.toBeNull();
    const dead = await receiveAll(dlqUrl);
    expect(dead.map((m) => (JSON.parse(m.Body!) as TenantJob).tenantId)).toEqual(['ghost']);
    expect(Number(dead[0]!.Attributes?.ApproximateReceiveCount)).toBeGreaterThanOrEqual(3);
    // Fixed (the tenant now exists), the message goes back to the queue and is planned.
    await seedBakery(stack, tenant('ghost', 'Europe/Madrid'), '2026-11-28');
    await queue.enqueue(dead.map((m) => JSON.parse(m.Body!) as TenantJob));
    await pollOnce(url, worker);
    expect(await stack.ports.plans.getProductionSchedule('ghost', '2026-11-28')).not.toBeNull();
    expect(await receiveAll(url)).toHaveLength(0);
  });
});
