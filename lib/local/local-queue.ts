// An embedded stand-in for the SQS queues of the two lanes (lanes.ts) with the semantics the worker
// relies on: batches of up to ten, a receive count per message, redelivery of the failed ones, and a
// DLQ after maxReceiveCount. Each lane keeps its own messages; a drain delivers the day's jobs first,
// and a training job only when no daily job waits (in the cloud, each lane has its own consumer).
import { randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { TenantJob } from '../jobs/job-message.ts';
import { type Lane, laneOf } from '../jobs/lanes.ts';
import type { JobQueue } from '../ports.ts';

interface QueuedMessage {
  messageId: string;
  body: string;
  receiveCount: number;
  sentAt: number;
}

export class LocalJobQueue implements JobQueue {
  private readonly lanes: Record<Lane, QueuedMessage[]> = { daily: [], training: [] };
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
    for (const job of jobs) this.send(JSON.stringify(job), laneOf(job.job));
  }

  /** Sends a raw body (tests use it to deliver the same job twice, or a malformed one). */
  send(body: string, lane: Lane = 'daily'): void {
    this.sent += 1;
    this.lanes[lane].push({ messageId: randomUUID(), body, receiveCount: 0, sentAt: Date.now() });
  }

  /** Messages waiting, in one lane or in both. */
  depthOf(lane?: Lane): number {
    return lane ? this.lanes[lane].length : this.lanes.daily.length + this.lanes.training.length;
  }

  get depth(): number {
    return this.depthOf();
  }

  /** The lane to deliver from next: the day's jobs first. */
  private next(): QueuedMessage[] | undefined {
    return [this.lanes.daily, this.lanes.training].find((messages) => messages.length > 0);
  }

  /** Delivers batches to the consumer until the queue is empty (and settled); returns how many batches ran. */
  async drain(consumer: (event: SQSEvent) => Promise<SQSBatchResponse | undefined>): Promise<number> {
    let batches = 0;
    await this.options.settle?.();
    for (let messages = this.next(); messages; messages = this.next()) {
      const batch = messages.splice(0, this.options.batchSize);
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
        (message.receiveCount >= this.options.maxReceiveCount ? this.deadLetters : messages).push(message);
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
