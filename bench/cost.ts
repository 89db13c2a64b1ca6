// `npm run bench:cost`: what one mature tenant's planning day costs, billed by AWS's published rules
// (bench/aws-billing.ts), for a 12-product bakery and a 150-product one. Each tenant is aged first: two
// years of sales, the weekly model refit, 400 days of plans, then a daily sales import and the day's
// scheduled jobs; every DynamoDB call is billed by the sizes of the items it touched and attributed to its
// job and operation. The monthly bill and the fleet model (a 100,000-tenant zone, a 300,000-tenant group
// of zones firing together, a 1,000,000-tenant fleet) follow at the list prices below.
import { mkdirSync, writeFileSync } from 'node:fs';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_CONFIG } from '../infra/config.ts';
import { importSales } from '../lib/app/bakery-data.ts';
import { processJobs } from '../lib/app/process-jobs.ts';
import { batchWriteAll, documentClient } from '../lib/aws/dynamodb/client.ts';
import { PLAN_RETENTION_DAYS } from '../lib/aws/dynamodb/table-layout.ts';
import { FAN_OUT_SHARD_SIZE } from '../lib/aws/lambda-fan-out.ts';
import type { Catalog, SalesHistory, StockSnapshot, Tenant } from '../lib/domain.ts';
import { idempotencyKey } from '../lib/jobs/job-message.ts';
import { buildDemoBakeries } from '../lib/local/demo-bakeries.ts';
import { startDynamoDbLocal } from '../lib/local/dynamodb-local.ts';
import { createLocalStack } from '../lib/local/local-ports.ts';
import { LOCAL_MODEL_BUCKET } from '../lib/local/s3-local.ts';
import { simulateDay } from '../lib/local/simulate-day.ts';
import type { MetricRecord } from '../lib/metrics/catalogue.ts';
import { EmfMetrics } from '../lib/metrics/emf.ts';
import { addDays } from '../lib/time/tenant-clock.ts';
import { itemSize } from './aws-billing.ts';
import { meterCapacity } from './capacity-meter.ts';
import { PRICES } from './prices.ts';
import { syntheticTenant } from './synthetic-tenant.ts';
import { measureWebhookCost, webhookCostLines } from './webhook-cost.ts';

const ZONE = 'Europe/Madrid';
const FIRST_DAY = '2026-11-16'; // a Monday: the weekly refit (Sundays) is run and billed on its own
const MEASURED_DAY = addDays(FIRST_DAY, 1);
/** A mature tenant's plan history: 400 days, of which the table holds PLAN_RETENTION_DAYS (TTL removes older). */
const PLAN_HISTORY_DAYS = 400;
const PLAN_AGE_DAYS = Math.min(PLAN_HISTORY_DAYS, PLAN_RETENTION_DAYS);
/** DynamoDB stores 100 bytes of overhead per item (and per index entry) besides its attributes. */
const ITEM_OVERHEAD_BYTES = 100;
/** A 1,024 MB worker has about 0.58 of a vCPU (Lambda allots CPU by memory): a job takes ~1.7× its time here. */
const LAMBDA_CPU_FACTOR = 1 / 0.58;

interface Bakery {
  tenant: Tenant;
  catalog: Catalog;
  stock: StockSnapshot;
  sales: SalesHistory;
}

/** The demo's 12-product bakery, its year of sales extended to two (the same weekdays a year earlier). */
function twelveProducts(createdAt: string): Bakery {
  const bakery = buildDemoBakeries(1, () => FIRST_DAY, createdAt)[0]!;
  for (const byDate of Object.values(bakery.sales.unitsByProduct)) {
    for (const [date, units] of Object.entries(byDate)) byDate[addDays(date, -364)] ??= units;
  }
  return bakery;
}

function hundredFiftyProducts(createdAt: string): Bakery {
  const { catalog, history, stock } = syntheticTenant(42, FIRST_DAY);
  const tenant = {
    tenantId: 'bench-150',
    name: 'A 150-product bakery',
    timezone: ZONE,
    currency: 'EUR',
    locale: 'es-ES',
    demo: false,
    createdAt,
  };
  return { tenant, catalog, stock, sales: history };
}

interface Line {
  requests: number;
  readUnits: number;
  writeUnits: number;
}

