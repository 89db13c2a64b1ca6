import type { Context, SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createFanOutHandler } from '../../functions/fan-out/handler.ts';
import { createPlanWorkerHandler } from '../../functions/plan-worker/handler.ts';
import { sweepMissedFirings } from '../../lib/app/catch-up.ts';
import { runFanOut } from '../../lib/app/fan-out.ts';
import { changeProcurementStatus } from '../../lib/app/plan-review.ts';
import { planOf } from '../../lib/events/catalogue.ts';
import { currentJobSignal } from '../../lib/job-signal.ts';
import { idempotencyKey, type TenantJob } from '../../lib/jobs/job-message.ts';
import type { JobName } from '../../lib/jobs/job-table.ts';
import { refitWeekdayOf } from '../../lib/jobs/lanes.ts';
import type { PlannerPorts } from '../../lib/ports.ts';
import { addDays, weekdayOf } from '../../lib/time/tenant-clock.ts';
import { commandLog, expressionValues } from '../support/command-log.ts';
import { relayOutage, seedBakery, smallCatalog, type TestStack, tenant, testStack } from '../support/local-stack.ts';

const context = {} as Context;
const PLAN_DATE = '2026-11-28';
// 05:30 in Madrid on 2026-11-28 (UTC+1).
const MADRID_0530 = '2026-11-28T04:30:00Z';

async function fire(
  stack: TestStack,
  job: JobName,
  timezone: string,
  scheduledTime: string,
  extra: Record<string, unknown> = {},
  ports?: PlannerPorts,
) {
  const fanOut = createFanOutHandler(() => ports ?? stack.ports);
  stack.setNow(new Date(scheduledTime));
  const result = await fanOut({ job, timezone, scheduledTime, ...extra }, context);
  await stack.queue.drain((event) =>
    createPlanWorkerHandler(
      () => ports ?? stack.ports,
      () => 60_000,
    )(event, context),
  );
  return result;
}

function sqsEvent(jobs: { id: string; body: string }[]): SQSEvent {
  return { Records: jobs.map(({ id, body }) => ({ messageId: id, body })) } as unknown as SQSEvent;
}

function jobFor(tenantId: string, job: JobName = 'production', timezone = 'Europe/Madrid'): TenantJob {
  return {
    job,
    tenantId,
    timezone,
    planDate: PLAN_DATE,
    trigger: 'scheduled',
    scheduledTime: MADRID_0530,
    idempotencyKey: idempotencyKey(tenantId, job, PLAN_DATE),
  };
}

