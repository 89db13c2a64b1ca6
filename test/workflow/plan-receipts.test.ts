// The stock effects of a plan's life are idempotent: ordered twice, received twice or cancelled twice,
// the stock is as after once; and what other plans or the bakery put there is never touched.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Catalog, ProcurementPlan, StockSnapshot } from '../../lib/domain.ts';
import { stockAfterCancelling, stockAfterOrdering, stockAfterReceipt } from '../../lib/workflow/plan-receipts.ts';

const catalog = {
  ingredients: [
    { ingredientId: 'flour', shelfLifeDays: 180 },
    { ingredientId: 'butter', shelfLifeDays: 40 },
  ],
  suppliers: [
    { supplierId: 'mill', leadTimeDays: 2 },
    { supplierId: 'dairy', leadTimeDays: 1 },
  ],
} as unknown as Catalog;

const planWith = (flour: number, butter: number) =>
  ({
    planId: 'proc-x-2026-12-02-v1',
    requirements: [
      { ingredientId: 'flour', supplierId: 'mill', orderQuantity: flour },
      { ingredientId: 'butter', supplierId: 'dairy', orderQuantity: butter },
    ],
  }) as unknown as ProcurementPlan;

const stock: StockSnapshot = {
  finishedGoods: [],
  ingredients: [{ ingredientId: 'flour', quantity: 3, expiresOn: '2027-01-01' }],
  openOrders: [
    { ingredientId: 'flour', quantity: 25, arrivesOn: '2026-12-03', supplierId: 'mill' },
    { ingredientId: 'salt', quantity: 1, arrivesOn: '2026-12-04', planId: 'proc-x-2026-12-01-v1' },
  ],
};

describe('a plan marked ordered, received or cancelled', () => {
  it('adds its order lines as open orders arriving after each lead time, once however often', () => {
    const once = stockAfterOrdering(stock, planWith(50, 5), catalog, '2026-12-02');
    expect(once.openOrders).toEqual([
      ...stock.openOrders!,
      {
        ingredientId: 'flour',
        quantity: 50,
        arrivesOn: '2026-12-04',
        supplierId: 'mill',
        planId: 'proc-x-2026-12-02-v1',
      },
      {
        ingredientId: 'butter',
        quantity: 5,
        arrivesOn: '2026-12-03',
        supplierId: 'dairy',
        planId: 'proc-x-2026-12-02-v1',
      },
    ]);
    expect(stockAfterOrdering(once, planWith(50, 5), catalog, '2026-12-02')).toEqual(once);
  });

  it("turns its orders into lots once, leaving the bakery's own orders and other plans' alone", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 0, max: 50 }),
        fc.option(fc.integer({ min: 0, max: 60 })),
        (flour, butter, arrived) => {
          const plan = planWith(flour, butter);
          const ordered = stockAfterOrdering(stock, plan, catalog, '2026-12-02');
          const received = stockAfterReceipt(
            ordered,
            plan,
            catalog,
            '2026-12-04',
            arrived === null || flour === 0 ? {} : { flour: arrived },
          );
          expect(stockAfterReceipt(received, plan, catalog, '2026-12-04')).toEqual(received);
          expect(received.openOrders).toEqual(stock.openOrders);
          const flourIn = flour === 0 ? 0 : (arrived ?? flour);
          expect(received.ingredients).toEqual([
            ...stock.ingredients,
            ...(flourIn > 0 && flour > 0
              ? [{ ingredientId: 'flour', quantity: flourIn, expiresOn: '2027-06-02' }]
              : []),
            ...(butter > 0 ? [{ ingredientId: 'butter', quantity: butter, expiresOn: '2027-01-13' }] : []),
          ]);
          const cancelled = stockAfterCancelling(ordered, plan);
          expect(cancelled).toEqual(stock);
          expect(stockAfterCancelling(cancelled, plan)).toEqual(stock);
        },
      ),
    );
  });

  it('refuses received quantities for what the plan did not order', () => {
    expect(() => stockAfterReceipt(stock, planWith(0, 5), catalog, '2026-12-04', { flour: 3 })).toThrow(
      /received: flour is not ordered in proc-x-2026-12-02-v1/,
    );
  });
});