const add = (a: Line, b: Line, times = 1): Line => ({
  requests: a.requests + b.requests * times,
  readUnits: a.readUnits + b.readUnits * times,
  writeUnits: a.writeUnits + b.writeUnits * times,
});
const ZERO: Line = { requests: 0, readUnits: 0, writeUnits: 0 };
const sum = (lines: Record<string, Line>) => Object.values(lines).reduce((t, l) => add(t, l), ZERO);

async function measure(endpoint: string, bakery: Bakery) {
  const tenantId = bakery.tenant.tenantId;
  const tableName = `bench-cost-${tenantId}`;
  // Log bytes by who wrote them: the fan-out's are the zone's (shared by its tenants), the rest the tenant's.
  const logBytes = { tenant: 0, fanOut: 0 };
  let fanOutEmfBytes = 0;
  const stack = await createLocalStack({
    endpoint,
    tableName,
    logSink: (line) => (logBytes[meter.label === 'fan-out' ? 'fanOut' : 'tenant'] += line.length + 1),
    emfSink: (line) => {
      if (meter.label === 'fan-out') fanOutEmfBytes += line.length + 1;
    },
  });
  const shadow = documentClient({ endpoint });
  const meter = meterCapacity(stack.table.doc, shadow);
  // The models' S3 requests, by label like the DynamoDB calls.
  const s3Requests: Record<string, { put: number; get: number }> = {};
  stack.s3.middlewareStack.add(
    (next, context) => (args) => {
      const line = s3Requests[meter.label] ?? { put: 0, get: 0 };
      s3Requests[meter.label] = line;
      if (context.commandName === 'PutObjectCommand') line.put += 1;
      else if (context.commandName === 'GetObjectCommand') line.get += 1;
      return next(args);
    },
    { step: 'initialize', name: 's3RequestMeter' },
  );
  const progress = (step: string) => console.error(`[${tenantId}] ${step}`);

  progress(
    `seeding ${bakery.catalog.products.length} products, ${Object.keys(bakery.sales.unitsByProduct).length} sales series`,
  );
  meter.label = 'setup';
  await stack.ports.tenants.putTenant(bakery.tenant);
  await stack.ports.catalog.putCatalog(tenantId, bakery.catalog);
  await stack.ports.stock.putStock(tenantId, bakery.stock);
  await stack.ports.sales.putSales(tenantId, bakery.sales);

  progress('weekly model refit');
  const refitDate = addDays(FIRST_DAY, -1);
  stack.setNow(new Date(`${refitDate}T03:00:00Z`));
  meter.reset();
  meter.label = 'model-refit';
  const [refit] = await processJobs(
    stack.ports,
    [
      {
        messageId: 'refit',
        body: JSON.stringify({
          job: 'model-refit',
          tenantId,
          timezone: ZONE,
          planDate: refitDate,
          trigger: 'scheduled',
          scheduledTime: stack.ports.now().toISOString(),
          idempotencyKey: idempotencyKey(tenantId, 'model-refit', refitDate),
        }),
      },
    ],
    900_000,
  );
  if (refit?.status !== 'succeeded') throw new Error(`The refit failed: ${JSON.stringify(refit)}`);
  const weekly = structuredClone(meter.totals.byLabel['model-refit']!);
  const refitMs = refit.durationMs;

  progress(`first day (${FIRST_DAY}), then ${PLAN_AGE_DAYS} days of plan history in the table`);
  meter.label = 'first day';
  await simulateDay(stack, { date: FIRST_DAY, testMode: false, tenantBudgetMs: 600_000 });
  const aged = await agePlans(shadow, tableName, tenantId);

  progress(`measured day (${MEASURED_DAY})`);
  meter.reset();
  Object.assign(logBytes, { tenant: 0, fanOut: 0 });
  fanOutEmfBytes = 0;
  const sentBefore = stack.queue.sent;
  const eventsBefore = stack.bus.published.length;
  // The bakery's sales of the day before, imported after closing (the API's import use case).
  meter.label = 'sales-import';
  const rows = Object.entries(bakery.sales.unitsByProduct).map(([productId, byDate]) => ({
    productId,
    date: addDays(FIRST_DAY, 0),
    units: byDate[addDays(FIRST_DAY, -7)] ?? 0,
  }));
  await importSales(stack.ports, bakery.tenant, { rows, closedDates: [], reopenedDates: [], holidays: [] });
  const durationsBefore = stack.metricRecords.length;
  const jobRecords: MetricRecord[][] = [];
  meter.label = 'fan-out'; // the simulation's own reads of the zones, then each firing's fan-out
  let phaseStart = stack.metricRecords.length;
  const endPhase = () => {
    if (meter.label !== 'fan-out') jobRecords.push(stack.metricRecords.slice(phaseStart));
    phaseStart = stack.metricRecords.length;
  };
  await simulateDay(stack, {
    date: MEASURED_DAY,
    testMode: false,
    tenantBudgetMs: 600_000,
    onPhase: (kind, firings) => {
      endPhase();
      meter.label = kind === 'fan-out' ? 'fan-out' : firings[0]!.job;
    },
  });
  endPhase();
  // Each job's own time, as the worker measures it (GenerationDuration): not the local relay's or queue's.
  const workerMs: Record<string, number> = {};
  for (const r of stack.metricRecords.slice(durationsBefore).filter((m) => m.name === 'GenerationDuration'))
    workerMs[r.dimensions.Job!] = (workerMs[r.dimensions.Job!] ?? 0) + r.value;
  const storage = await tenantStorage(shadow, tableName, tenantId);
  const modelObjects = await stack.s3.send(new ListObjectsV2Command({ Bucket: LOCAL_MODEL_BUCKET, Prefix: tableName }));
  const dayS3 = Object.entries(s3Requests)
    .filter(([label]) => !['setup', 'first day', 'model-refit'].includes(label))
    .reduce((t, [, l]) => ({ put: t.put + l.put, get: t.get + l.get }), { put: 0, get: 0 });
  const refitS3 = s3Requests['model-refit'] ?? { put: 0, get: 0 };
  shadow.destroy();
  const byLabel = meter.totals.byLabel;
  const { 'fan-out': fanOut = {}, ...tenantLabels } = byLabel;
  // Per tenant-day: the day's jobs and import, and a seventh of the weekly refit.
  const perJob = Object.fromEntries(
    Object.entries({ ...tenantLabels, 'model-refit (a 7th)': weekly }).map(([label, ops]) => {
      const lines = ops as Record<string, Line>;
      const share = label.startsWith('model-refit') ? 1 / 7 : 1;
      const total = sum(lines);
      return [
        label,
        {
          requests: round(total.requests * share),
          readUnits: round(total.readUnits * share),
          writeUnits: round(total.writeUnits * share),
          byOperation: Object.fromEntries(Object.entries(lines).map(([op, l]) => [op, add(ZERO, l, share)])),
        },
      ];
    }),
  );
  const day = Object.values(perJob).reduce((t, l) => add(t, l), ZERO);
  const jobMs = Object.values(workerMs).reduce((t, ms) => t + ms, 0);
  return {
    tenantId,
    products: bakery.catalog.products.length,
    planItemsAged: aged,
    perJob,
    tenantDay: { requests: round(day.requests), readUnits: round(day.readUnits), writeUnits: round(day.writeUnits) },
    fanOutPerZoneDay: sum(fanOut as Record<string, Line>),
    workerMsPerTenantDay: Math.round(jobMs + refitMs / 7),
    refitMsPerWeek: Math.round(refitMs),
    workerMsByJob: Object.fromEntries(Object.entries(workerMs).map(([label, ms]) => [label, Math.round(ms)])),
    jobsPerTenantDay: stack.queue.sent - sentBefore,
    eventsPerTenantDay: stack.bus.published.length - eventsBefore,
    logBytesPerTenantDay: logBytes.tenant,
    emfBytesPerTenantDay: await batchedEmfBytes(jobRecords),
    fanOutLogBytesPerZoneDay: logBytes.fanOut + fanOutEmfBytes,
    storage,
    /** The models' S3 requests per tenant-day (a seventh of the refit's) and the model object's size. */
    s3: {
      putsPerTenantDay: round(dayS3.put + refitS3.put / 7),
      getsPerTenantDay: round(dayS3.get + refitS3.get / 7),
      modelBytes: (modelObjects.Contents ?? []).reduce((t, o) => t + (o.Size ?? 0), 0),
    },
  };
}

