import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Catalog, DemandForecast } from '../../lib/domain.ts';
import {
  batchRules,
  batchSizes,
  criticalRatio,
  freshStockUnits,
  planProduction,
} from '../../lib/planning/production.ts';
import { emptyStock, forecastOf, smallCatalog } from '../support/bakery-fixtures.ts';

const PLAN_DATE = '2026-11-28';

const forecast = forecastOf;

const plan = (catalog: Catalog, forecasts: DemandForecast[], stock = emptyStock) =>
  planProduction({
    tenantId: 't1',
    planDate: PLAN_DATE,
    catalog,
    forecasts,
    stock,
    generatedAt: '2026-11-28T04:30:00Z',
  });

describe('production quantities', () => {
  it('bakes the forecast minus fresh stock, rounded up to whole units', () => {
    const stock = { finishedGoods: [{ productId: 'cookie', quantity: 12, producedOn: '2026-11-26' }], ingredients: [] };
    const schedule = plan(smallCatalog(), [forecast('baguette', 99.2), forecast('cookie', 30)], stock);
    expect(schedule.lines.map((l) => [l.productId, l.forecastUnits, l.freshStockUnits, l.plannedUnits])).toEqual([
      ['baguette', 99.2, 0, 100],
      ['cookie', 30, 12, 18],
    ]);
  });

  it('counts only finished goods still within their shelf life', () => {
    const stock = {
      finishedGoods: [
        { productId: 'cookie', quantity: 5, producedOn: '2026-11-23' }, // 5-day shelf life: last sellable 11-27
        { productId: 'cookie', quantity: 7, producedOn: '2026-11-24' },
        { productId: 'baguette', quantity: 9, producedOn: '2026-11-27' }, // 1 day: yesterday's bread is not fresh
      ],
      ingredients: [],
    };
    expect(freshStockUnits(stock, 'cookie', 5, PLAN_DATE)).toBe(7);
    expect(freshStockUnits(stock, 'baguette', 1, PLAN_DATE)).toBe(0);
  });

  it('bakes at least the weekday par level', () => {
    const catalog = smallCatalog();
    catalog.products[0]!.parLevelByWeekday = { 6: 120 }; // 2026-11-28 is a Saturday
    expect(plan(catalog, [forecast('baguette', 50), forecast('cookie', 0)]).lines[0]?.plannedUnits).toBe(120);
  });
});

describe('the quantity decision', () => {
  it('bakes a perishable product to its newsvendor quantile', () => {
    // Baguette: price 1, cost 0.3, salvage 0.1 → critical ratio 0.7 / 0.9 = 0.778.
    expect(criticalRatio(smallCatalog().products[0]!)).toBeCloseTo(0.7778, 4);
    const errors = { kind: 'relative' as const, sorted: Array.from({ length: 101 }, (_, i) => 0.5 + i / 100) }; // ratios 0.5 … 1.5
    const [line] = plan(smallCatalog(), [forecast('baguette', 100, errors), forecast('cookie', 0)]).lines;
    expect(line).toMatchObject({ quantileRule: 'newsvendor', quantile: 0.778, targetUnits: 127.78, plannedUnits: 128 });
  });

  it('bakes a product that keeps to a 90 % service level instead', () => {
    const errors = { kind: 'absolute' as const, sorted: Array.from({ length: 11 }, (_, i) => i - 5) }; // −5 … +5
    const cookie = plan(smallCatalog(), [forecast('baguette', 0), forecast('cookie', 30, errors)]).lines[1];
    expect(cookie).toMatchObject({ quantileRule: 'service level', quantile: 0.9, targetUnits: 34, plannedUnits: 34 });
  });

  it.each([
    [{ unitPrice: 2, unitCost: 0.6, salvageValue: 0 }, 0.7],
    [{ unitPrice: 2, unitCost: 0.6, salvageValue: 0.6 }, 0.99],
    [{ unitPrice: 1, unitCost: 1.2, salvageValue: 0 }, 0.01],
  ])('has the critical ratio of %j at %d', (economics, ratio) => {
    expect(criticalRatio(economics)).toBeCloseTo(ratio, 6);
  });
});

