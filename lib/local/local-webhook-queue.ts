// An embedded stand-in for the webhook queue: the bus rule's copies of the plan events (as EventBridge
// puts them on SQS) and the deliveries waiting for their next attempt, each visible once the clock
// reaches its delay. A drain hands the visible ones to the consumer in batches of ten.
import { randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { EVENT_SOURCE, type PlanEvent } from '../events/catalogue.ts';
import type { WebhookDelivery, WebhookQueue } from '../ports.ts';

interface Waiting {
  body: string;
  visibleAt: number;
  receiveCount: number;
}

export class LocalWebhookQueue implements WebhookQueue {
  private waiting: Waiting[] = [];
  readonly deadLetters: string[] = [];
  /** Messages sent so far (the rule's copies and the queued deliveries). */
  sent = 0;

  constructor(private readonly now: () => Date) {}

  /** What the bus rule sends: the event in EventBridge's envelope. */
  receive(event: PlanEvent): void {
    const body = JSON.stringify({
      version: '0',
      id: randomUUID(),
      'detail-type': event.detailType,
      source: EVENT_SOURCE,
      time: event.detail.occurredAt,
      detail: event.detail,
    });
    this.sent += 1;
    this.waiting.push({ body, visibleAt: this.now().getTime(), receiveCount: 0 });
  }

  async enqueue(deliveries: readonly WebhookDelivery[], delaySeconds = 0): Promise<void> {
    const visibleAt = this.now().getTime() + Math.min(900, delaySeconds) * 1000;
    this.sent += deliveries.length;
    for (const delivery of deliveries)
      this.waiting.push({ body: JSON.stringify(delivery), visibleAt, receiveCount: 0 });
  }

  get depth(): number {
    return this.waiting.length;
  }

  /** Delivers every message visible now (and those its consumer queues visible now); returns how many. */
  async drain(consumer: (event: SQSEvent) => Promise<SQSBatchResponse | undefined>): Promise<number> {
    let delivered = 0;
    for (;;) {
      const now = this.now().getTime();
      const visible = this.waiting.filter((m) => m.visibleAt <= now).slice(0, 10);
      if (visible.length === 0) return delivered;
      this.waiting = this.waiting.filter((m) => !visible.includes(m));
      const ids = new Map<string, Waiting>(visible.map((m) => [randomUUID(), m]));
      const response = await consumer({
        Records: [...ids].map(([messageId, m]) => ({ messageId, body: m.body }) as SQSEvent['Records'][number]),
      });
      for (const failure of response?.batchItemFailures ?? []) {
        const message = ids.get(failure.itemIdentifier)!;
        message.receiveCount += 1;
        if (message.receiveCount >= 3) this.deadLetters.push(message.body);
        else this.waiting.push({ ...message, visibleAt: now + 30_000 });
      }
      delivered += visible.length;
    }
  }
}
