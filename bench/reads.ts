// `npm run bench:reads`: how fast an operator's reads answer a big tenant that has no current model
// (the forecasts and the morning of a 400-product bakery with 120 days of sales, on DynamoDB Local):
// reads never fit, so they answer from the seasonal-naive baseline; and, side by side in the same run,
// the same forecasts computed the way a job does without a model (fitting one), for the ratio.
import { mkdirSync, writeFileSync } from 'node:fs';
import { forecastsForDate, getForecasts } from '../lib/app/forecasts.ts';
import { morningOf } from '../lib/app/morning.ts';
import { startDynamoDbLocal } from '../lib/local/dynamodb-local.ts';
import { createLocalStack } from '../lib/local/local-ports.ts';
import { addDays } from '../lib/time/tenant-clock.ts';
import { syntheticTenant } from './synthetic-tenant.ts';

const PRODUCTS = 400;
const HISTORY_DAYS = 120;
const TODAY = '2026-11-28';
const RUNS = 5;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const dynamo = await startDynamoDbLocal();
try {
  const stack = await createLocalStack({ endpoint: dynamo.endpoint, tableName: 'bench-reads' });
  const { catalog, history, stock } = syntheticTenant(7, TODAY, PRODUCTS);
  const from = addDays(TODAY, -HISTORY_DAYS);
  for (const byDate of Object.values(history.unitsByProduct))
    for (const date of Object.keys(byDate)) if (date < from) delete byDate[date];
  const tenant = {
    tenantId: 'big',
    name: 'A 400-product bakery',
    timezone: 'Europe/Madrid',
    currency: 'EUR',
    locale: 'es-ES',
    demo: false,
    createdAt: new Date().toISOString(),
  };
  await stack.ports.tenants.putTenant(tenant);
  await stack.ports.catalog.putCatalog(tenant.tenantId, catalog);
  await stack.ports.stock.putStock(tenant.tenantId, stock);
  await stack.ports.sales.putSales(tenant.tenantId, history);
  stack.setNow(new Date(`${TODAY}T09:00:00Z`));
  const timed = async (work: () => Promise<unknown>) => {
    const started = performance.now();
    await work();
    return performance.now() - started;
  };
  const forecastsMs: number[] = [];
  const morningMs: number[] = [];
  console.error(`[bench:reads] ${RUNS} reads of each route, ${PRODUCTS} products, no model stored…`);
  for (let run = 0; run < RUNS; run += 1) {
    forecastsMs.push(await timed(() => forecastsForDate(stack.ports, tenant, undefined)));
    morningMs.push(await timed(() => morningOf(stack.ports, tenant, TODAY)));
  }
  const productIds = catalog.products.map((p) => p.productId);
  console.error('[bench:reads] the same forecasts as a job computes them without a model (fitting one)…');
  const jobMs = await timed(() =>
    getForecasts(stack.ports, tenant, productIds, [addDays(TODAY, 1)], addDays(TODAY, -1), [addDays(TODAY, 1)]),
  );
  const fits = stack.metricRecords.filter((r) => r.name === 'ForecastModelFallbacks').length;
  const report = {
    products: PRODUCTS,
    historyDays: HISTORY_DAYS,
    runs: RUNS,
    forecastsReadMedianMs: Math.round(median(forecastsMs)),
    morningReadMedianMs: Math.round(median(morningMs)),
    jobWithoutModelMs: Math.round(jobMs),
    modelFitsByReads: fits - 1, // the job's fit is the only one expected
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/reads.json', `${JSON.stringify(report, null, 2)}\n`);
  console.log(
    `${PRODUCTS} products, no current model: forecasts read ${report.forecastsReadMedianMs} ms, morning read ${report.morningReadMedianMs} ms (medians of ${RUNS}); the job's path fitting a model ${report.jobWithoutModelMs} ms (${(jobMs / median(forecastsMs)).toFixed(0)}×); model fits by reads: ${report.modelFitsByReads}`,
  );
  console.log('wrote bench/results/reads.json');
} finally {
  await dynamo.stop();
}
