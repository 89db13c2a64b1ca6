// `npm run bench:cost`: what one tenant's planning day consumes (DynamoDB request units, queue
// messages, events, worker time), measured on DynamoDB Local over two consecutive planning days, and
// the monthly AWS bill that follows for 1,000 and 100,000 tenants at the list prices below.
import { mkdirSync, writeFileSync } from 'node:fs';
import { DEFAULT_CONFIG } from '../infra/config.ts';
import { batchGetAll, batchWriteAll } from '../lib/aws/dynamodb/client.ts';
import { buildDemoBakeries } from '../lib/local/demo-bakeries.ts';
import { startDynamoDbLocal } from '../lib/local/dynamodb-local.ts';
import { createLocalStack } from '../lib/local/local-ports.ts';
import { simulateDay } from '../lib/local/simulate-day.ts';
import { addDays } from '../lib/time/tenant-clock.ts';
import { meterCapacity } from './capacity-meter.ts';

/** List prices, us-east-1 / eu-west-1, USD (on-demand DynamoDB after the November 2024 reduction). */
export const PRICES = {
  dynamoWriteRequestUnitPerMillion: 0.625,
  dynamoReadRequestUnitPerMillion: 0.125,
  dynamoStorageGbMonth: 0.25,
  dynamoPitrGbMonth: 0.2,
  lambdaArmGbSecond: 0.0000133334,
  lambdaRequestPerMillion: 0.2,
  sqsRequestPerMillion: 0.4,
  eventBridgeCustomEventPerMillion: 1.0,
  schedulerInvocationPerMillion: 1.0,
  logsIngestionGb: 0.5,
  alarmStandardMonth: 0.1,
  dashboardMonth: 3.0,
  customMetricMonth: 0.3,
};

const DATE = '2026-11-16';
const days = 2;