const round = (n: number) => Math.round(n * 100) / 100;

/**
 * A tenant's share of the EMF its jobs write: the worker flushes once per batch of workerBatchSize jobs
 * of as many tenants, so each job's records are flushed beside those of the batch's other tenants.
 */
async function batchedEmfBytes(jobs: readonly MetricRecord[][]): Promise<number> {
  const batch = DEFAULT_CONFIG.workerBatchSize;
  let bytes = 0;
  const metrics = new EmfMetrics({ sink: (line) => (bytes += line.length + 1) });
  for (const records of jobs) {
    for (let i = 0; i < batch; i += 1)
      for (const r of records) {
        const tenantId = `tenant-${i}`;
        metrics.record(r.name, r.value, r.dimensions, { ...r.properties, tenantId, idempotencyKey: tenantId });
      }
    await metrics.flush();
  }
  return Math.round(bytes / batch);
}

/**
 * A year and more of plan history: the first day's plans copied to each of the 400 days before it, as
 * a mature tenant's would stand (production schedules completed, procurement plans completed; those past
 * 90 days archived), written around the meter.
 */
async function agePlans(
  shadow: ReturnType<typeof documentClient>,
  tableName: string,
  tenantId: string,
): Promise<number> {
  const { Items = [] } = await shadow.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :plan)',
      ExpressionAttributeValues: { ':pk': `TENANT#${tenantId}`, ':plan': `PLAN#` },
    }),
  );
  const copies = [];
  for (let age = 1; age <= PLAN_AGE_DAYS; age += 1) {
    const date = addDays(FIRST_DAY, -age);
    // Copies as they would stand by now: announced long ago (no events) and out of the review index.
    for (const { events: _events, reviewDue: _reviewDue, ...item } of Items) {
      copies.push({
        PutRequest: {
          Item: {
            ...item,
            SK: String(item.SK).replace(FIRST_DAY, date),
            planDate: date,
            planId: `${item.planId}-${age}`,
            status: age > 90 ? 'archived' : 'completed',
            expiresAt: Number(item.expiresAt) - age * 86_400,
          },
        },
      });
    }
  }
  await batchWriteAll({ doc: shadow, tableName }, copies);
  return copies.length;
}

