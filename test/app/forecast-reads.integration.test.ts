// An operator's read never fits a forecasting model: without a current one it answers from the
// seasonal-naive baseline (marked, never cached) and asks the jobs queue for one refit per window; no
// read of any date, past or future, stores a model, and none "from the future" is ever stored.
import type { Context, SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createPlanWorkerHandler } from '../../functions/plan-worker/handler.ts';
import { forecastsForDate } from '../../lib/app/forecasts.ts';
import { morningOf } from '../../lib/app/morning.ts';
import { seedBakery, type TestStack, tenant, testStack } from '../support/local-stack.ts';

const context = {} as Context;
const TODAY = '2026-11-28';
const MORNING = new Date('2026-11-28T09:00:00Z');

const count = (stack: TestStack, name: string) => stack.metricRecords.filter((r) => r.name === name).length;
const drain = (stack: TestStack) =>
  stack.queue.drain((event: SQSEvent) =>
    createPlanWorkerHandler(
      () => stack.ports,
      () => 120_000,
    )(event, context),
  );

describe('reads without a current model', () => {
  it('answer from the baseline, fit nothing, cache nothing, and queue one refit however often they come', async () => {
    const stack = await testStack();
    await seedBakery(stack, tenant('a', 'Europe/Madrid'), TODAY);
    stack.setNow(MORNING);
    const a = (await stack.ports.tenants.getTenant('a'))!;
    const first = await forecastsForDate(stack.ports, a, undefined);
    await forecastsForDate(stack.ports, a, undefined);
    await morningOf(stack.ports, a, TODAY);
    expect(first.forecasts.map((f) => f.method)).toEqual(['baseline:seasonal-naive', 'baseline:seasonal-naive']);
    expect(first.forecasts.every((f) => f.pointForecast > 0)).toBe(true);
    expect(count(stack, 'ForecastModelFallbacks')).toBe(0);
    expect(count(stack, 'ForecastBaselineServed')).toBe(3);
    expect(await stack.ports.models.getModel('a')).toBeNull();
    expect((await stack.ports.forecastCache.stats('a', MORNING)).entries).toBe(0);
    expect(stack.queue.depth).toBe(1); // one refit asked for, not three
    // The jobs queue fits it; the next read scores the stored model.
    await drain(stack);
    expect((await stack.ports.models.getModel('a'))?.historyEnd).toBe('2026-11-27');
    const after = await forecastsForDate(stack.ports, a, undefined);
    expect(after.forecasts.every((f) => !f.method.startsWith('baseline:'))).toBe(true);
    expect(count(stack, 'ForecastModelFallbacks')).toBe(0);
  });

  it('of a past or a far-future date never store a model, nor one from the future', async () => {
    const stack = await testStack();
    await seedBakery(stack, tenant('a', 'Europe/Madrid'), TODAY);
    stack.setNow(MORNING);
    const a = (await stack.ports.tenants.getTenant('a'))!;
    await morningOf(stack.ports, a, '2027-03-01'); // no model yet: the baseline, from sales through yesterday
    await morningOf(stack.ports, a, '2026-10-15');
    expect(await stack.ports.models.getModel('a')).toBeNull();
    expect(stack.queue.depth).toBe(1); // the future read asked for today's refit; the past one did not
    await drain(stack);
    const stored = (await stack.ports.models.getModel('a'))!;
    // With a current model: a far-future read scores it (sales known through yesterday), a past read
    // answers from the baseline (the model saw later sales); neither fits, neither stores.
    await morningOf(stack.ports, a, '2099-01-01');
    await morningOf(stack.ports, a, '2026-10-15');
    expect(count(stack, 'ForecastModelFallbacks')).toBe(0);
    expect(await stack.ports.models.getModel('a')).toEqual(stored);
    expect(stored.historyEnd).toBe('2026-11-27');
  });
});