describe('a planning day through the real handlers and DynamoDB Local', () => {
  it('builds the production schedule and then a procurement plan that reuses the cached forecasts', async () => {
    const stack = await testStack();
    await seedBakery(stack, tenant('madrid', 'Europe/Madrid'), PLAN_DATE);
    const fanOut = await fire(stack, 'production', 'Europe/Madrid', MADRID_0530);
    expect(fanOut).toEqual({
      job: 'production',
      timezone: 'Europe/Madrid',
      planDate: PLAN_DATE,
      enqueued: 1,
      skippedDemo: 0,
      skippedHandover: 0,
      skippedOtherWeekday: 0,
      continued: false,
    });
    const schedule = (await stack.ports.plans.getProductionSchedule('madrid', PLAN_DATE))!;
    // Saturday: steadySales sold 140 baguettes and 20 cookies last Saturday.
    expect(schedule.plan.lines.map((l) => [l.productId, l.plannedUnits])).toEqual([
      ['baguette', 140],
      ['cookie', 20],
    ]);
    expect(schedule.plan.batches.map((b) => b.quantity)).toEqual([40, 40, 40, 20, 20]);
    expect(stack.bus.published.map((e) => planOf(e)?.planId)).toEqual([schedule.plan.planId]);
    const afterProduction = await stack.ports.forecastCache.stats('madrid', stack.ports.now());
    expect(afterProduction).toMatchObject({ entries: 14, hits: 0, misses: 14 });

    await fire(stack, 'procurement', 'Europe/Madrid', '2026-11-28T05:00:00Z');
    const procurement = (await stack.ports.plans.getProcurementPlan('madrid', PLAN_DATE, 1))!;
    expect(procurement.plan.requirements.map((r) => r.ingredientId).sort()).toEqual(['butter', 'flour', 'salt']);
    const afterProcurement = await stack.ports.forecastCache.stats('madrid', stack.ports.now());
    expect(afterProcurement).toMatchObject({ hits: 12, misses: 14 }); // the six later days of both products: all hits
    expect(stack.bus.published.map((e) => e.detailType)).toEqual([
      'production.schedule.generated',
      'procurement.plan.generated',
    ]);
  });

  it('keeps one plan per tenant when the scheduler fires twice', async () => {
    const stack = await testStack();
    await seedBakery(stack, tenant('a', 'Europe/Madrid'), PLAN_DATE);
    await seedBakery(stack, tenant('b', 'Europe/Madrid'), PLAN_DATE);
    await fire(stack, 'production', 'Europe/Madrid', MADRID_0530);
    const first = await stack.ports.plans.getProductionSchedule('a', PLAN_DATE);
    await fire(stack, 'production', 'Europe/Madrid', MADRID_0530);
    expect(stack.queue.sent).toBe(4);
    expect((await stack.ports.plans.listPlanSummaries('a')).length).toBe(1);
    expect((await stack.ports.plans.listPlanSummaries('b')).length).toBe(1);
    expect((await stack.ports.plans.getProductionSchedule('a', PLAN_DATE))?.plan.generatedAt).toBe(
      first?.plan.generatedAt,
    );
    expect(stack.bus.published).toHaveLength(2);
    expect(
      stack.metricRecords.filter((r) => r.name === 'TenantsProcessed' && r.dimensions.Status === 'duplicate'),
    ).toHaveLength(2);
  });

  it('keeps one plan when the same message is delivered twice, even in one batch', async () => {
    const stack = await testStack();
    await seedBakery(stack, tenant('a', 'Europe/Madrid'), PLAN_DATE);
    const body = JSON.stringify(jobFor('a'));
    const worker = createPlanWorkerHandler(
      () => stack.ports,
      () => 60_000,
    );
    const response = await worker(
      sqsEvent([
        { id: 'm1', body },
        { id: 'm2', body },
      ]),
      context,
    );
    await worker(sqsEvent([{ id: 'm3', body }]), context);
    expect(response).toEqual({ batchItemFailures: [] });
    expect(await stack.ports.plans.listPlanSummaries('a')).toHaveLength(1);
    await stack.relay.pump();
    expect(stack.bus.published).toHaveLength(1);
  });

  it('plans every other tenant when one tenant’s data makes planning throw, and retries only that one', async () => {
    const stack = await testStack();
    await seedBakery(stack, tenant('good-1', 'Europe/Madrid'), PLAN_DATE);
    await seedBakery(stack, tenant('good-2', 'Europe/Madrid'), PLAN_DATE);
    const broken = smallCatalog();
    broken.recipes = broken.recipes.filter((r) => r.recipeId !== 'bake-cookie'); // a product without its recipe
    broken.products[1]!.recipeId = 'bake-cookie';
    await seedBakery(stack, tenant('broken', 'Europe/Madrid'), PLAN_DATE, broken);
    await fire(stack, 'production', 'Europe/Madrid', MADRID_0530); // the schedules procurement plans from
    const worker = createPlanWorkerHandler(
      () => stack.ports,
      () => 60_000,
    );
    const response = await worker(
      sqsEvent([
        { id: 'm-good-1', body: JSON.stringify(jobFor('good-1', 'procurement')) },
        { id: 'm-broken', body: JSON.stringify(jobFor('broken', 'procurement')) },
        { id: 'm-good-2', body: JSON.stringify(jobFor('good-2', 'procurement')) },
      ]),
      context,
    );
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-broken' }] });
    expect(await stack.ports.plans.getProcurementPlan('good-1', PLAN_DATE, 1)).not.toBeNull();
    expect(await stack.ports.plans.getProcurementPlan('good-2', PLAN_DATE, 1)).not.toBeNull();
    expect(await stack.ports.plans.getProcurementPlan('broken', PLAN_DATE, 1)).toBeNull();
    expect(stack.logLines.find((l) => l.level === 'error')).toMatchObject({
      tenantId: 'broken',
      error: { message: expect.stringContaining('Recipe "bake-cookie" is missing') },
    });
  });

  it('stops a tenant over its time budget, reports it as failed and counts a timeout', async () => {
    const stack = await testStack();
    await seedBakery(stack, tenant('slow', 'Europe/Madrid'), PLAN_DATE);
    await seedBakery(stack, tenant('fast', 'Europe/Madrid'), PLAN_DATE);
    const slowSales = {
      putSales: stack.ports.sales.putSales.bind(stack.ports.sales),
      // The slow tenant's read outlasts any budget: it answers only once the job's budget is spent.
      getSales: async (tenantId: string, from: string, to: string) => {
        const budget = currentJobSignal();
        if (tenantId === 'slow' && budget)
          await new Promise((resolve) => budget.addEventListener('abort', resolve, { once: true }));
        return stack.ports.sales.getSales(tenantId, from, to);
      },
    };
    // A budget the fast tenant meets even on a busy machine; the slow one cannot meet any.
    const worker = createPlanWorkerHandler(
      () => ({ ...stack.ports, sales: slowSales }),
      () => 8_000,
    );
    const response = await worker(
      sqsEvent([
        { id: 'm-slow', body: JSON.stringify(jobFor('slow')) },
        { id: 'm-fast', body: JSON.stringify(jobFor('fast')) },
      ]),
      context,
    );
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-slow' }] });
    expect(stack.metricRecords.filter((r) => r.name === 'TenantTimeouts')).toEqual([
      expect.objectContaining({
        value: 1,
        dimensions: { Job: 'production' },
        properties: expect.objectContaining({ tenantId: 'slow' }),
      }),
    ]);
    expect(
      stack.metricRecords.find((r) => r.name === 'TenantsProcessed' && r.properties.tenantId === 'slow')?.dimensions
        .Status,
    ).toBe('timeout');
    expect(await stack.ports.plans.getProductionSchedule('fast', PLAN_DATE)).not.toBeNull();
    // The aborted job does not go on to write a plan after its budget.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await stack.ports.plans.getProductionSchedule('slow', PLAN_DATE)).toBeNull();
  });

  it('sends a tenant that keeps failing to the DLQ after the retry limit, and no other', async () => {
    const stack = await testStack({ maxReceiveCount: 3 });
    await seedBakery(stack, tenant('good', 'Europe/Madrid'), PLAN_DATE);
    await stack.ports.tenants.putTenant(tenant('empty', 'Europe/Madrid'));
    await stack.queue.enqueue([jobFor('good'), jobFor('ghost')]);
    await stack.queue.drain((event) =>
      createPlanWorkerHandler(
        () => stack.ports,
        () => 60_000,
      )(event, context),
    );
    expect(stack.queue.deadLetters.map((m) => JSON.parse(m.body).tenantId)).toEqual(['ghost']);
    expect(stack.queue.deadLetters[0]?.receiveCount).toBe(3);
    expect(await stack.ports.plans.getProductionSchedule('good', PLAN_DATE)).not.toBeNull();
  });

  it('skips demo tenants on scheduled runs and includes them in a manual run that asks', async () => {
    const stack = await testStack();
    await seedBakery(stack, tenant('real', 'Europe/Madrid'), PLAN_DATE);
    await seedBakery(stack, tenant('demo', 'Europe/Madrid', true), PLAN_DATE);
    expect(await fire(stack, 'production', 'Europe/Madrid', MADRID_0530)).toMatchObject({
      enqueued: 1,
      skippedDemo: 1,
    });
    expect(await stack.ports.plans.getProductionSchedule('demo', PLAN_DATE)).toBeNull();
    expect(
      await fire(stack, 'production', 'Europe/Madrid', MADRID_0530, { trigger: 'scheduled', includeDemo: true }),
    ).toMatchObject({ enqueued: 1, skippedDemo: 1 });
    expect(
      await fire(stack, 'production', 'Europe/Madrid', MADRID_0530, { trigger: 'manual', includeDemo: true }),
    ).toMatchObject({ enqueued: 2, skippedDemo: 0 });
    expect(await stack.ports.plans.getProductionSchedule('demo', PLAN_DATE)).not.toBeNull();
  });

  it('plans the local date of the scheduled time, even when the firing is handled late', async () => {
    const stack = await testStack();
    await seedBakery(stack, tenant('kathmandu', 'Asia/Kathmandu'), PLAN_DATE);
    const fanOut = createFanOutHandler(() => stack.ports);
    stack.setNow(new Date('2026-11-28T20:00:00Z')); // already 29 Nov in Kathmandu
    const result = await fanOut(
      { job: 'production', timezone: 'Asia/Kathmandu', scheduledTime: '2026-11-27T23:45:00Z' },
      context,
    );
    expect(result.planDate).toBe('2026-11-28');
  });

  it('keeps a plan’s event in the table stream while the bus fails, and publishes it once the bus is back', async () => {
    const stack = await testStack();
    await seedBakery(stack, tenant('a', 'Europe/Madrid'), PLAN_DATE);
    const outage = relayOutage(stack);
    const worker = createPlanWorkerHandler(
      () => stack.ports,
      () => 60_000,
    );
    // The plan is written and the job is done: no retry of the whole job, no DLQ.
    expect(await worker(sqsEvent([{ id: 'm1', body: JSON.stringify(jobFor('a')) }]), context)).toEqual({
      batchItemFailures: [],
    });
    expect((await stack.relay.pump()).retryFrom).toBeDefined();
    expect(stack.bus.published).toEqual([]);
    outage.down = false;
    expect(await stack.relay.pump()).toEqual({ published: 1, deadLettered: 0 });
    expect(stack.bus.published.map((e) => e.detailType)).toEqual(['production.schedule.generated']);
  });

  it('publishes a plan’s event when the worker died right after writing the plan, and once only', async () => {
    const stack = await testStack();
    await seedBakery(stack, tenant('a', 'Europe/Madrid'), PLAN_DATE);
    const plans = stack.ports.plans;
    const dying = {
      ...stack.ports,
      plans: new Proxy(plans, {
        get(target, property) {
          const value = Reflect.get(target, property);
          if (property !== 'createProductionSchedule') return typeof value === 'function' ? value.bind(target) : value;
          return async (...args: Parameters<typeof plans.createProductionSchedule>) => {
            await plans.createProductionSchedule(...args);
            throw new Error('the worker died here');
          };
        },
      }),
    };
    const body = JSON.stringify(jobFor('a'));
    const run = (ports: PlannerPorts) =>
      createPlanWorkerHandler(
        () => ports,
        () => 60_000,
      )(sqsEvent([{ id: 'm1', body }]), context);
    expect(await run(dying)).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
    expect(await run(stack.ports)).toEqual({ batchItemFailures: [] });
    await stack.relay.pump();
    expect(stack.bus.published.map((e) => e.detailType)).toEqual(['production.schedule.generated']);
  });

  it('still forecasts and plans when the forecast cache cannot be read or written, and counts it', async () => {
    const stack = await testStack();
    await seedBakery(stack, tenant('a', 'Europe/Madrid'), PLAN_DATE);
    const broken = new Error('cache table throttled');
    const brokenCache = Object.assign(Object.create(stack.ports.forecastCache), {
      getMany: async () => {
        throw broken;
      },
      putMany: async () => {
        throw broken;
      },
    });
    const worker = createPlanWorkerHandler(
      () => ({ ...stack.ports, forecastCache: brokenCache }),
      () => 60_000,
    );
    expect(await worker(sqsEvent([{ id: 'm1', body: JSON.stringify(jobFor('a')) }]), context)).toEqual({
      batchItemFailures: [],
    });
    expect((await stack.ports.plans.getProductionSchedule('a', PLAN_DATE))?.plan.lines[0]?.plannedUnits).toBe(140);
    expect(
      stack.metricRecords.filter((r) => r.name === 'ForecastCacheFailures').map((r) => r.dimensions.Operation),
    ).toEqual(['read', 'write']);
  });

  it('rejects a malformed job message so that it ends in the DLQ, without touching other jobs', async () => {
    const stack = await testStack();
    await seedBakery(stack, tenant('a', 'Europe/Madrid'), PLAN_DATE);
    const worker = createPlanWorkerHandler(
      () => stack.ports,
      () => 60_000,
    );
    const response = await worker(
      sqsEvent([
        { id: 'bad', body: '{"job":"baking"}' },
        { id: 'ok', body: JSON.stringify(jobFor('a')) },
      ]),
      context,
    );
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'bad' }] });
  });

  it('rejects an invalid fan-out request with the field at fault', async () => {
    const stack = await testStack();
    const fanOut = createFanOutHandler(() => stack.ports);
    await expect(
      fanOut({ job: 'production', timezone: 'Moon/Base', scheduledTime: MADRID_0530 }, context),
    ).rejects.toThrow(/timezone/);
  });
});

