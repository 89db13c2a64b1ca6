// `npm run bench:reads`: how fast an operator's reads answer a big tenant that has no current model
// (the forecasts and the morning of a 400-product bakery with 120 days of sales, on DynamoDB Local):
// reads never fit, so they answer from the seasonal-naive baseline; and, side by side in the same run,
// the same forecasts computed the way a job does without a model (fitting one), for the ratio. Then the
// largest sales import the API allows (its row limit, as CSV under its body limit), through the API
// handler, against the API function's 29 s; and a month of a POS export's actuals for 150 products,
// each day with its production schedule (so every row is checked against what there was).
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Context } from 'aws-lambda';
import { createApiHandler } from '../functions/api/handler.ts';
import { httpApiEvent } from '../lib/api/http-event.ts';
import { forecastsForDate, getForecasts } from '../lib/app/forecasts.ts';
import { morningOf } from '../lib/app/morning.ts';
import type { ProductionSchedule } from '../lib/domain.ts';
import { LIMITS } from '../lib/input/grammar.ts';
import { startDynamoDbLocal } from '../lib/local/dynamodb-local.ts';
import { createLocalStack } from '../lib/local/local-ports.ts';
import { addDays } from '../lib/time/tenant-clock.ts';
import { syntheticTenant } from './synthetic-tenant.ts';

const PRODUCTS = 400;
const HISTORY_DAYS = 120;
const TODAY = '2026-11-28';
const RUNS = 5;

/**
 * As many rows as the API takes, spread over as many dates as it takes (every month item of ten years
 * read and written back): products × days = the row limit, under the body limit.
 */
function largestSalesCsv(): { csv: string; rows: number; dates: number } {
  const products = Math.ceil(LIMITS.salesRows / LIMITS.datesPerImport);
  const days = Math.floor(LIMITS.salesRows / products);
  const lines = ['productId,date,units'];
  for (let d = 0; d < days; d += 1) {
    const date = addDays(TODAY, -days + d);
    for (let p = 0; p < products; p += 1) lines.push(`p-${p},${date},${(p * 7 + d) % 97}`);
  }
  const csv = `${lines.join('\n')}\n`;
  if (Buffer.byteLength(csv) > LIMITS.bodyBytes) throw new Error('The benchmark CSV outgrew the body limit.');
  return { csv, rows: lines.length - 1, dates: days };
}

/** A day's schedule of `products`: one batch of 60 each, none in stock (every actual is checked against it). */
function monthSchedule(tenantId: string, planDate: string, products: readonly string[]): ProductionSchedule {
  return {
    planId: `prod-${tenantId}-${planDate}`,
    tenantId,
    planDate,
    status: 'draft',
    lines: products.map((productId) => ({
      productId,
      forecastUnits: 35,
      quantile: 0.6,
      quantileRule: 'newsvendor',
      targetUnits: 40,
      freshStockUnits: 0,
      parLevelUnits: 0,
      plannedUnits: 60,
    })),
    batches: products.map((productId, i) => ({
      batchNumber: `B-${planDate}-${i}`,
      productId,
      recipeId: `r-${productId}`,
      quantity: 60,
      equipmentId: null,
      sequence: i + 1,
      startsAt: '05:30',
      minutes: 30,
      priority: 'medium' as const,
      reasoning: 'bench',
    })),
    shortfalls: [],
    generatedAt: `${planDate}T04:30:00.000Z`,
  };
}

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
  console.error(`[bench:reads] the largest allowed sales import (${LIMITS.salesRows} rows of CSV over ten years)…`);
  const { csv, rows, dates } = largestSalesCsv();
  const api = createApiHandler(() => ({ ...stack.ports, limits: { take: async () => ({ allowed: true }) } }));
  /** Posts a CSV through the API handler as the tenant; its status and how long it took. */
  const postCsv = async (path: string, body: string) => {
    let status = 0;
    const ms = await timed(async () => {
      const response = await api(
        httpApiEvent({
          method: 'POST',
          path: `/tenants/${tenant.tenantId}/${path}`,
          headers: { 'content-type': 'text/csv' },
          body,
          claims: { sub: 'bench', 'custom:tenant_id': tenant.tenantId },
        }),
        {} as Context,
      );
      status = response.statusCode ?? 0;
    });
    return { status, ms };
  };
  const { status: importStatus, ms: importMs } = await postCsv('sales', csv);
  const actualsDays = 31;
  const actualsProducts = catalog.products.slice(0, 150).map((p) => p.productId);
  console.error(
    `[bench:reads] a month of actuals (${actualsDays} days × ${actualsProducts.length} products, each day scheduled)…`,
  );
  const actualDates = Array.from({ length: actualsDays }, (_, i) => addDays(TODAY, i - actualsDays));
  for (const date of actualDates)
    await stack.ports.plans.createProductionSchedule(
      monthSchedule(tenant.tenantId, date, actualsProducts),
      tenant.timezone,
      [],
    );
  const actualsCsv = [
    'date,productId,sold,leftover,carriedOver,soldOutAt',
    ...actualDates.flatMap((date) =>
      actualsProducts.map((id, i) =>
        i % 9 === 0 ? `${date},${id},40,0,0,13:10` : `${date},${id},${20 + (i % 13)},${i % 4},0,`,
      ),
    ),
  ].join('\n');
  const { status: actualsStatus, ms: actualsMs } = await postCsv('actuals', actualsCsv);
  const report = {
    products: PRODUCTS,
    historyDays: HISTORY_DAYS,
    runs: RUNS,
    forecastsReadMedianMs: Math.round(median(forecastsMs)),
    morningReadMedianMs: Math.round(median(morningMs)),
    jobWithoutModelMs: Math.round(jobMs),
    modelFitsByReads: fits - 1, // the job's fit is the only one expected
    largestImport: { rows, dates, bytes: Buffer.byteLength(csv), status: importStatus, ms: Math.round(importMs) },
    monthOfActuals: {
      rows: actualDates.length * actualsProducts.length,
      days: actualsDays,
      products: actualsProducts.length,
      status: actualsStatus,
      ms: Math.round(actualsMs),
    },
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/reads.json', `${JSON.stringify(report, null, 2)}\n`);
  console.log(
    `${PRODUCTS} products, no current model: forecasts read ${report.forecastsReadMedianMs} ms, morning read ${report.morningReadMedianMs} ms (medians of ${RUNS}); the job's path fitting a model ${report.jobWithoutModelMs} ms (${(jobMs / median(forecastsMs)).toFixed(0)}×); model fits by reads: ${report.modelFitsByReads}`,
  );
  console.log(
    `the largest allowed sales import: ${report.largestImport.rows} rows over ${dates} dates, ${report.largestImport.bytes} bytes of CSV, answered ${importStatus} in ${report.largestImport.ms} ms (the API function stops at 29,000 ms)`,
  );
  console.log(
    `a month of actuals: ${report.monthOfActuals.rows} rows (${actualsDays} scheduled days × ${actualsProducts.length} products) as CSV, answered ${actualsStatus} in ${report.monthOfActuals.ms} ms (the API function stops at 29,000 ms)`,
  );
  console.log('wrote bench/results/reads.json');
} finally {
  await dynamo.stop();
}