/** What the tenant keeps in the table: its items' sizes with DynamoDB's per-item overhead. */
async function tenantStorage(shadow: ReturnType<typeof documentClient>, tableName: string, tenantId: string) {
  const byKind: Record<string, { items: number; bytes: number }> = {};
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await shadow.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': `TENANT#${tenantId}` },
        ExclusiveStartKey,
      }),
    );
    for (const item of page.Items ?? []) {
      const kind = String(item.SK).split('#')[0]!;
      const entry = byKind[kind] ?? { items: 0, bytes: 0 };
      byKind[kind] = entry;
      entry.items += 1;
      entry.bytes += itemSize(item) + ITEM_OVERHEAD_BYTES + (item.GSI1PK ? itemSize(item) + ITEM_OVERHEAD_BYTES : 0);
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return { bytes: Object.values(byKind).reduce((t, k) => t + k.bytes, 0), byKind };
}

type Measured = Awaited<ReturnType<typeof measure>>;

/** The bill of one tenant-day in USD, item by item, at `tenants` tenants (fixed costs shared among them). */
function tenantDayBill(m: Measured, tenants: number) {
  const zones = Math.min(tenants, 60);
  // About 60 fleet-wide metric/dimension combinations, and per zone one metric and one alarm (its silence).
  const monthlyFixed =
    (10 + zones) * PRICES.alarmStandardMonth + PRICES.dashboardMonth + (60 + zones) * PRICES.customMetricMonth;
  const jobs = m.jobsPerTenantDay;
  const batch = DEFAULT_CONFIG.workerBatchSize;
  const items = {
    dynamoWrites: (m.tenantDay.writeUnits * PRICES.dynamoWriteRequestUnitPerMillion) / 1e6,
    dynamoReads: (m.tenantDay.readUnits * PRICES.dynamoReadRequestUnitPerMillion) / 1e6,
    dynamoStorageAndPitr: ((m.storage.bytes / 1e9) * (PRICES.dynamoStorageGbMonth + PRICES.dynamoPitrGbMonth)) / 30,
    s3Models:
      (m.s3.putsPerTenantDay * PRICES.s3PutPerThousand + m.s3.getsPerTenantDay * PRICES.s3GetPerThousand) / 1000 +
      ((m.s3.modelBytes / 1e9) * PRICES.s3StandardGbMonth) / 30,
    // The monthly full export of the table, and the 13 exports the archive keeps (400 days).
    archive: ((m.storage.bytes / 1e9) * (PRICES.dynamoExportGb + 13 * PRICES.s3GlacierInstantRetrievalGbMonth)) / 30,
    lambdaCompute: (m.workerMsPerTenantDay / 1000) * LAMBDA_CPU_FACTOR * 1.0 * PRICES.lambdaArmGbSecond,
    lambdaRequests: ((jobs / batch) * PRICES.lambdaRequestPerMillion) / 1e6,
    // Sent 10 to a SendMessageBatch by the fan-out; received and deleted a batch at a time by the worker.
    sqs: (jobs * (1 / 10 + 2 / batch) * PRICES.sqsRequestPerMillion) / 1e6,
    eventBridge: (m.eventsPerTenantDay * PRICES.eventBridgeCustomEventPerMillion) / 1e6,
    logs: ((m.logBytesPerTenantDay + m.emfBytesPerTenantDay) / 1e9) * PRICES.logsIngestionGb,
    // The zone's fan-out invocations (their DynamoDB calls and logs), shared by the zone's tenants.
    fanOutShare:
      ((m.fanOutPerZoneDay.writeUnits * PRICES.dynamoWriteRequestUnitPerMillion +
        m.fanOutPerZoneDay.readUnits * PRICES.dynamoReadRequestUnitPerMillion) /
        1e6 +
        (m.fanOutLogBytesPerZoneDay / 1e9) * PRICES.logsIngestionGb) *
      (zones / tenants),
    fixedShare: monthlyFixed / 30 / tenants,
  };
  const total = Object.values(items).reduce((a, b) => a + b, 0);
  return { tenants, items, usdPer1000TenantDays: round4(total * 1000) };
}
const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

