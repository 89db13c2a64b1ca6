// What webhook deliveries cost (`npm run bench:webhooks`, and a part of `npm run bench:cost`). Plan
// events go through the real delivery handler to a receiver on this machine, every DynamoDB call billed
// by AWS's rules (capacity-meter.ts): deliveries to an endpoint that answers, and events of tenants with
// no endpoint (each still costs the lookup).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from 'aws-lambda';
import { createWebhookDeliveryHandler } from '../functions/webhook-delivery/handler.ts';
import { createEndpoint } from '../lib/app/webhooks.ts';
import { documentClient } from '../lib/aws/dynamodb/client.ts';
import { planEvent } from '../lib/events/catalogue.ts';
import { createLocalStack } from '../lib/local/local-ports.ts';
import { meterCapacity } from './capacity-meter.ts';
import { PRICES } from './prices.ts';

const EVENTS = 500;
const MEMORY_GB = 0.25; // the delivery function's 256 MB
const context = {} as Context;

/** Measures the two cases on the DynamoDB Local at `endpoint`; `progress` reports each. */
export async function measureWebhookCost(endpoint: string, progress: (line: string) => void = () => {}) {
  let received = 0;
  const server = createServer((request, response) => {
    received += 1;
    request.resume();
    request.on('end', () => response.writeHead(204).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  try {
    let logBytes = 0;
    let emfBytes = 0;
    const stack = await createLocalStack({
      endpoint,
      tableName: 'bench-webhooks',
      logSink: (line) => (logBytes += line.length + 1),
      emfSink: (line) => (emfBytes += line.length + 1),
    });
    const meter = meterCapacity(stack.table.doc, documentClient({ endpoint }));
    const handler = createWebhookDeliveryHandler(() => stack.ports);
    stack.setNow(new Date('2027-01-15T06:00:00Z'));
    meter.label = 'setup';
    await createEndpoint(stack.ports, 'with-endpoint', { url, eventTypes: ['procurement.plan.generated'] });

    const event = (tenantId: string, i: number) =>
      planEvent('procurement.plan.generated', [tenantId, i], {
        tenantId,
        planId: `proc-${tenantId}-${i}`,
        planDate: '2027-01-15',
        occurredAt: '2027-01-15T06:00:00.000Z',
        version: 1,
        requirements: 12,
        requirementsByPriority: { critical: 1, high: 3, medium: 5, low: 3 },
        totalCost: 412.5,
        currency: 'EUR',
        trigger: 'scheduled',
      });

    /** Runs `EVENTS` events of a tenant through the handler, as the queue delivers them (batches of ten). */
    async function run(label: string, tenantId: string) {
      meter.reset();
      meter.label = label;
      logBytes = 0;
      emfBytes = 0;
      const receivedBefore = received;
      const sentBefore = stack.webhookQueue.sent;
      for (let i = 0; i < EVENTS; i += 1) stack.webhookQueue.receive(event(tenantId, i));
      const started = performance.now();
      let batches = 0;
      // Deliveries past an endpoint's four at a time wait on the queue: the clock moves on until none waits.
      for (let at = Date.parse('2027-01-15T06:00:00Z'); stack.webhookQueue.depth > 0; at += 20_000) {
        stack.setNow(new Date(at));
        await stack.webhookQueue.drain(async (sqsEvent) => {
          batches += 1;
          return handler(sqsEvent, context);
        });
      }
      const ms = performance.now() - started;
      progress(`[${label}] ${EVENTS} events, ${received - receivedBefore} deliveries, in ${Math.round(ms)} ms`);
      const perThousand = 1000 / EVENTS;
      const messages = stack.webhookQueue.sent - sentBefore;
      const dynamoUsd =
        (meter.totals.writeUnits * PRICES.dynamoWriteRequestUnitPerMillion +
          meter.totals.readUnits * PRICES.dynamoReadRequestUnitPerMillion) /
        1e6;
      const items = {
        dynamo: dynamoUsd * perThousand,
        // EventBridge's sends to the queue and the waits' resends, and a receive and a delete per batch.
        sqs: ((messages + 2 * batches) * PRICES.sqsRequestPerMillion * perThousand) / 1e6,
        lambda:
          ((ms / 1000) * MEMORY_GB * PRICES.lambdaArmGbSecond + (batches * PRICES.lambdaRequestPerMillion) / 1e6) *
          perThousand,
        logs: ((logBytes + emfBytes) / 1e9) * PRICES.logsIngestionGb * perThousand,
      };
      return {
        label,
        events: EVENTS,
        deliveries: received - receivedBefore,
        queueMessagesPerEvent: messages / EVENTS,
        requestsPerEvent: meter.totals.requests / EVENTS,
        readUnitsPerEvent: meter.totals.readUnits / EVENTS,
        writeUnitsPerEvent: meter.totals.writeUnits / EVENTS,
        msPerEvent: ms / EVENTS,
        logBytesPerEvent: (logBytes + emfBytes) / EVENTS,
        byOperation: meter.totals.byLabel[label],
        usdPer1000: Object.fromEntries(Object.entries(items).map(([k, v]) => [k, Math.round(v * 1e6) / 1e6])),
        usdPer1000Total: Math.round(Object.values(items).reduce((a, b) => a + b, 0) * 1e6) / 1e6,
      };
    }

    const delivered = await run('delivered', 'with-endpoint');
    const noEndpoint = await run('no endpoint', 'without-endpoint');
    // KMS: an opened secret is kept five minutes in a warm function, so at most one Decrypt per endpoint,
    // function instance and five minutes; at worst (a cold function for every delivery) one per delivery.
    return { delivered, noEndpoint, kmsWorstCaseUsdPer1000: PRICES.kmsRequestPerTenThousand / 10 };
  } finally {
    server.close();
  }
}

export type WebhookCost = Awaited<ReturnType<typeof measureWebhookCost>>;

/** The figures as lines for the terminal. */
export function webhookCostLines(cost: WebhookCost): string[] {
  return [
    ...[cost.delivered, cost.noEndpoint].map(
      (r) =>
        `webhooks, ${r.label}: per event ${r.requestsPerEvent} DynamoDB requests, ${r.readUnitsPerEvent} RRU, ${r.writeUnitsPerEvent} WRU, ${r.msPerEvent.toFixed(1)} ms, ${Math.round(r.logBytesPerEvent)} B of logs; $${r.usdPer1000Total} per 1,000 ${JSON.stringify(r.usdPer1000)}`,
    ),
    `webhooks, KMS at worst (no warm function): +$${cost.kmsWorstCaseUsdPer1000} per 1,000 deliveries`,
  ];
}