describe('the forecasting model', () => {
  const fallbacks = (stack: TestStack) =>
    stack.metricRecords.filter((r) => r.name === 'ForecastModelFallbacks').map((r) => r.dimensions.Reason);

  it('is fitted on the fly when none is stored, counted and stored; the next day only scores it', async () => {
    const stack = await testStack();
    await seedBakery(stack, tenant('madrid', 'Europe/Madrid'), PLAN_DATE);
    await fire(stack, 'production', 'Europe/Madrid', MADRID_0530);
    expect(fallbacks(stack)).toEqual(['missing']);
    const stored = await stack.ports.models.getModel('madrid');
    expect(stored?.historyEnd).toBe('2026-11-27');
    expect(Object.keys(stored!.products).sort()).toEqual(['baguette', 'cookie']);
    await fire(stack, 'procurement', 'Europe/Madrid', '2026-11-28T05:00:00Z');
    await fire(stack, 'production', 'Europe/Madrid', '2026-11-29T04:30:00Z');
    expect(fallbacks(stack)).toEqual(['missing']); // procurement and the next day scored the stored model
    expect(
      (await stack.ports.plans.getProductionSchedule('madrid', '2026-11-29'))?.plan.lines.map((l) => l.productId),
    ).toEqual(['baguette', 'cookie']);
  });

  it('is refitted at 04:00 local on its own weekday of the week, with the tenant’s drivers, once however often it fires', async () => {
    const stack = await testStack();
    await seedBakery(stack, tenant('madrid', 'Europe/Madrid'), '2026-11-22');
    await stack.ports.drivers.putDrivers('madrid', {
      columns: ['temperature'],
      values: { '2026-11-14': [12.5], '2026-11-15': [Number.NaN] },
    });
    // The week of Monday 2026-11-16: the zone's refit fires every day, for the tenants of that weekday.
    const week = Array.from({ length: 7 }, (_, i) => addDays('2026-11-16', i));
    const refitDate = week.find((date) => weekdayOf(date) === refitWeekdayOf('madrid'))!;
    for (const date of week) {
      const fanOut = await fire(stack, 'model-refit', 'Europe/Madrid', `${date}T03:00:00Z`);
      const theirs = date === refitDate;
      expect(fanOut, date).toMatchObject({
        planDate: date,
        enqueued: theirs ? 1 : 0,
        skippedOtherWeekday: theirs ? 0 : 1,
      });
    }
    const stored = await stack.ports.models.getModel('madrid');
    expect(stored).toMatchObject({
      historyEnd: addDays(refitDate, -1),
      // The fit was given the tenant's drivers; two days of temperature do not help, so the model leaves them out.
      training: { driversOffered: ['temperature'], drivers: [], holdoutDays: 70 },
    });
    expect(stack.metricRecords.filter((r) => r.name === 'ModelTrainingDuration')).toHaveLength(1);
    await fire(stack, 'model-refit', 'Europe/Madrid', `${refitDate}T03:00:00Z`);
    expect(stack.metricRecords.filter((r) => r.name === 'ModelTrainingDuration')).toHaveLength(1); // the second firing found it done
    expect(stack.logLines.filter((l) => l.message === 'Tenant job finished').map((l) => l.outcome)).toEqual([
      'created',
      'duplicate',
    ]);
    // An admin's run refits whoever it names, whatever the weekday.
    const other = week.find((date) => date !== refitDate)!;
    const manual = await runFanOut(stack.ports, {
      job: 'model-refit',
      timezone: 'Europe/Madrid',
      scheduledTime: `${other}T03:00:00Z`,
      trigger: 'manual',
      includeDemo: false,
    });
    expect(manual).toMatchObject({ enqueued: 1, skippedOtherWeekday: 0 });
  });

  it('plans a past date with a model of its own, without replacing the newer stored one', async () => {
    const stack = await testStack();
    await seedBakery(stack, tenant('madrid', 'Europe/Madrid'), PLAN_DATE);
    await fire(stack, 'production', 'Europe/Madrid', '2026-11-30T04:30:00Z'); // stores a model of sales up to 11-29
    const worker = createPlanWorkerHandler(
      () => stack.ports,
      () => 60_000,
    );
    expect(
      await worker(sqsEvent([{ id: 'm1', body: JSON.stringify({ ...jobFor('madrid'), trigger: 'manual' }) }]), context),
    ).toEqual({ batchItemFailures: [] });
    expect(fallbacks(stack)).toEqual(['missing', 'stale']); // a model must not see sales after the day it forecasts
    expect((await stack.ports.models.getModel('madrid'))?.historyEnd).toBe('2026-11-29');
    expect(await stack.ports.plans.getProductionSchedule('madrid', PLAN_DATE)).not.toBeNull();
  });

  it('still plans when the stored model cannot be read or written, and counts both', async () => {
    const stack = await testStack();
    await seedBakery(stack, tenant('a', 'Europe/Madrid'), PLAN_DATE);
    const broken = new Error('model items throttled');
    const models = {
      getModel: async () => {
        throw broken;
      },
      putModel: async () => {
        throw broken;
      },
      claimRefitRequest: async () => {
        throw broken;
      },
    };
    const worker = createPlanWorkerHandler(
      () => ({ ...stack.ports, models }),
      () => 60_000,
    );
    expect(await worker(sqsEvent([{ id: 'm1', body: JSON.stringify(jobFor('a')) }]), context)).toEqual({
      batchItemFailures: [],
    });
    expect((await stack.ports.plans.getProductionSchedule('a', PLAN_DATE))?.plan.lines[0]?.plannedUnits).toBe(140);
    expect(fallbacks(stack)).toEqual(['unreadable']);
    expect(
      stack.metricRecords.filter((r) => r.name === 'ForecastCacheFailures').map((r) => r.dimensions.Operation),
    ).toEqual(['modelRead', 'modelWrite']);
  });
});

