// `npm run bench:webhooks`: the price of 1,000 webhook deliveries, and of 1,000 events of tenants without
// endpoints (webhook-cost.ts). Prints the figures and writes bench/results/webhooks.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { startDynamoDbLocal } from '../lib/local/dynamodb-local.ts';
import { PRICES } from './prices.ts';
import { measureWebhookCost, webhookCostLines } from './webhook-cost.ts';

const dynamo = await startDynamoDbLocal();
try {
  const cost = await measureWebhookCost(dynamo.endpoint, (line) => console.error(line));
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/webhooks.json', `${JSON.stringify({ prices: PRICES, ...cost }, null, 2)}\n`);
  for (const line of webhookCostLines(cost)) console.log(line);
  console.log('wrote bench/results/webhooks.json');
} finally {
  await dynamo.stop();
}