/** AWS quotas the fleet meets first (defaults, all adjustable). */
const QUOTAS = {
  lambdaConcurrencyPerRegion: 1_000,
  dynamoTableThroughputPerSecond: 40_000,
  /** One partition key of an index takes about 1,000 writes a second. */
  dynamoPartitionWritesPerSecond: 1_000,
};
/** Tenants one fan-out invocation enqueues before handing the rest of the zone to the next. */
const FAN_OUT_SHARD = FAN_OUT_SHARD_SIZE;
/** One shard: a 10,000-item page of the zone index and 1,000 SendMessageBatch calls, 8 in flight at ~25 ms. */
const FAN_OUT_SHARD_SECONDS = 0.5 + (FAN_OUT_SHARD / 10 / 8) * 0.025;
const TARGET_MINUTES = 15;

/**
 * The fleet model: a group of zones firing together (the same UTC instant: all of Central European
 * Time is about 300,000 of a million tenants) planned, production at 05:30 then procurement at 06:00,
 * each within 15 minutes of its firing; from the measured job times on Lambda's CPU share and the
 * measured units per job. `mix` is the share of 150-product tenants.
 */
function fleetModel(small: Measured, large: Measured, groupTenants: number, mix = 0.2) {
  const perJob = (job: string) => {
    const ms = (m: Measured) => (m.workerMsByJob[job] ?? 0) * LAMBDA_CPU_FACTOR;
    const units = (m: Measured, kind: 'readUnits' | 'writeUnits') => m.perJob[job]?.[kind] ?? 0;
    return {
      ms: (1 - mix) * ms(small) + mix * ms(large),
      readUnits: (1 - mix) * units(small, 'readUnits') + mix * units(large, 'readUnits'),
      writeUnits: (1 - mix) * units(small, 'writeUnits') + mix * units(large, 'writeUnits'),
    };
  };
  const shards = Math.ceil(groupTenants / FAN_OUT_SHARD);
  const fanOutSeconds = shards * FAN_OUT_SHARD_SECONDS; // shards hand over one after another
  const window = TARGET_MINUTES * 60 - FAN_OUT_SHARD_SECONDS; // workers start on the first shard's jobs
  const jobs = ['production', 'procurement'].map((job) => {
    const { ms, readUnits, writeUnits } = perJob(job);
    const concurrency = Math.ceil((groupTenants * ms) / 1000 / window);
    const perSecond = groupTenants / window;
    return {
      job,
      jobMsOnLambda: Math.round(ms),
      concurrencyFor15Minutes: concurrency,
      minutesAtConfiguredConcurrency: round(
        (groupTenants * ms) / 1000 / DEFAULT_CONFIG.workerMaxConcurrency / 60 + FAN_OUT_SHARD_SECONDS / 60,
      ),
      peakWriteUnitsPerSecond: Math.round(perSecond * writeUnits),
      peakReadUnitsPerSecond: Math.round(perSecond * readUnits),
    };
  });
  const production = jobs[0]!;
  // Every new plan writes one review-index entry under its zone, date and deadline: one key for a zone's
  // tenants with the default deadline.
  const reviewKeyWritesPerSecond = Math.round(groupTenants / window);
  return {
    groupTenants,
    mixOf150ProductTenants: mix,
    fanOut: { shards, secondsToEnqueueAll: Math.round(fanOutSeconds) },
    configuredConcurrency: DEFAULT_CONFIG.workerMaxConcurrency,
    jobs,
    reviewKeyWritesPerSecond,
    limits: {
      lambdaConcurrency: `${production.concurrencyFor15Minutes} of ${QUOTAS.lambdaConcurrencyPerRegion} per region`,
      tableThroughput: `${Math.max(...jobs.map((j) => j.peakWriteUnitsPerSecond))} WRU/s, ${Math.max(...jobs.map((j) => j.peakReadUnitsPerSecond))} RRU/s of ${QUOTAS.dynamoTableThroughputPerSecond} per table`,
      reviewIndexKey: `${reviewKeyWritesPerSecond} of ${QUOTAS.dynamoPartitionWritesPerSecond} writes/s on one key`,
    },
  };
}