describe('the cleanup job', () => {
  it("expires and cancels per the rules (escalating is the review job's), and publishes an event for each", async () => {
    const stack = await testStack();
    await seedBakery(stack, tenant('a', 'Europe/Madrid'), PLAN_DATE);
    // Old plans: a production schedule of yesterday never confirmed, a procurement draft of 8 days ago.
    await fire(stack, 'production', 'Europe/Madrid', '2026-11-27T04:30:00Z');
    await fire(stack, 'procurement', 'Europe/Madrid', '2026-11-20T05:00:00Z');
    await fire(stack, 'production', 'Europe/Madrid', MADRID_0530);
    stack.bus.published.length = 0;
    // The cleanup reads the plans the rules reach by key: never a query over the tenant's history.
    const { lines: commands } = commandLog(
      stack.table.doc,
      (command, input) => `${command} ${expressionValues(input).join(' ')}`,
    );
    await fire(stack, 'cleanup', 'Europe/Madrid', '2026-11-28T04:50:00Z');
    // The fan-out's zone index; then, to measure yesterday's plan (nobody recorded its actuals), the month
    // of sales and the four weeks of kept measures before it (the drift check): never the tenant's plans
    // or history.
    expect(commands.filter((c) => c.startsWith('Query') || c.startsWith('Scan'))).toEqual([
      'QueryCommand ZONE#Europe/Madrid',
      'QueryCommand TENANT#a SALES#2026-11 SALES#2026-11#\uffff',
      'QueryCommand TENANT#a QUALITY#2026-10 QUALITY#2026-11-26',
    ]);
    // The tenant, its catalog and calendar, and every plan the rules reach come in one batch read.
    expect(commands.filter((c) => c.startsWith('BatchGetItemCommand'))).toHaveLength(1);
    const statuses = Object.fromEntries(
      (await stack.ports.plans.listPlanSummaries('a')).map((p) => [p.planId, p.status]),
    );
    expect(statuses).toEqual({
      'prod-a-2026-11-27': 'expired',
      'prod-a-2026-11-28': 'draft',
      'proc-a-2026-11-20-v1': 'cancelled',
    });
    // The bus gives no order: subscribers receive each once.
    expect(stack.bus.published.map((e) => [e.detailType, planOf(e)?.planId]).sort()).toEqual([
      ['plan.cleanup.status_changed', 'proc-a-2026-11-20-v1'],
      ['plan.cleanup.status_changed', 'prod-a-2026-11-27'],
      // Nobody recorded yesterday's actuals: its plan is measured with its sales.
      ['plan.quality.measured', 'prod-a-2026-11-27'],
    ]);
    expect(
      stack.metricRecords
        .filter((r) => r.name === 'CleanupStatusChanges')
        .map((r) => [r.dimensions.Status, r.value])
        .sort(),
    ).toEqual([
      ['cancelled', 1],
      ['expired', 1],
    ]);
    const cancelled = await stack.ports.plans.getProcurementPlan('a', '2026-11-20', 1);
    expect(cancelled?.plan.history.map((h) => [h.from, h.to, h.by])).toEqual([
      [null, 'draft', 'planner'],
      ['draft', 'cancelled', 'cleanup'],
    ]);
    // A second run changes nothing more.
    await fire(stack, 'cleanup', 'Europe/Madrid', '2026-11-28T04:50:00Z');
    expect(
      stack.metricRecords.filter((r) => r.name === 'TenantsProcessed' && r.dimensions.Job === 'cleanup'),
    ).toHaveLength(2);
    expect(
      Object.fromEntries((await stack.ports.plans.listPlanSummaries('a')).map((p) => [p.planId, p.status])),
    ).toEqual(statuses);
  });
});

