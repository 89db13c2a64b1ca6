import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type FillRateDay, fillRateCorrections, fillRateDays } from '../../lib/planning/fill-rate-feedback.ts';
import { planQuality } from '../../lib/planning/plan-quality.ts';
import { planProduction, productionLines } from '../../lib/planning/production.ts';
import { emptyStock, forecastOf, smallCatalog } from '../support/bakery-fixtures.ts';

const PLAN_DATE = '2026-11-28';
const POLICY = { family: '*', targetFillRate: 0.9 };

/** `count` measured days of the catalog-wide 0.9 policy, each serving `served` while baking to `bakedTo`. */
function keptDays(count: number, served: number, bakedTo = 0.9, basis: 'actuals' | 'sales' = 'actuals') {
  return Array.from({ length: count }, () => ({
    basis,
    fillRatePolicies: [{ family: '*', target: 0.9, bakedTo, sold: 100 * served, demand: 100 }],
  }));
}

const forecast = (productId: string, units: number) =>
  forecastOf(productId, units, {
    kind: 'relative',
    sorted: [0.5, 0.6, 0.7, 0.8, 0.9, 1, 1, 1.1, 1.2, 1.3, 1.4, 1.6, 1.8],
  });

describe('a fill-rate policy corrected by its recent days', () => {
  it('bakes to less after days that served more than they baked to, and to more after days that served less', () => {
    expect(fillRateCorrections(keptDays(20, 0.93), [POLICY])).toEqual([
      { family: '*', target: 0.9, bakeTo: 0.87, served: 0.93, bakedTo: 0.9, days: 20 },
    ]);
    // Days baked to 0.9 that served 0.87 bake to 0.93; days already baked to 0.87 that served 0.89 (0.02
    // more than they baked to, the steady state of the first case) bake to 0.88.
    expect(fillRateCorrections(keptDays(20, 0.87), [POLICY])[0]!.bakeTo).toBe(0.93);
    expect(fillRateCorrections(keptDays(20, 0.89, 0.87), [POLICY])[0]!.bakeTo).toBe(0.88);
  });

  it('waits for fourteen measured days, reads only days measured from actuals, and only its own policy', () => {
    expect(fillRateCorrections(keptDays(13, 0.95), [POLICY])).toEqual([]);
    // Sales alone take sales as demand: a sold-out day would read as served in full.
    expect(fillRateCorrections(keptDays(20, 0.95, 0.9, 'sales'), [POLICY])).toEqual([]);
    expect(fillRateCorrections(keptDays(20, 0.95), [{ family: '*', targetFillRate: 0.95 }])).toEqual([]);
    expect(fillRateCorrections(keptDays(20, 0.95), [{ family: 'bread', targetFillRate: 0.9 }])).toEqual([]);
    expect(fillRateCorrections(keptDays(20, 0.95), [{ family: '*', wasteCeilingPercent: 8 }])).toEqual([]);
    expect(fillRateCorrections(keptDays(20, 0.95), undefined)).toEqual([]);
  });

  it('moves the fill rate baked to by at most 0.05 either way, and keeps it within 0.5–0.999', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            bakedTo: fc.double({ min: 0.5, max: 0.999, noNaN: true }),
            sold: fc.double({ min: 0, max: 1000, noNaN: true }),
            demand: fc.double({ min: 0, max: 1000, noNaN: true }),
          }),
          { minLength: 14, maxLength: 40 },
        ),
        fc.double({ min: 0.5, max: 0.999, noNaN: true }),
        (days, target) => {
          const kept = days.map((d) => ({
            basis: 'actuals',
            fillRatePolicies: [{ family: '*', target, ...d, sold: Math.min(d.sold, d.demand) }],
          }));
          const [correction] = fillRateCorrections(kept, [{ family: '*', targetFillRate: target }]);
          if (!correction) return; // no demand in any day: nothing to correct by
          expect(correction.bakeTo).toBeGreaterThanOrEqual(Math.max(0.5, target - 0.05) - 0.0005);
          expect(correction.bakeTo).toBeLessThanOrEqual(Math.min(0.999, target + 0.05) + 0.0005);
        },
      ),
    );
    // Days that served just what they baked to leave the target as set.
    expect(fillRateCorrections(keptDays(20, 0.9), [POLICY])[0]!.bakeTo).toBe(0.9);
    expect(fillRateCorrections(keptDays(20, 1), [POLICY])[0]!.bakeTo).toBe(0.85);
  });

  it('bakes the day to the corrected rate, says so on the line, and records what it baked to', () => {
    const catalog = { ...smallCatalog(), servicePolicies: [POLICY] };
    const input = { planDate: PLAN_DATE, catalog, forecasts: [forecast('baguette', 100)], stock: emptyStock };
    const [asSet] = productionLines(input);
    const corrections = fillRateCorrections(keptDays(20, 0.94), [POLICY]);
    const [corrected] = productionLines({ ...input, fillRateCorrections: corrections });
    expect(asSet!.fillRate).toEqual({ family: '*', target: 0.9, bakedTo: 0.9 });
    expect(asSet!.quantileRule).toBe('fill rate 0.9');
    expect(corrected!.fillRate).toEqual({ family: '*', target: 0.9, bakedTo: 0.86 });
    expect(corrected!.quantileRule).toBe('fill rate 0.9 (baked to 0.86: the last 20 measured days served 0.94)');
    expect(corrected!.plannedUnits).toBeLessThan(asSet!.plannedUnits);
    // Another policy's line carries no fill rate.
    const [newsvendor] = productionLines({ ...input, catalog: smallCatalog(), fillRateCorrections: corrections });
    expect(newsvendor!.fillRate).toBeUndefined();
  });

  it('is measured each day from the lines: sold against demand, the rate baked to weighted by demand', () => {
    const line = (family: string, target: number, bakedTo: number) => ({ fillRate: { family, target, bakedTo } });
    expect(
      fillRateDays([
        { line: line('*', 0.9, 0.86), sold: 30, demand: 30 },
        { line: line('*', 0.9, 0.9), sold: 50, demand: 90 },
        { line: line('bread', 0.95, 0.95), sold: 10, demand: 12 },
        { line: {}, sold: 5, demand: 5 },
      ]),
    ).toEqual<FillRateDay[]>([
      { family: '*', target: 0.9, bakedTo: 0.89, sold: 80, demand: 120 },
      { family: 'bread', target: 0.95, bakedTo: 0.95, sold: 10, demand: 12 },
    ]);
    // planQuality keeps it with the day's measure.
    const catalog = { ...smallCatalog(), servicePolicies: [POLICY] };
    const schedule = planProduction({
      tenantId: 't',
      planDate: PLAN_DATE,
      catalog,
      forecasts: [forecast('baguette', 100), forecast('cookie', 40)],
      stock: emptyStock,
      generatedAt: '2026-11-28T04:30:00Z',
    });
    const quality = planQuality(
      schedule,
      [
        { date: PLAN_DATE, productId: 'baguette', sold: 90, leftover: 5, carriedOver: 0 },
        { date: PLAN_DATE, productId: 'cookie', sold: 30, leftover: 2, carriedOver: 0 },
      ],
      catalog,
      { opens: '07:00', closes: '20:00' },
      new Map(),
    );
    expect(quality.fillRatePolicies).toEqual([{ family: '*', target: 0.9, bakedTo: 0.9, sold: 120, demand: 120 }]);
    expect(
      planQuality(schedule, [], smallCatalog(), { opens: '07:00', closes: '20:00' }, new Map()),
    ).not.toHaveProperty('fillRatePolicies');
  });
});