/** The training lane's functions have 1,769 MB: one full vCPU, as a core of this machine (factor 1). */
const TRAINER_MEMORY_GB = 1.769;

/**
 * The training lane for a fleet: each tenant refitted once a week, a seventh of the fleet a day, on the
 * lane's own queue and functions (never the daily worker's); from the measured refit times and requests.
 */
function trainingModel(small: Measured, large: Measured, fleetTenants: number, mix = 0.2) {
  const blend = (f: (m: Measured) => number) => (1 - mix) * f(small) + mix * f(large);
  const secondsPerRefit = blend((m) => m.refitMsPerWeek) / 1000;
  const refitsPerDay = fleetTenants / 7;
  const lambdaSecondsPerDay = refitsPerDay * secondsPerRefit;
  const readUnitsPerRefit = blend((m) => (m.perJob['model-refit (a 7th)']?.readUnits ?? 0) * 7);
  const week = {
    lambda: 7 * lambdaSecondsPerDay * TRAINER_MEMORY_GB * PRICES.lambdaArmGbSecond,
    // One PUT of the new model and one GET of the old per refit; the sales read from the table.
    s3: (fleetTenants * (PRICES.s3PutPerThousand + PRICES.s3GetPerThousand)) / 1000,
    dynamoReads: (fleetTenants * readUnitsPerRefit * PRICES.dynamoReadRequestUnitPerMillion) / 1e6,
    // Sent by the fan-out ten at a time; received and deleted one at a time (batch size 1).
    sqs: (fleetTenants * (1 / 10 + 2) * PRICES.sqsRequestPerMillion) / 1e6,
  };
  return {
    fleetTenants,
    mixOf150ProductTenants: mix,
    secondsPerRefit: round(secondsPerRefit),
    refitsPerDay: Math.round(refitsPerDay),
    trainersAroundTheClock: Math.ceil(lambdaSecondsPerDay / 86_400),
    hoursADayAtConfiguredConcurrency: round(lambdaSecondsPerDay / DEFAULT_CONFIG.trainingMaxConcurrency / 3600),
    configuredConcurrency: DEFAULT_CONFIG.trainingMaxConcurrency,
    usdPerWeek: Object.fromEntries(Object.entries(week).map(([k, v]) => [k, round(v)])),
    usdPerWeekTotal: round(Object.values(week).reduce((a, b) => a + b, 0)),
  };
}