describe('a zone fanned out in shards', () => {
  it('enqueues every tenant once, a shard per invocation, and records the firing once', async () => {
    const stack = await testStack({ fanOutShardSize: 2 });
    for (const id of ['s1', 's2', 's3', 's4', 's5']) await seedBakery(stack, tenant(id, 'Europe/Madrid'), PLAN_DATE);
    const shards: unknown[] = [];
    const ports = {
      ...stack.ports,
      fanOut: {
        shardSize: 2,
        continueFanOut: async (request: Parameters<PlannerPorts['fanOut']['continueFanOut']>[0]) => {
          shards.push(request.cursor);
          await stack.ports.fanOut.continueFanOut(request);
        },
      },
    };
    expect(await fire(stack, 'production', 'Europe/Madrid', MADRID_0530, {}, ports)).toMatchObject({
      enqueued: 2,
      continued: true,
    });
    expect(shards).toHaveLength(1); // the first shard's hand-over; the next ones hand over through stack.ports
    const schedules = await Promise.all(
      ['s1', 's2', 's3', 's4', 's5'].map((id) => stack.ports.plans.getProductionSchedule(id, PLAN_DATE)),
    );
    expect(schedules.every((s) => s !== null)).toBe(true);
    expect(stack.metricRecords.filter((r) => r.name === 'SchedulerRuns')).toHaveLength(1);
    expect(stack.metricRecords.filter((r) => r.name === 'SchedulerLastRunTimestamp')).toHaveLength(1);
    expect(stack.metricRecords.filter((r) => r.name === 'TenantsProcessed')).toHaveLength(5);
    // The review firing at the default deadline reads the review index in shards too.
    await fire(stack, 'review', 'Europe/Madrid', '2026-11-28T09:00:00Z');
    const escalated = new Set(
      stack.bus.published.filter((e) => e.detailType === 'plan.escalation.unapproved').map((e) => e.detail.tenantId),
    );
    expect([...escalated].sort()).toEqual(['s1', 's2', 's3', 's4', 's5']);
    // Only production's firing feeds the per-zone metric (the zone's silence alarm).
    expect(stack.metricRecords.filter((r) => r.name === 'SchedulerLastRunTimestamp')).toHaveLength(1);
  });
});

