// Webhook delivery Lambda: consumes the webhook queue (the bus rule's copies of the plan events, and the
// deliveries waiting for their next attempt) and reports the messages to retry.
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { processWebhookMessages } from '../../lib/app/webhooks.ts';
import { cloudPorts } from '../../lib/aws/cloud-ports.ts';
import type { PlannerPorts } from '../../lib/ports.ts';
import { flushMetrics, logFailures } from '../middleware.ts';

export function createWebhookDeliveryHandler(ports: () => PlannerPorts) {
  return middy(async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const failed = await processWebhookMessages(
      ports(),
      event.Records.map((record) => ({ messageId: record.messageId, body: record.body })),
    );
    return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
  })
    .use(flushMetrics(ports))
    .use(logFailures(() => ports().log));
}

export const handler = createWebhookDeliveryHandler(cloudPorts);
