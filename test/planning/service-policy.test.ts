import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CatalogSchema } from '../../lib/api/schemas.ts';
import { forecastQuantile } from '../../lib/forecasting/forecaster.ts';
import { productionLines } from '../../lib/planning/production.ts';
import { demandScenarios, expectedService, policyFor, policyLevel } from '../../lib/planning/service-policy.ts';
import { emptyStock, forecastOf, smallCatalog } from '../support/bakery-fixtures.ts';

const PLAN_DATE = '2026-11-28';
const RELATIVE_ERRORS = [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1, 1, 1.05, 1.1, 1.15, 1.2, 1.3, 1.4, 1.6, 1.8];

const forecast = (productId: string, units: number, sorted = RELATIVE_ERRORS) =>
  forecastOf(productId, units, { kind: 'relative', sorted });

describe('waste against service', () => {
  it('computes expected fill rate and waste over the forecast’s demand scenarios', () => {
    // Forty equally likely outcomes, each the middle of its slice: from 0.25 to 19.75 for errors spread evenly from 0 to 2.
    const relative = demandScenarios({ pointForecast: 10, errors: { kind: 'relative', sorted: [0, 1, 2] } });
    expect(relative).toHaveLength(40);
    expect(relative[0]).toBeCloseTo(0.25, 9);
    expect(relative[39]).toBeCloseTo(19.75, 9);
    expect(relative.reduce((a, b) => a + b, 0) / 40).toBeCloseTo(10, 9);
    expect(demandScenarios({ pointForecast: 10, errors: { kind: 'absolute', sorted: [-20, 0, 10] } })[0]).toBe(0); // never negative
    expect(demandScenarios({ pointForecast: 10, errors: { kind: 'absolute', sorted: [] } })).toEqual([10]);
    // Baking 10 against 0, 10 and 20: 20 of 30 demanded units sold, 10 of 30 baked wasted.
    expect(expectedService([0, 10, 20], 10)).toEqual({ fillRate: 2 / 3, wasteShare: 1 / 3 });
  });

  it('finds the lowest quantile reaching a target fill rate, for any error spread and target', () => {
    const errors = fc
      .array(fc.double({ min: 0.05, max: 3, noNaN: true }), { minLength: 5, maxLength: 60 })
      .map((a) => a.sort((x, y) => x - y));
    fc.assert(
      fc.property(errors, fc.double({ min: 0.6, max: 0.98, noNaN: true }), (sorted, target) => {
        const f = forecast('b', 100, sorted);
        const level = policyLevel(f, { family: '*', targetFillRate: target })!;
        const fillAt = (q: number) => expectedService(demandScenarios(f), forecastQuantile(f, q)).fillRate;
        if (level < 0.99) expect(fillAt(level)).toBeGreaterThanOrEqual(target - 1e-9);
        if (level > 0.011) expect(fillAt(level - 0.005)).toBeLessThan(target + 1e-6);
      }),
      { numRuns: 200 },
    );
  });

  it('finds the highest quantile keeping waste under a ceiling, for any error spread and ceiling', () => {
    const errors = fc
      .array(fc.double({ min: 0.05, max: 3, noNaN: true }), { minLength: 5, maxLength: 60 })
      .map((a) => a.sort((x, y) => x - y));
    fc.assert(
      fc.property(errors, fc.double({ min: 1, max: 40, noNaN: true }), (sorted, ceiling) => {
        const f = forecast('b', 100, sorted);
        const level = policyLevel(f, { family: '*', wasteCeilingPercent: ceiling })!;
        const wasteAt = (q: number) => expectedService(demandScenarios(f), forecastQuantile(f, q)).wasteShare;
        if (level > 0.01) expect(wasteAt(level)).toBeLessThanOrEqual(ceiling / 100 + 1e-9);
        if (level < 0.985) expect(wasteAt(level + 0.005)).toBeGreaterThan(ceiling / 100 - 1e-6);
      }),
      { numRuns: 200 },
    );
  });

  it('bakes the whole number of units whose expected service is nearest the target, of the two around its quantile', () => {
    const errors = fc
      .array(fc.double({ min: 0.05, max: 3, noNaN: true }), { minLength: 5, maxLength: 60 })
      .map((a) => a.sort((x, y) => x - y));
    const policies = fc.oneof(
      fc.double({ min: 0.6, max: 0.98, noNaN: true }).map((targetFillRate) => ({ family: '*', targetFillRate })),
      fc.double({ min: 1, max: 40, noNaN: true }).map((wasteCeilingPercent) => ({ family: '*', wasteCeilingPercent })),
    );
    fc.assert(
      fc.property(errors, fc.double({ min: 1, max: 60, noNaN: true }), policies, (sorted, units, policy) => {
        const f = forecast('cookie', units, sorted);
        const [, line] = productionLines({
          planDate: PLAN_DATE,
          catalog: { ...smallCatalog(), servicePolicies: [policy] },
          forecasts: [f],
          stock: emptyStock,
        });
        const quantile = forecastQuantile(f, line!.quantile);
        const missBy = (whole: number) => {
          const service = expectedService(demandScenarios(f), whole);
          return 'targetFillRate' in policy
            ? Math.abs(service.fillRate - policy.targetFillRate)
            : Math.abs(service.wasteShare - policy.wasteCeilingPercent / 100);
        };
        expect([Math.floor(quantile), Math.ceil(quantile)]).toContain(line!.plannedUnits);
        expect(line!.targetUnits).toBe(line!.plannedUnits);
        const other = line!.plannedUnits === Math.ceil(quantile) ? Math.floor(quantile) : Math.ceil(quantile);
        expect(missBy(line!.plannedUnits)).toBeLessThanOrEqual(missBy(other));
      }),
      { numRuns: 200 },
    );
    // A 95 % fill rate of a forecast of 10: 12.43 units reach it; 12 fall short by 0.0097, 13 pass it by 0.0113.
    const [, nearest] = productionLines({
      planDate: PLAN_DATE,
      catalog: { ...smallCatalog(), servicePolicies: [{ family: '*', targetFillRate: 0.95 }] },
      forecasts: [forecast('cookie', 10)],
      stock: emptyStock,
    });
    expect(nearest!.plannedUnits).toBe(12);
  });

  it('applies a family’s policy, then the catalog-wide one, and names the rule on the line', () => {
    const catalog = {
      ...smallCatalog(),
      products: smallCatalog().products.map((p) => (p.productId === 'baguette' ? { ...p, family: 'bread' } : p)),
    };
    const lines = (servicePolicies?: { family: string; targetFillRate?: number; wasteCeilingPercent?: number }[]) =>
      productionLines({
        planDate: PLAN_DATE,
        catalog: { ...catalog, ...(servicePolicies ? { servicePolicies } : {}) },
        forecasts: [forecast('baguette', 100), forecast('cookie', 50)],
        stock: emptyStock,
      });
    const [newsvendor] = lines();
    const [served] = lines([{ family: 'bread', targetFillRate: 0.99 }]);
    const [lean, cookie] = lines([
      { family: 'bread', wasteCeilingPercent: 3 },
      { family: '*', targetFillRate: 0.9 },
    ]);
    expect(newsvendor!.quantileRule).toBe('newsvendor');
    expect(served!.quantileRule).toBe('fill rate 0.99');
    expect(served!.plannedUnits).toBeGreaterThan(newsvendor!.plannedUnits);
    expect(lean!.quantileRule).toBe('waste ceiling 3 %');
    expect(lean!.plannedUnits).toBeLessThan(newsvendor!.plannedUnits);
    expect(cookie!.quantileRule).toBe('fill rate 0.9');
    expect(policyFor([{ family: '*' }, { family: 'bread', targetFillRate: 0.9 }], 'bread')).toEqual({
      family: 'bread',
      targetFillRate: 0.9,
    });
  });

  it('refuses a policy with both a fill rate and a waste ceiling, or two policies for one family', () => {
    const base = smallCatalog();
    const both = CatalogSchema.safeParse({
      ...base,
      servicePolicies: [{ family: 'bread', targetFillRate: 0.9, wasteCeilingPercent: 5 }],
    });
    expect(both.success).toBe(false);
    expect(both.error!.issues[0]!.message).toMatch(/not both/);
    const twice = CatalogSchema.safeParse({
      ...base,
      servicePolicies: [{ family: 'bread' }, { family: 'bread', targetFillRate: 0.95 }],
    });
    expect(twice.error!.issues[0]!.message).toMatch(/appears more than once/);
    expect(CatalogSchema.safeParse({ ...base, servicePolicies: [{ family: '*', targetFillRate: 1.5 }] }).success).toBe(
      false,
    );
    expect(
      CatalogSchema.safeParse({ ...base, servicePolicies: [{ family: '*', wasteCeilingPercent: 8 }] }).success,
    ).toBe(true);
  });
});