describe('procurement and its production schedule', () => {
  it('waits on the queue while the schedule does not exist, then plans from it', async () => {
    const stack = await testStack();
    await seedBakery(stack, tenant('a', 'Europe/Madrid'), PLAN_DATE);
    const worker = createPlanWorkerHandler(
      () => stack.ports,
      () => 60_000,
    );
    // Procurement first (a big group's production still running): it goes back on the queue, plans nothing.
    await worker(sqsEvent([{ id: 'p1', body: JSON.stringify(jobFor('a', 'procurement')) }]), context);
    expect(await stack.ports.plans.getProcurementPlan('a', PLAN_DATE, 1)).toBeNull();
    expect(stack.queue.depth).toBe(1);
    await fire(stack, 'production', 'Europe/Madrid', MADRID_0530); // drains the waiting procurement too
    const plan = (await stack.ports.plans.getProcurementPlan('a', PLAN_DATE, 1))!;
    expect(plan).not.toBeNull();
    expect(stack.metricRecords.filter((r) => r.name === 'ProcurementWithoutSchedule')).toEqual([]);
  });

  it('plans from the forecast, counted, when the schedule never comes', async () => {
    const stack = await testStack();
    await seedBakery(stack, tenant('a', 'Europe/Madrid'), PLAN_DATE);
    await fire(stack, 'procurement', 'Europe/Madrid', '2026-11-28T05:00:00Z');
    expect(await stack.ports.plans.getProcurementPlan('a', PLAN_DATE, 1)).not.toBeNull();
    expect(stack.metricRecords.filter((r) => r.name === 'ProcurementWithoutSchedule')).toHaveLength(1);
    expect(
      stack.logLines.filter((l) => l.message === 'No production schedule yet; procurement waits for it'),
    ).toHaveLength(15);
  });
});

describe('the cleanup after missed ones', () => {
  it("makes up for the zone's missed days, and only looks at the dates the rules reach", async () => {
    const stack = await testStack();
    await seedBakery(stack, tenant('a', 'Europe/Madrid'), PLAN_DATE);
    // Schedules of 11-24 and 11-26 never confirmed; the zone's cleanups of 11-25 to 11-27 did not run.
    await fire(stack, 'production', 'Europe/Madrid', '2026-11-24T04:30:00Z');
    await fire(stack, 'cleanup', 'Europe/Madrid', '2026-11-24T04:50:00Z');
    await fire(stack, 'production', 'Europe/Madrid', '2026-11-26T04:30:00Z');
    await fire(stack, 'cleanup', 'Europe/Madrid', '2026-11-28T04:50:00Z');
    const statuses = Object.fromEntries(
      (await stack.ports.plans.listPlanSummaries('a')).map((p) => [p.planId, p.status]),
    );
    expect(statuses).toEqual({ 'prod-a-2026-11-24': 'expired', 'prod-a-2026-11-26': 'expired' });
  });

  it("a zone's first cleanup reaches back one day only", async () => {
    const stack = await testStack();
    await seedBakery(stack, tenant('a', 'Europe/Madrid'), PLAN_DATE);
    await fire(stack, 'production', 'Europe/Madrid', '2026-11-25T04:30:00Z');
    await fire(stack, 'cleanup', 'Europe/Madrid', '2026-11-27T04:50:00Z');
    // 11-25's schedule was 2 days old at the 11-27 cleanup but the zone had no missed cleanup on record:
    // a first cleanup looks at yesterday only, so it stays a draft until a cleanup reaches it.
    const before = await stack.ports.plans.listPlanSummaries('a');
    expect(before.map((p) => p.status)).toEqual(['draft']);
    await fire(stack, 'cleanup', 'Europe/Madrid', '2026-11-28T04:50:00Z');
    expect((await stack.ports.plans.listPlanSummaries('a')).map((p) => p.status)).toEqual(['draft']);
  });
});

