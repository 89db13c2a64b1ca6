// Webhook deliveries waiting for their next attempt (or a replay) on the webhook queue, with SQS's
// delay (at most 900 s; a later attempt hops).
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { WebhookDelivery, WebhookQueue } from '../ports.ts';

export class SqsWebhookQueue implements WebhookQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string | undefined,
  ) {}

  async enqueue(deliveries: readonly WebhookDelivery[], delaySeconds = 0): Promise<void> {
    if (deliveries.length === 0) return;
    if (!this.queueUrl) throw new Error('WEBHOOK_QUEUE_URL is not set: this function cannot queue webhook deliveries.');
    for (let i = 0; i < deliveries.length; i += 10) {
      const batch = deliveries.slice(i, i + 10);
      const { Failed } = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((delivery, n) => ({
            Id: String(n),
            MessageBody: JSON.stringify(delivery),
            DelaySeconds: Math.max(0, Math.min(900, Math.round(delaySeconds))),
          })),
        }),
      );
      if (Failed?.length)
        throw new Error(
          `Could not queue ${Failed.length} webhook deliveries: ${Failed.map((f) => f.Message).join('; ')}`,
        );
    }
  }
}
