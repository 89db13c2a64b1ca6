// `planner local-run` (npm start): DynamoDB Local, demo bakeries in several zones, one simulated day,
// and a readable summary of what every bakery got.

import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { planOf } from '../events/catalogue.ts';
import { buildDemoBakeries, type DemoBakery } from './demo-bakeries.ts';
import { startDynamoDbLocal } from './dynamodb-local.ts';
import { eveningDemo, weekBeforeDemo } from './evening-demo.ts';
import { createLocalStack, type LocalStack } from './local-ports.ts';
import { rejectionDemo } from './rejection-demo.ts';
import { formatSummary, summarizeRun } from './run-summary.ts';
import { simulateDay } from './simulate-day.ts';

export interface LocalRunOptions {
  tenants: number;
  /** The local plan date to simulate in every zone, YYYY-MM-DD. */
  date: string;
  testMode: boolean;
  tenantBudgetMs: number;
  outputDir: string;
  tableName?: string;
  print: (line: string) => void;
}

/** Writes demo bakeries (tenant, catalog, stock, sales) and says what was seeded. */
export async function seedBakeries(
  stack: LocalStack,
  bakeries: readonly DemoBakery[],
  print: (line: string) => void,
): Promise<void> {
  print(`▶ Seeding ${bakeries.length} bakeries from real sales data…`);
  for (const bakery of bakeries) {
    await stack.ports.tenants.putTenant(bakery.tenant);
    await Promise.all([
      stack.ports.catalog.putCatalog(bakery.tenant.tenantId, bakery.catalog),
      stack.ports.stock.putStock(bakery.tenant.tenantId, bakery.stock),
      stack.ports.sales.putSales(bakery.tenant.tenantId, bakery.sales),
    ]);
    const days = Object.values(bakery.sales.unitsByProduct)[0];
    print(
      `  ${bakery.tenant.tenantId.padEnd(24)} ${bakery.tenant.timezone.padEnd(20)} ${String(bakery.catalog.products.length).padStart(2)} products, ` +
        `${Object.keys(days ?? {}).length} days of sales${bakery.tenant.demo ? '  (demo flag: skipped by scheduled runs)' : ''}`,
    );
  }
}

export async function localRun(options: LocalRunOptions): Promise<number> {
  const started = Date.now();
  const { print } = options;
  mkdirSync(options.outputDir, { recursive: true });
  const logFile = join(options.outputDir, 'planner.log');
  const emfFile = join(options.outputDir, 'metrics.emf.jsonl');
  writeFileSync(logFile, '');
  writeFileSync(emfFile, '');
  print(`▶ Starting DynamoDB Local…`);
  const dynamo = await startDynamoDbLocal();
  try {
    print(`  DynamoDB at ${dynamo.endpoint}${dynamo.started ? ' (in memory, started by this run)' : ''}`);
    const stack = await createLocalStack({
      endpoint: dynamo.endpoint,
      tableName: options.tableName ?? 'bakery-planner-local',
      logSink: (line) => appendFileSync(logFile, `${line}\n`),
      emfSink: (line) => appendFileSync(emfFile, `${line}\n`),
    });
    // Every bakery plans the same local date; its sales history ends the day before.
    const planDateOf = () => options.date;
    const bakeries = buildDemoBakeries(options.tenants, planDateOf, new Date().toISOString());
    await seedBakeries(stack, bakeries, print);
    const lookupsBefore = await weekBeforeDemo(stack, bakeries, options.date, print);
    stack.bus.subscribe((event) => {
      print(`      ⤷ event ${event.detailType} ${event.detail.tenantId} ${planOf(event)?.planId}`);
    });
    print(
      `▶ Simulating plan date ${options.date} in every zone${options.testMode ? ' in test mode (30-minute cycles: production :00, cleanup :05, procurement :10, review :20)' : ''}…`,
    );
    const simulation = await simulateDay(stack, {
      date: options.date,
      testMode: options.testMode,
      tenantBudgetMs: options.tenantBudgetMs,
      onFiring: (firing, index, total, enqueued) => {
        // Firings with nothing to do (test mode's repeats, the review hours of nobody's deadline) stay quiet.
        if ((options.testMode || firing.job === 'review') && enqueued === 0) return;
        const local = new Date(firing.scheduledTime).toLocaleString('en-GB', {
          timeZone: firing.timezone,
          hour: '2-digit',
          minute: '2-digit',
          day: '2-digit',
          month: 'short',
        });
        print(
          `  [${String(index + 1).padStart(3)}/${total}] ${firing.scheduledTime}  ${firing.job.padEnd(11)} ${firing.timezone.padEnd(20)} local ${local}  → ${enqueued} job(s)`,
        );
      },
    });
    const tenants = bakeries.map((b) => b.tenant);
    const beforeReview = await summarizeRun(
      stack,
      tenants,
      planDateOf,
      simulation,
      Date.now() - started,
      lookupsBefore,
    );
    const planned = beforeReview.tenants.filter((t) => t.status === 'planned').map((t) => t.tenantId);
    const reviewed = await rejectionDemo(stack, planned.slice(0, 2), options.date, print);
    await eveningDemo(stack, bakeries, options.date, print);
    // Counted after the review, so that its events and the rejected plan's status are in the summary.
    const summary = await summarizeRun(stack, tenants, planDateOf, simulation, Date.now() - started, lookupsBefore);
    for (const line of formatSummary(summary)) print(line);
    print(`  Logs: ${logFile}\n  EMF metrics: ${emfFile}`);
    return summary.failedTenants > 0 || simulation.deadLetters > 0 || !reviewed ? 1 : 0;
  } finally {
    await dynamo.stop();
  }
}