describe('the review deadline', () => {
  it("escalates today's waiting plans once, at the tenant's deadline hour only, and never for a past day", async () => {
    const stack = await testStack();
    await seedBakery(stack, tenant('a', 'Europe/Madrid'), PLAN_DATE); // default deadline 10:00
    await seedBakery(stack, { ...tenant('b', 'Europe/Madrid'), reviewDeadline: '12:00' }, PLAN_DATE);
    await fire(stack, 'production', 'Europe/Madrid', MADRID_0530);
    await fire(stack, 'procurement', 'Europe/Madrid', '2026-11-28T05:00:00Z');
    await stack.ports.tenants.recordZoneRun('Europe/Madrid', 'review', '2026-11-28T09:00'); // a record to sweep against
    stack.bus.published.length = 0;
    const escalated = () =>
      stack.bus.published
        .filter((e) => e.detailType === 'plan.escalation.unapproved')
        .map((e) => [e.detail.tenantId, planOf(e)?.planId, (e.detail as { deadline?: string }).deadline]);

    // 09:00 Madrid: nobody's deadline. 10:00: a's (b is not even queued). Twice: still once per plan.
    // The firing reads the sparse index of plans waiting at its hour, never the zone's tenants.
    const { lines: queries } = commandLog(stack.table.doc, (command, input) =>
      command === 'QueryCommand' ? String(input.IndexName ?? 'table') : undefined,
    );
    expect(await fire(stack, 'review', 'Europe/Madrid', '2026-11-28T08:00:00Z')).toMatchObject({ enqueued: 0 });
    expect(await fire(stack, 'review', 'Europe/Madrid', '2026-11-28T09:00:00Z')).toMatchObject({ enqueued: 1 });
    expect(queries).toEqual(['GSI2', 'GSI2']);
    await fire(stack, 'review', 'Europe/Madrid', '2026-11-28T09:00:00Z');
    expect(escalated().sort()).toEqual([
      ['a', 'proc-a-2026-11-28-v1', '10:00'],
      ['a', 'prod-a-2026-11-28', '10:00'],
    ]);
    // b approves its procurement plan before 12:00: only its production schedule escalates.
    const plan = (await stack.ports.plans.getProcurementPlan('b', PLAN_DATE, 1))!;
    stack.setNow(new Date('2026-11-28T10:30:00Z'));
    await changeProcurementStatus(stack.ports, {
      tenantId: 'b',
      planDate: PLAN_DATE,
      version: 1,
      to: 'approved',
      expectedRevision: plan.revision,
      by: 'manager-b',
    });
    await fire(stack, 'review', 'Europe/Madrid', '2026-11-28T11:00:00Z');
    expect(escalated().filter(([t]) => t === 'b')).toEqual([['b', 'prod-b-2026-11-28', '12:00']]);

    // A catch-up of a past day, or a job before the deadline, escalates nothing.
    const worker = createPlanWorkerHandler(
      () => stack.ports,
      () => 60_000,
    );
    stack.bus.published.length = 0;
    stack.setNow(new Date('2026-11-29T08:00:00Z'));
    for (const [tenantId, planDate] of [
      ['a', PLAN_DATE],
      ['a', '2026-11-29'],
    ] as const) {
      await worker(
        sqsEvent([
          {
            id: planDate,
            body: JSON.stringify({
              ...jobFor(tenantId, 'review'),
              planDate,
              trigger: 'catch-up',
              idempotencyKey: `${tenantId}#review#${planDate}`,
            }),
          },
        ]),
        context,
      );
    }
    expect(escalated()).toEqual([]);
  });

  it('catches up a missed deadline hour with the sweep', async () => {
    const stack = await testStack();
    await seedBakery(stack, tenant('a', 'Europe/Madrid'), PLAN_DATE);
    await fire(stack, 'production', 'Europe/Madrid', MADRID_0530);
    await stack.ports.tenants.recordZoneRun('Europe/Madrid', 'review', '2026-11-28T09:00');
    for (const job of ['production', 'cleanup', 'procurement'] as const)
      await stack.ports.tenants.recordZoneRun('Europe/Madrid', job, PLAN_DATE);
    stack.bus.published.length = 0;
    // 10:00 did not fire; the sweep at 10:25 fans out that firing, and its tenant escalates.
    stack.setNow(new Date('2026-11-28T09:25:00Z'));
    const results = await sweepMissedFirings(stack.ports);
    expect(results).toMatchObject([{ job: 'review', enqueued: 1 }]);
    await stack.queue.drain((event) =>
      createPlanWorkerHandler(
        () => stack.ports,
        () => 60_000,
      )(event, context),
    );
    expect(stack.bus.published.map((e) => [e.detailType, planOf(e)?.planId])).toEqual([
      ['plan.escalation.unapproved', 'prod-a-2026-11-28'],
    ]);
    expect((await stack.ports.tenants.listZones()).find((z) => z.timezone === 'Europe/Madrid')?.runs.review).toEqual([
      '2026-11-28T09:00',
      '2026-11-28T10:00',
    ]);
  });
});

