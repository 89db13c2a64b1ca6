// An embedded stand-in for the SQS jobs queue with the semantics the worker relies on: batches of up
// to ten, a receive count per message, redelivery of the failed ones, and a DLQ after maxReceiveCount.
import { randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { TenantJob } from '../jobs/job-message.ts';
import type { JobQueue } from '../ports.ts';

interface QueuedMessage {
  messageId: string;
  body: string;
  receiveCount: number;
  sentAt: number;
}

export class LocalJobQueue implements JobQueue {
  private messages: QueuedMessage[] = [];
  readonly deadLetters: QueuedMessage[] = [];
  sent = 0;

  constructor(
    private readonly options: {
      maxReceiveCount: number;
      batchSize: number;
      /** Runs before the first batch and after each one (the local wiring relays the table's events there). */
      settle?: () => Promise<unknown>;
    } = { maxReceiveCount: 3, batchSize: 10 },
  ) {}

  /** A delay is not simulated: a delayed job is delivered after the jobs already waiting. */
  async enqueue(jobs: readonly TenantJob[], _options: { delaySeconds?: number } = {}): Promise<void> {
    for (const job of jobs) this.send(JSON.stringify(job));
  }

  /** Sends a raw body (tests use it to deliver the same job twice, or a malformed one). */
  send(body: string): void {
    this.sent += 1;
    this.messages.push({ messageId: randomUUID(), body, receiveCount: 0, sentAt: Date.now() });
  }

  get depth(): number {
    return this.messages.length;
  }

  /** Delivers batches to the consumer until the queue is empty (and settled); returns how many batches ran. */
  async drain(consumer: (event: SQSEvent) => Promise<SQSBatchResponse | undefined>): Promise<number> {
    let batches = 0;
    await this.options.settle?.();
    while (this.messages.length > 0) {
      const batch = this.messages.splice(0, this.options.batchSize);
      for (const message of batch) message.receiveCount += 1;
      batches += 1;
      let failedIds: Set<string>;
      try {
        const response = await consumer({ Records: batch.map(toRecord) });
        failedIds = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      } catch {
        failedIds = new Set(batch.map((m) => m.messageId)); // a thrown handler fails the whole batch
      }
      for (const message of batch.filter((m) => failedIds.has(m.messageId))) {
        (message.receiveCount >= this.options.maxReceiveCount ? this.deadLetters : this.messages).push(message);
      }
      await this.options.settle?.();
    }
    return batches;
  }
}

function toRecord(message: QueuedMessage): SQSRecord {
  return {
    messageId: message.messageId,
    receiptHandle: `local-${message.messageId}-${message.receiveCount}`,
    body: message.body,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentAt),
      SenderId: 'local',
      ApproximateFirstReceiveTimestamp: String(message.sentAt),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:local:000000000000:planner-jobs',
    awsRegion: 'local',
  };
}