const dynamo = await startDynamoDbLocal();
try {
  const stack = await createLocalStack({ endpoint: dynamo.endpoint, tableName: 'bench-cost' });
  const meter = meterCapacity(stack.table.doc);
  const bakeries = buildDemoBakeries(8, () => DATE, new Date().toISOString()).filter((b) => !b.tenant.demo);
  for (const b of bakeries) {
    await stack.ports.tenants.putTenant(b.tenant);
    await stack.ports.catalog.putCatalog(b.tenant.tenantId, b.catalog);
    await stack.ports.stock.putStock(b.tenant.tenantId, b.stock);
    await stack.ports.sales.putSales(b.tenant.tenantId, b.sales);
  }
  const perDay = [];
  for (let day = 0; day < days; day += 1) {
    meter.reset();
    const sentBefore = stack.queue.sent;
    const eventsBefore = stack.bus.published.length;
    const durationsBefore = stack.metricRecords.filter((r) => r.name === 'GenerationDuration').length;
    const result = await simulateDay(stack, { date: addDays(DATE, day), testMode: false, tenantBudgetMs: 60_000 });
    const workerMs = stack.metricRecords
      .filter((r) => r.name === 'GenerationDuration')
      .slice(durationsBefore)
      .reduce((t, r) => t + r.value, 0);
    perDay.push({
      date: addDays(DATE, day),
      tenants: bakeries.length,
      readUnitsPerTenant: meter.totals.readUnits / bakeries.length,
      writeUnitsPerTenant: meter.totals.writeUnits / bakeries.length,
      requestsPerTenant: meter.totals.requests / bakeries.length,
      byCommand: meter.totals.byCommand,
      jobsPerTenant: (stack.queue.sent - sentBefore) / bakeries.length,
      eventsPerTenant: (stack.bus.published.length - eventsBefore) / bakeries.length,
      workerMsPerTenant: workerMs / bakeries.length,
      firings: result.firings.length,
    });
  }
  // The cache layout as a cost decision: the same forecasts stored one item per tenant and date (the
  // product's layout) and one item per product and date (the earlier layout), written once and read back.
  const layout = await (async () => {
    const tenantId = bakeries[0]!.tenant.tenantId;
    const dates = Array.from({ length: 7 }, (_, i) => addDays(addDays(DATE, days - 1), i));
    const keysWanted = dates.flatMap((forecastDate) =>
      bakeries[0]!.catalog.products.map((p) => ({ productId: p.productId, forecastDate })),
    );
    const forecasts = await stack.ports.forecastCache.getMany(tenantId, keysWanted, new Date(`${dates[0]}T00:00:00Z`));
    meter.reset();
    await stack.ports.forecastCache.putMany('layout-packed', 'UTC', forecasts);
    const packedWrite = meter.totals.writeUnits;
    meter.reset();
    await stack.ports.forecastCache.getMany(
      'layout-packed',
      keysWanted.filter((k) => k.forecastDate !== dates[0]),
      new Date(`${dates[0]}T00:00:00Z`),
    );
    const packedRead = meter.totals.readUnits;
    const perItemKey = (f: { forecastDate: string; productId: string }) => ({
      PK: 'TENANT#layout-per-item',
      SK: `FORECAST#${f.forecastDate}#${f.productId}`,
    });
    meter.reset();
    await batchWriteAll(
      stack.table,
      forecasts.map((f) => ({ PutRequest: { Item: { ...perItemKey(f), forecast: f } } })),
    );
    const perItemWrite = meter.totals.writeUnits;
    meter.reset();
    await batchGetAll(stack.table, keysWanted.filter((k) => k.forecastDate !== dates[0]).map(perItemKey));
    const perItemRead = meter.totals.readUnits;
    return {
      products: bakeries[0]!.catalog.products.length,
      dates: dates.length,
      forecasts: forecasts.length,
      perItem: { writeUnits: perItemWrite, readUnitsSixDays: perItemRead },
      packed: { writeUnits: packedWrite, readUnitsSixDays: packedRead },
    };
  })();
  const steady = perDay.at(-1)!;
  const monthly = (tenants: number) => {
    const perMonth = 30 * tenants;
    const zones = Math.min(tenants, 60); // zones in use: bounded by the tz database, not by tenants
    const workerGbSeconds = (steady.workerMsPerTenant / 1000) * 1.0 * perMonth; // 1024 MB worker
    const items = {
      dynamoWrites: (steady.writeUnitsPerTenant * perMonth * PRICES.dynamoWriteRequestUnitPerMillion) / 1e6,
      dynamoReads: (steady.readUnitsPerTenant * perMonth * PRICES.dynamoReadRequestUnitPerMillion) / 1e6,
      dynamoStorageAndPitr: tenants * 0.0005 * (PRICES.dynamoStorageGbMonth + PRICES.dynamoPitrGbMonth), // ~0.5 MB per tenant
      lambdaCompute: workerGbSeconds * PRICES.lambdaArmGbSecond,
      lambdaRequests: (((steady.jobsPerTenant * perMonth) / 5 + zones * 3 * 30) * PRICES.lambdaRequestPerMillion) / 1e6,
      sqs: (steady.jobsPerTenant * perMonth * 3 * PRICES.sqsRequestPerMillion) / 1e6, // send, receive, delete
      eventBridge: (steady.eventsPerTenant * perMonth * PRICES.eventBridgeCustomEventPerMillion) / 1e6,
      scheduler: 0, // zones × 3 × 30 invocations: far inside the 14 million free per month
      logs: ((steady.jobsPerTenant * perMonth * 4_000) / 1e9) * PRICES.logsIngestionGb, // ~4 KB of logs and EMF per job
      // About 60 metric/dimension combinations plus SchedulerLastRunTimestamp per job and zone; an alarm per zone.
      alarmsDashboardMetrics:
        (10 + zones) * PRICES.alarmStandardMonth + PRICES.dashboardMonth + (60 + 3 * zones) * PRICES.customMetricMonth,
    };
    const total = Object.values(items).reduce((a, b) => a + b, 0);
    return {
      tenants,
      items,
      totalUsd: Math.round(total * 100) / 100,
      perTenantUsd: Math.round((total / tenants) * 100_000) / 100_000,
    };
  };
  // The fleet model: how long one zone of N tenants takes to plan, from the measured time of a tenant
  // job. A job is mostly CPU (the forecasts), so a worker invocation's batch runs one job after another
  // in effect, and a 1,024 MB function has about 0.58 of a vCPU (Lambda allots CPU by memory): a job
  // takes ~1.7× its time here. The measured time includes DynamoDB Local's own latency, slower than the
  // service's, so the model errs on the slow side.
  const LAMBDA_CPU_FACTOR = 1 / 0.58;
  const jobMs = (steady.workerMsPerTenant / steady.jobsPerTenant) * LAMBDA_CPU_FACTOR;
  const fanOutMs = (tenants: number) => (Math.ceil(tenants / 10) / 8) * 25; // SendMessageBatch of 10, 8 in flight, ~25 ms each
  const fleet = (tenants: number, targetMinutes = 15) => {
    const concurrency = DEFAULT_CONFIG.workerMaxConcurrency;
    const minutesAt = (c: number) => (fanOutMs(tenants) + (tenants * jobMs) / c) / 60_000;
    const needed = Math.ceil((tenants * jobMs) / (targetMinutes * 60_000 - fanOutMs(tenants)));
    return {
      tenants,
      jobMsOnLambda: Math.round(jobMs),
      minutesAtDefaultConcurrency: Math.round(minutesAt(concurrency) * 10) / 10,
      defaultConcurrency: concurrency,
      concurrencyFor15Minutes: needed,
      minutesAtThatConcurrency: Math.round(minutesAt(needed) * 10) / 10,
    };
  };
  const monthly100k = monthly(100_000);
  const perThousandTenantDays = Math.round((monthly100k.totalUsd / (100_000 * 30)) * 1000 * 10_000) / 10_000;
  const report = {
    measuredOn: DATE,
    days: perDay,
    cacheLayout: layout,
    prices: PRICES,
    monthly: [monthly(1_000), monthly100k],
    usdPer1000TenantDaysAt100k: perThousandTenantDays,
    fleet: [fleet(10_000), fleet(100_000)],
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/cost.json', `${JSON.stringify(report, null, 2)}\n`);
  for (const d of perDay) {
    console.log(
      `${d.date}: per tenant ${d.readUnitsPerTenant.toFixed(1)} RRU, ${d.writeUnitsPerTenant.toFixed(1)} WRU, ${d.requestsPerTenant.toFixed(1)} requests, ${d.jobsPerTenant} jobs, ${d.eventsPerTenant} events, ${d.workerMsPerTenant.toFixed(0)} ms worker time (DynamoDB Local)`,
    );
  }
  console.log(
    `cache layout, ${layout.forecasts} forecasts (${layout.products} products × ${layout.dates} days): one item per date (the product's) ${layout.packed.writeUnits} WRU to write, ${layout.packed.readUnitsSixDays} RRU to read six days; one item per product and date ${layout.perItem.writeUnits} WRU, ${layout.perItem.readUnitsSixDays} RRU`,
  );
  for (const m of report.monthly)
    console.log(
      `${m.tenants} tenants: $${m.totalUsd}/month ($${m.perTenantUsd} per tenant)`,
      JSON.stringify(Object.fromEntries(Object.entries(m.items).map(([k, v]) => [k, Math.round(v * 100) / 100]))),
    );
  console.log(`all-in at 100,000 tenants: $${perThousandTenantDays} per 1,000 tenant-days`);
  for (const f of report.fleet) {
    console.log(
      `a zone of ${f.tenants} tenants (${f.jobMsOnLambda} ms per job on a 1,024 MB worker): ${f.minutesAtDefaultConcurrency} min at the default concurrency ${f.defaultConcurrency}; within 15 min from concurrency ${f.concurrencyFor15Minutes} (${f.minutesAtThatConcurrency} min)`,
    );
  }
  console.log('wrote bench/results/cost.json');
} finally {
  await dynamo.stop();
}