describe('the forecast cache across days', () => {
  it("recomputes the plan date's forecast from yesterday's sales and reuses the rest of yesterday's horizon", async () => {
    const stack = await testStack();
    await seedBakery(stack, tenant('a', 'Europe/Madrid'), PLAN_DATE);
    const worker = createPlanWorkerHandler(
      () => stack.ports,
      () => 60_000,
    );
    const run = async (date: string) => {
      stack.setNow(new Date(`${date}T04:30:00Z`));
      const job = { ...jobFor('a'), planDate: date, idempotencyKey: idempotencyKey('a', 'production', date) };
      await worker(sqsEvent([{ id: date, body: JSON.stringify(job) }]), context);
    };
    await run(PLAN_DATE);
    // Saturday sold 300 baguettes instead of 140: Sunday's plan must see it (the cache has Sunday from Saturday's run).
    await stack.ports.sales.putSales('a', {
      unitsByProduct: { baguette: { [PLAN_DATE]: 300 }, cookie: { [PLAN_DATE]: 20 } },
      closedDates: [],
    });
    const before = await stack.ports.forecastCache.stats('a', stack.ports.now());
    await run('2026-11-29');
    const after = await stack.ports.forecastCache.stats('a', stack.ports.now());
    // Two products: Sunday recomputed (2 misses), the new seventh day computed (2 misses), five days reused (10 hits).
    expect({ hits: after.hits - before.hits, misses: after.misses - before.misses }).toEqual({ hits: 10, misses: 4 });
    const sunday = (
      await stack.ports.forecastCache.getMany(
        'a',
        [{ productId: 'baguette', forecastDate: '2026-11-29' }],
        stack.ports.now(),
      )
    )[0];
    expect(sunday?.historyEnd).toBe(PLAN_DATE);
  });
});

describe('the training lane', () => {
  it('holds refits apart: the day’s jobs are delivered first, whatever waited longer', async () => {
    const stack = await testStack();
    const refit = { ...jobFor('a', 'model-refit'), idempotencyKey: idempotencyKey('a', 'model-refit', PLAN_DATE) };
    await stack.queue.enqueue([refit, { ...refit, tenantId: 'b' }]);
    await stack.queue.enqueue([jobFor('a'), jobFor('b', 'cleanup')]);
    expect([stack.queue.depthOf('training'), stack.queue.depthOf('daily')]).toEqual([2, 2]);
    const delivered: string[] = [];
    await stack.queue.drain(async (event) => {
      for (const r of event.Records) delivered.push((JSON.parse(r.body) as TenantJob).job);
      return { batchItemFailures: [] };
    });
    expect(delivered).toEqual(['production', 'cleanup', 'model-refit', 'model-refit']);
  });
});

describe("a tenant job's reads", () => {
  it('come in one batch read (and the sales months in one query), and the job still reads its own writes', async () => {
    const stack = await testStack();
    await seedBakery(stack, tenant('a', 'Europe/Madrid'), PLAN_DATE);
    const worker = createPlanWorkerHandler(
      () => stack.ports,
      () => 60_000,
    );
    const run = async (kind: 'production' | 'procurement', date: string, at: string) => {
      stack.setNow(new Date(`${date}T${at}Z`));
      const job = { ...jobFor('a'), job: kind, planDate: date, idempotencyKey: idempotencyKey('a', kind, date) };
      await worker(sqsEvent([{ id: `${kind}-${date}`, body: JSON.stringify(job) }]), context);
    };
    // Yesterday's run leaves a model and a cached horizon, as on any day of a mature tenant.
    await run('production', PLAN_DATE, '04:30:00');
    const { lines: reads } = commandLog(stack.table.doc, (command, input) =>
      /^(Get|BatchGet|Query|Scan)/.test(command) ? `${command} ${expressionValues(input)[1] ?? ''}`.trim() : undefined,
    );
    await run('production', '2026-11-29', '04:30:00');
    expect(reads).toEqual(['BatchGetItemCommand', 'QueryCommand SALES#2025-11']);
    reads.length = 0;
    await run('procurement', '2026-11-29', '05:00:00');
    expect(reads).toEqual(['BatchGetItemCommand']);
    const plans = await stack.ports.plans.plansOn('a', ['2026-11-29']);
    expect(plans.map((p) => `${p.kind} ${p.status}`).sort()).toEqual(['procurement draft', 'production draft']);
    // Delivered again: the plan written by the first delivery is seen, not a stale read set.
    await run('procurement', '2026-11-29', '05:01:00');
    expect((await stack.ports.plans.plansOn('a', ['2026-11-29'])).length).toBe(2);
  });
});

describe('events of an operator change when the bus is down', () => {
  it('keeps them on the plan and publishes them as soon as the bus is back, regeneration included', async () => {
    const stack = await testStack();
    await seedBakery(stack, tenant('a', 'Europe/Madrid'), PLAN_DATE);
    await fire(stack, 'procurement', 'Europe/Madrid', '2026-11-28T05:00:00Z');
    const outage = relayOutage(stack);
    stack.bus.published.length = 0;
    await changeProcurementStatus(stack.ports, {
      tenantId: 'a',
      planDate: PLAN_DATE,
      version: 1,
      to: 'rejected',
      by: 'manager',
      reason: 'stale stock counts',
    });
    // The rejection stands, with its events waiting in the stream.
    expect((await stack.ports.plans.getProcurementPlan('a', PLAN_DATE, 1))?.plan.status).toBe('rejected');
    expect((await stack.relay.pump()).retryFrom).toBeDefined();
    // The bus returns: the relay's next run publishes them; the bus routes the regeneration; the worker builds v2.
    outage.down = false;
    await stack.queue.drain((event) =>
      createPlanWorkerHandler(
        () => stack.ports,
        () => 60_000,
      )(event, context),
    );
    expect(
      stack.bus.published
        .map((e) => e.detailType)
        .slice(0, 3)
        .sort(),
    ).toEqual([
      'procurement.plan.regeneration_requested',
      'procurement.plan.rejected',
      'procurement.plan.status_changed',
    ]);
    expect((await stack.ports.plans.getProcurementPlan('a', PLAN_DATE, 2))?.plan.supersedes).toBe(
      `proc-a-${PLAN_DATE}-v1`,
    );
  });
});
