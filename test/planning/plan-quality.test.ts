// Plan quality: the worked example of docs/planning.md reproduced figure by figure, and properties
// that hold for any day: sold never exceeds demand, the plan never beats perfect foresight.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Catalog, ProductionSchedule } from '../../lib/domain.ts';
import { estimatedDemand, planQuality } from '../../lib/planning/plan-quality.ts';

const HOURS = { opens: '07:00', closes: '19:00' };

const catalog = {
  products: [
    { productId: 'baguette', unitPrice: 1.2, unitCost: 0.4, salvageValue: 0.05, shelfLifeDays: 1 },
    { productId: 'croissant', unitPrice: 1.5, unitCost: 0.5, salvageValue: 0, shelfLifeDays: 2 },
  ],
} as unknown as Catalog;

function schedule(lines: { productId: string; forecast: number; fresh: number; baked: number }[]): ProductionSchedule {
  return {
    planDate: '2026-11-27',
    lines: lines.map((l) => ({ productId: l.productId, forecastUnits: l.forecast, freshStockUnits: l.fresh })),
    // Two batches a product, as a schedule splits them.
    batches: lines.flatMap((l) => [
      { productId: l.productId, quantity: Math.ceil(l.baked / 2) },
      { productId: l.productId, quantity: Math.floor(l.baked / 2) },
    ]),
  } as unknown as ProductionSchedule;
}

describe("a day's plan quality", () => {
  it('reproduces the worked example of docs/planning.md', () => {
    const quality = planQuality(
      schedule([
        { productId: 'baguette', forecast: 100, fresh: 0, baked: 110 },
        { productId: 'croissant', forecast: 60, fresh: 5, baked: 50 },
      ]),
      [
        { productId: 'baguette', date: '2026-11-27', sold: 104, leftover: 6, carriedOver: 0 },
        { productId: 'croissant', date: '2026-11-27', sold: 55, leftover: 0, carriedOver: 0, soldOutAt: '13:00' },
      ],
      catalog,
      HOURS,
      new Map([
        ['baguette', 90],
        ['croissant', 70],
      ]),
    );
    expect(quality.byProduct.map((p) => [p.productId, p.demand, p.waste, p.profit])).toEqual([
      ['baguette', 104, 6, { realized: 81.1, lastWeek: 72, perfect: 83.2 }],
      ['croissant', 110, 0, { realized: 57.5, lastWeek: 72.5, perfect: 112.5 }],
    ]);
    expect(quality).toMatchObject({
      products: 2,
      missing: 0,
      wape: 0.252,
      bias: -0.252,
      wasteUnits: 6,
      wasteCost: 2.1,
      fillRate: 0.743,
      lostSales: 55,
      soldOut: 1,
      profit: { realized: 138.6, lastWeek: 144.5, perfect: 195.7 },
      score: 0.708,
    });
  });

  it('estimates a sold-out day from when it sold out, at most three times its sales', () => {
    const day = { productId: 'x', date: '2026-11-27', leftover: 0, carriedOver: 0 };
    expect(estimatedDemand({ ...day, sold: 55, soldOutAt: '13:00' }, HOURS)).toBe(110);
    expect(estimatedDemand({ ...day, sold: 55, soldOutAt: '19:00' }, HOURS)).toBe(55);
    expect(estimatedDemand({ ...day, sold: 10, soldOutAt: '07:05' }, HOURS)).toBe(30);
    expect(estimatedDemand({ ...day, sold: 55 }, HOURS)).toBe(55);
  });

  it('never sells more than demand, and never beats perfect foresight', () => {
    const day = fc.record({
      forecast: fc.integer({ min: 0, max: 300 }),
      fresh: fc.integer({ min: 0, max: 40 }),
      baked: fc.integer({ min: 0, max: 300 }),
      soldShare: fc.double({ min: 0, max: 1, noNaN: true }),
      carriedShare: fc.double({ min: 0, max: 1, noNaN: true }),
      soldOut: fc.option(fc.integer({ min: 7 * 60, max: 19 * 60 })),
      lastWeek: fc.integer({ min: 0, max: 300 }),
      product: fc.constantFrom('baguette', 'croissant'),
    });
    fc.assert(
      fc.property(day, (d) => {
        const available = d.baked + d.fresh;
        const sold = d.soldOut === null ? Math.floor(available * d.soldShare) : available;
        const leftover = available - sold;
        const carriedOver = d.product === 'croissant' ? Math.floor(leftover * d.carriedShare) : 0;
        const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
        const q = planQuality(
          schedule([{ productId: d.product, forecast: d.forecast, fresh: d.fresh, baked: d.baked }]),
          [
            {
              productId: d.product,
              date: '2026-11-27',
              sold,
              leftover,
              carriedOver,
              ...(d.soldOut === null ? {} : { soldOutAt: hhmm(d.soldOut) }),
            },
          ],
          catalog,
          HOURS,
          new Map([[d.product, d.lastWeek]]),
        );
        const p = q.byProduct[0]!;
        expect(p.demand).toBeGreaterThanOrEqual(p.sold);
        if (q.fillRate !== null) expect(q.fillRate).toBeLessThanOrEqual(1);
        expect(p.profit.realized).toBeLessThanOrEqual(p.profit.perfect + 1e-9);
        expect(p.profit.lastWeek!).toBeLessThanOrEqual(p.profit.perfect + 1e-9);
        if (q.score !== null) expect(q.score).toBeLessThanOrEqual(1);
      }),
      { numRuns: 500 },
    );
  });
});
