// `planner serve`: DynamoDB Local, demo bakeries planned for their local today, and the API on a local port until Ctrl-C.

import { appendFileSync, mkdirSync } from 'node:fs';
import { localDateAt } from '../time/tenant-clock.ts';
import { buildDemoBakeries, type DemoBakery } from './demo-bakeries.ts';
import { startDynamoDbLocal } from './dynamodb-local.ts';
import { DEFAULT_USERS_FILE, localUsers } from './local-issuer.ts';
import { createLocalStack, type LocalStack } from './local-ports.ts';
import { seedBakeries } from './local-run.ts';
import { createLocalServer } from './local-server.ts';
import { localSigningKey, mintLocalToken } from './local-token.ts';
import { simulateDay } from './simulate-day.ts';

/**
 * Seeds the demo bakeries and plans each one's own local today, which the review page opens (at 03:00
 * UTC it is still yesterday in Mexico City): one simulated day per local date, for that date's zones.
 */
export async function planLocalToday(
  stack: LocalStack,
  tenants: number,
  now: Date,
  print: (line: string) => void,
): Promise<DemoBakery[]> {
  const todayIn = (timezone: string) => localDateAt(now, timezone);
  const bakeries = buildDemoBakeries(tenants, todayIn, now.toISOString());
  if (bakeries.length === 0) return bakeries;
  await seedBakeries(stack, bakeries, print);
  const zonesByDate = new Map<string, string[]>();
  for (const zone of new Set(bakeries.map((b) => b.tenant.timezone)))
    zonesByDate.set(todayIn(zone), [...(zonesByDate.get(todayIn(zone)) ?? []), zone]);
  for (const [date, zones] of [...zonesByDate].sort(([a], [b]) => a.localeCompare(b))) {
    print(`▶ Planning ${date}, today in ${zones.join(', ')}…`);
    await simulateDay(stack, { date, zones, testMode: false, tenantBudgetMs: 60_000 });
  }
  return bakeries;
}

export async function serve(options: { port: number; tenants: number; print: (line: string) => void }): Promise<void> {
  const { print } = options;
  mkdirSync('.local', { recursive: true });
  const dynamo = await startDynamoDbLocal();
  const stack = await createLocalStack({
    endpoint: dynamo.endpoint,
    tableName: 'bakery-planner-serve',
    logSink: (line) => appendFileSync('.local/serve.log', `${line}\n`),
  });
  const now = new Date();
  const bakeries = await planLocalToday(stack, options.tenants, now, print);
  const today = localDateAt(now, 'Europe/Madrid'); // fournil-madrid's, for the example below
  const users = localUsers(bakeries.map((b) => b.tenant.tenantId));
  const server = createLocalServer(stack, localSigningKey(), { users });
  await new Promise<void>((resolve) => server.listen(options.port, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${options.port}`;
  print(`▶ Planner API at ${base} (DynamoDB at ${dynamo.endpoint}; logs in .local/serve.log). Ctrl-C stops it.`);
  print(`  review page: ${base}/review — sign in as one of (from ${DEFAULT_USERS_FILE}):`);
  for (const user of users.slice(0, 4))
    print(`    ${user.username.padEnd(28)} password ${user.password}${user.admin ? '  (every tenant)' : ''}`);
  if (users.length > 4) print(`    … and ${users.length - 4} more in ${DEFAULT_USERS_FILE}`);
  print(`  CLI: npm run -s planner -- login --api ${base}   (or --token for scripts)`);
  print(
    `  curl -H "Authorization: Bearer $(npm run -s planner -- token --tenant fournil-madrid)" ${base}/tenants/fournil-madrid/procurement-plans`,
  );
  print(`  npm run -s planner -- reject --tenant fournil-madrid --date ${today} --reason "datos desactualizados"`);
  print(
    `  admin token: ${mintLocalToken({ admin: true, hours: 1 }).slice(0, 24)}… (npm run -s planner -- token --admin)`,
  );
  const stop = async () => {
    server.close();
    await dynamo.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}
