// Event-relay Lambda: reads the table's stream (only items that carry events reach it, by the event
// source's filter) and publishes each change's new events to the bus, in order. The first record not
// done is reported, so the stream retries from it and nothing after it overtakes it.
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { relayEvents } from '../../lib/app/event-relay.ts';
import { cloudPorts } from '../../lib/aws/cloud-ports.ts';
import { changedItemOf, type StreamRecord } from '../../lib/aws/stream-records.ts';
import type { PlannerPorts } from '../../lib/ports.ts';
import { flushMetrics, logFailures } from '../middleware.ts';

export function createEventRelayHandler(ports: () => PlannerPorts) {
  return middy(async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const items = event.Records.map((record) => changedItemOf(record as StreamRecord)).filter((i) => i !== null);
    const result = await relayEvents(ports(), items);
    return { batchItemFailures: result.retryFrom ? [{ itemIdentifier: result.retryFrom }] : [] };
  })
    .use(flushMetrics(ports))
    .use(logFailures(() => ports().log));
}

export const handler = createEventRelayHandler(cloudPorts);