const dynamo = await startDynamoDbLocal();
try {
  const createdAt = new Date().toISOString();
  const measured: Measured[] = [];
  for (const bakery of [twelveProducts(createdAt), hundredFiftyProducts(createdAt)])
    measured.push(await measure(dynamo.endpoint, bakery));
  const report = {
    measuredDay: MEASURED_DAY,
    prices: PRICES,
    tenants: measured.map((m) => ({ ...m, bill: [tenantDayBill(m, 100_000), tenantDayBill(m, 1_000_000)] })),
    fleet: [100_000, 300_000].map((group) => fleetModel(measured[0]!, measured[1]!, group)),
    training: trainingModel(measured[0]!, measured[1]!, 1_000_000),
    webhooks: await measureWebhookCost(dynamo.endpoint, (line) => console.error(line)),
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/cost.json', `${JSON.stringify(report, null, 2)}\n`);
  for (const t of report.tenants) {
    console.log(
      `\n${t.products} products (${t.tenantId}), mature (${t.planItemsAged} plan items aged), per tenant-day by AWS rules: ${t.tenantDay.requests} requests, ${t.tenantDay.readUnits} RRU, ${t.tenantDay.writeUnits} WRU`,
    );
    for (const [label, line] of Object.entries(t.perJob))
      console.log(
        `  ${label.padEnd(22)} ${String(line.requests).padStart(7)} req ${String(line.readUnits).padStart(8)} RRU ${String(line.writeUnits).padStart(8)} WRU  ${Object.entries(
          line.byOperation,
        )
          .map(([op, l]) => `${op} ${l.requests}×`)
          .join(', ')}`,
      );
    console.log(
      `  jobs ${t.jobsPerTenantDay}, events ${t.eventsPerTenantDay}, worker ${t.workerMsPerTenantDay} ms, logs ${t.logBytesPerTenantDay} B + EMF ${t.emfBytesPerTenantDay} B, storage ${(t.storage.bytes / 1e6).toFixed(2)} MB; model in S3 ${(t.s3.modelBytes / 1e3).toFixed(1)} KB, ${t.s3.getsPerTenantDay} GET and ${t.s3.putsPerTenantDay} PUT a day`,
    );
    for (const b of t.bill)
      console.log(
        `  at ${b.tenants} tenants: $${b.usdPer1000TenantDays} per 1,000 tenant-days`,
        JSON.stringify(Object.fromEntries(Object.entries(b.items).map(([k, v]) => [k, round4(v * 1000)]))),
      );
  }
  for (const f of report.fleet) {
    console.log(
      `\na group of ${f.groupTenants} tenants firing together (${f.mixOf150ProductTenants * 100} % with 150 products): fan-out in ${f.fanOut.shards} shards, all enqueued in ${f.fanOut.secondsToEnqueueAll} s`,
    );
    for (const j of f.jobs)
      console.log(
        `  ${j.job}: ${j.jobMsOnLambda} ms a job on Lambda; within 15 min from concurrency ${j.concurrencyFor15Minutes} (${j.minutesAtConfiguredConcurrency} min at the configured ${f.configuredConcurrency}); peak ${j.peakWriteUnitsPerSecond} WRU/s, ${j.peakReadUnitsPerSecond} RRU/s`,
      );
    console.log(
      `  limits: ${Object.entries(f.limits)
        .map(([k, v]) => `${k} ${v}`)
        .join('; ')}`,
    );
  }
  const t = report.training;
  console.log(
    `\nthe weekly refit of ${t.fleetTenants} tenants (${t.mixOf150ProductTenants * 100} % with 150 products) on the training lane: ${t.refitsPerDay} refits a day of ${t.secondsPerRefit} s; ${t.trainersAroundTheClock} trainers around the clock, or ${t.hoursADayAtConfiguredConcurrency} h a day at the configured ${t.configuredConcurrency}; $${t.usdPerWeekTotal} a week ${JSON.stringify(t.usdPerWeek)}`,
  );
  console.log('');
  for (const line of webhookCostLines(report.webhooks)) console.log(line);
  console.log('\nwrote bench/results/cost.json');
} finally {
  await dynamo.stop();
}