describe('batches', () => {
  it('splits a product into batches of its recipe yield with numbered, reasoned batches', () => {
    const schedule = plan(smallCatalog(), [forecast('baguette', 100), forecast('cookie', 0)]);
    expect(schedule.batches.map((b) => b.quantity)).toEqual([40, 40, 20]);
    for (const batch of schedule.batches) {
      expect(batch.batchNumber).toMatch(/^BATCH-20261128-[0-9A-F]{6}$/);
      expect(batch.reasoning).toContain('forecast 100');
      expect(batch.equipmentId).toBe('oven');
    }
    expect(new Set(schedule.batches.map((b) => b.batchNumber)).size).toBe(3);
  });

  it('times the batches one after the other on their oven from the shift start', () => {
    const minutes = smallCatalog().recipes.find(
      (r) => r.recipeId === plan(smallCatalog(), [forecast('baguette', 100)]).batches[0]!.recipeId,
    )!.batchMinutes;
    const at = (offset: number) =>
      `${String(6 + Math.floor(offset / 60)).padStart(2, '0')}:${String(offset % 60).padStart(2, '0')}`;
    expect(plan(smallCatalog(), [forecast('baguette', 100)]).batches.map((b) => [b.startsAt, b.minutes])).toEqual([
      [at(0), minutes],
      [at(minutes), minutes],
      [at(2 * minutes), minutes],
    ]);
    const early = planProduction({
      tenantId: 't1',
      planDate: PLAN_DATE,
      catalog: smallCatalog(),
      forecasts: [forecast('baguette', 40)],
      stock: emptyStock,
      generatedAt: '2026-11-28T04:30:00Z',
      shiftStart: '03:30',
    });
    expect(early.batches[0]!.startsAt).toBe('03:30');
  });

  it('applies minimum, maximum and multiple batch sizes, and the oven’s capacity', () => {
    const catalog = smallCatalog();
    catalog.recipes[1]!.batch = { minUnits: 12, multipleUnits: 6 }; // baguettes: trays of 6, at least 12
    catalog.equipment[0]!.capacityPerBatch = 33; // the oven holds 33: max batch 30 (a multiple of 6)
    const schedule = plan(catalog, [forecast('baguette', 65), forecast('cookie', 0)]);
    expect(schedule.batches.map((b) => b.quantity)).toEqual([30, 30, 12]);
    expect(schedule.batches[0]!.reasoning).toContain('(+7 to meet batch rules)');
    expect(batchSizes(7, batchRules(catalog.recipes[1]!, undefined))).toEqual([12]);
  });

  it('numbers batches the same way every time, so that a re-run is recognisable', () => {
    const a = plan(smallCatalog(), [forecast('baguette', 100)]);
    const b = plan(smallCatalog(), [forecast('baguette', 100)]);
    expect(a.batches.map((x) => x.batchNumber)).toEqual(b.batches.map((x) => x.batchNumber));
  });

  it('reports what does not fit on the equipment instead of dropping it', () => {
    const catalog = smallCatalog();
    catalog.equipment[0]!.availableHoursPerDay = 1; // two 30-minute baguette batches
    const schedule = plan(catalog, [forecast('baguette', 200), forecast('cookie', 0)]);
    expect(schedule.batches).toHaveLength(2);
    expect(schedule.shortfalls).toEqual([
      {
        productId: 'baguette',
        units: 120,
        reason: 'oven has no hours left',
        message: { text: '{equipment} has no hours left', values: { equipment: 'oven' } },
      },
    ]);
  });

  it('never exceeds equipment hours and never plans negative quantities', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: 0, max: 16 }),
        (bread, cookies, hours) => {
          const catalog = smallCatalog();
          catalog.equipment[0]!.availableHoursPerDay = hours;
          const schedule = plan(catalog, [forecast('baguette', bread), forecast('cookie', cookies)]);
          const minutes = schedule.batches.reduce(
            (t, b) => t + catalog.recipes.find((r) => r.recipeId === b.recipeId)!.batchMinutes,
            0,
          );
          expect(minutes).toBeLessThanOrEqual(hours * 60);
          for (const batch of schedule.batches) expect(batch.quantity).toBeGreaterThan(0);
          const baked = schedule.batches.reduce((t, b) => t + b.quantity, 0);
          const short = schedule.shortfalls.reduce((t, s) => t + s.units, 0);
          expect(baked + short).toBe(bread + cookies);
        },
      ),
    );
  });
});
