import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Catalog, IngredientLot, OpenPurchaseOrder } from '../../lib/domain.ts';
import {
  chooseSupplier,
  type DailyProduction,
  grossRequirements,
  normalQuantile,
  planProcurement,
  priorityOf,
  roundToOffer,
  safetyStockFor,
  unitPriceFor,
} from '../../lib/planning/procurement.ts';
import { addDays } from '../../lib/time/tenant-clock.ts';
import { SENTENCES } from '../../lib/words/sentences.ts';
import { smallCatalog } from '../support/bakery-fixtures.ts';

const PLAN_DATE = '2026-11-28';
const daily = (baguettes: number, cookies = 0, days = 7): DailyProduction[] =>
  Array.from({ length: days }, (_, i) => ({
    date: addDays(PLAN_DATE, i),
    units: new Map([
      ['baguette', baguettes],
      ['cookie', cookies],
    ]),
  }));

const plan = (
  catalog: Catalog,
  production: DailyProduction[],
  stock: IngredientLot[] = [],
  openOrders: OpenPurchaseOrder[] = [],
) =>
  planProcurement({
    tenantId: 't1',
    planDate: PLAN_DATE,
    version: 1,
    horizonDays: 7,
    catalog,
    production,
    ingredientStock: stock,
    openOrders,
    generatedAt: '2026-11-28T05:00:00Z',
    currency: 'EUR',
  });

describe('gross requirements', () => {
  it('explodes each day of production into ingredients per day', () => {
    const gross = grossRequirements(smallCatalog(), daily(40, 50, 2));
    expect(Object.fromEntries(gross.get('flour')!)).toEqual({ '2026-11-28': 8, '2026-11-29': 8 });
    expect(Object.fromEntries(gross.get('butter')!)).toEqual({ '2026-11-28': 1, '2026-11-29': 1 });
  });
});

describe('net requirements', () => {
  it('nets needs against usable stock and orders the shortfall from the preferred supplier in time', () => {
    // 40 baguettes a day use 6 kg flour; 7 days = 42 kg; 20 kg in stock → first short on day 4 (11-01).
    const result = plan(smallCatalog(), daily(40), [{ ingredientId: 'flour', quantity: 20, expiresOn: '2027-01-01' }]);
    const flour = result.requirements.find((r) => r.ingredientId === 'flour')!;
    expect(flour).toMatchObject({
      supplierId: 'mill',
      grossQuantity: 42,
      availableStock: 20,
      netQuantity: 22,
      orderQuantity: 25,
      needDate: '2026-12-01',
      orderDate: '2026-11-29',
      daysOfCover: 3,
      priority: 'medium',
      priorityReason: 'order by 2026-11-29 (in 1 day)',
      estimatedCost: 15,
    });
    expect(flour.adjustments).toEqual([
      {
        reason: 'raised to the minimum order of 25 kg',
        message: { text: SENTENCES.minimumOrder, values: { quantity: 25, unit: 'kg' } },
        before: 22,
        after: 25,
      },
    ]);
  });

  it('never counts expired stock', () => {
    const result = plan(smallCatalog(), daily(40), [{ ingredientId: 'flour', quantity: 100, expiresOn: '2026-11-28' }]);
    const flour = result.requirements.find((r) => r.ingredientId === 'flour')!;
    expect(flour.availableStock).toBe(0);
    expect(flour.netQuantity).toBe(42);
  });

  it('uses a lot only until it expires', () => {
    // 30 kg expiring 11-30 covers days 0 and 1 (12 kg); the rest goes to waste, so day 2 onwards is short.
    const result = plan(smallCatalog(), daily(40), [{ ingredientId: 'flour', quantity: 30, expiresOn: '2026-11-30' }]);
    const flour = result.requirements.find((r) => r.ingredientId === 'flour')!;
    expect(flour.needDate).toBe('2026-11-30');
    expect(flour.netQuantity).toBe(30);
  });

  it('tops up to safety stock and says so', () => {
    const catalog = smallCatalog();
    catalog.ingredients[2]!.safetyStockQuantity = 4;
    const result = plan(catalog, daily(0, 50), [{ ingredientId: 'butter', quantity: 10, expiresOn: '2027-01-01' }]);
    const butter = result.requirements.find((r) => r.ingredientId === 'butter')!;
    // 7 kg used, 3 kg left, safety 4 kg → 1 kg, raised to the minimum order of 5 kg.
    expect(butter.netQuantity).toBe(1);
    expect(butter.orderQuantity).toBe(5);
    expect(butter.adjustments.map((a) => a.reason)).toEqual([
      'topped up to the safety stock of 4 kg',
      'raised to the minimum order of 5 kg',
    ]);
  });

  it('flags as critical a need that the lead time can no longer meet', () => {
    const result = plan(smallCatalog(), daily(40));
    const flour = result.requirements.find((r) => r.ingredientId === 'flour')!;
    expect(flour.needDate).toBe(PLAN_DATE);
    expect(flour.orderDate).toBe(PLAN_DATE);
    expect(flour.priority).toBe('critical');
    expect(flour.priorityReason).toBe(
      'runs out on 2026-11-28, before the earliest delivery (2026-11-30): buy locally or change the bake',
    );
    expect(result.requirements[0]?.priority).toBe('critical');
  });

  it('ranks the rest by when the order must go out, and says why', () => {
    const base = { planDate: '2026-11-28', needDate: '2026-12-02', earliestDelivery: '2026-11-30', supplierId: 's' };
    expect(priorityOf({ ...base, orderDate: '2026-11-28', runsOutOn: '2026-12-02' })).toEqual({
      priority: 'high',
      reason: 'order today to have it by 2026-12-02',
      message: { text: 'order today to have it by {needDate}', values: { needDate: '2026-12-02' } },
    });
    expect(priorityOf({ ...base, orderDate: '2026-11-28', runsOutOn: '2026-12-02', cutoff: '14:00' })).toMatchObject({
      reason: 'order today before 14:00 to have it by 2026-12-02',
      message: { text: SENTENCES.orderTodayBefore, values: { needDate: '2026-12-02', cutoff: '14:00' } },
    });
    expect(priorityOf({ ...base, orderDate: '2026-11-30', runsOutOn: '2026-12-04' })).toEqual({
      priority: 'medium',
      reason: 'order by 2026-11-30 (in 2 days)',
      message: { text: 'order by {orderDate} (in {days} days)', values: { orderDate: '2026-11-30', days: 2 } },
    });
    expect(priorityOf({ ...base, orderDate: '2026-11-29', runsOutOn: '2026-12-04' }).reason).toBe(
      'order by 2026-11-29 (in 1 day)',
    );
    expect(priorityOf({ ...base, orderDate: '2026-12-01', runsOutOn: null })).toEqual({
      priority: 'low',
      reason: 'order by 2026-12-01',
      message: { text: 'order by {orderDate}', values: { orderDate: '2026-12-01' } },
    });
    expect(priorityOf({ ...base, orderDate: '2026-11-28', runsOutOn: '2026-11-29' }).priority).toBe('critical');
    expect(
      priorityOf({ ...base, orderDate: '2026-11-28', runsOutOn: null, supplierId: null, earliestDelivery: null }),
    ).toEqual({
      priority: 'critical',
      reason: 'no supplier in the catalog offers it',
      message: { text: 'no supplier in the catalog offers it' },
    });
  });

  it('orders nothing when stock covers the horizon', () => {
    const result = plan(smallCatalog(), daily(40), [
      { ingredientId: 'flour', quantity: 100, expiresOn: '2027-01-01' },
      { ingredientId: 'salt', quantity: 5, expiresOn: '2027-01-01' },
    ]);
    expect(result.requirements).toEqual([]);
    expect(result.totalCost).toBe(0);
  });
});

describe('open orders, order-up-to levels, storage limits and computed safety stock', () => {
  it('counts an open order from its arrival day', () => {
    // 42 kg needed over 7 days; 20 kg in stock and 25 kg arriving on 11-30 make 45 kg: nothing to order.
    const covered = plan(
      smallCatalog(),
      daily(40),
      [{ ingredientId: 'flour', quantity: 20, expiresOn: '2027-01-01' }],
      [{ ingredientId: 'flour', quantity: 25, arrivesOn: '2026-11-30' }],
    );
    expect(covered.requirements.find((r) => r.ingredientId === 'flour')).toBeUndefined();
    // Arriving on 12-03 is too late: 20 kg last until 11-30 (2 kg left), so 12-01 and 12-02 are short by 4 + 6 kg.
    const late = plan(
      smallCatalog(),
      daily(40),
      [{ ingredientId: 'flour', quantity: 20, expiresOn: '2027-01-01' }],
      [{ ingredientId: 'flour', quantity: 25, arrivesOn: '2026-12-03' }],
    );
    const flour = late.requirements.find((r) => r.ingredientId === 'flour')!;
    expect(flour).toMatchObject({ needDate: '2026-12-01', onOrder: 25, netQuantity: 10 });
  });

  it('orders up to the level once the reorder point is crossed', () => {
    const catalog = smallCatalog();
    Object.assign(catalog.ingredients[0]!, { reorderPoint: 30, orderUpToLevel: 100 });
    const result = plan(catalog, daily(40), [{ ingredientId: 'flour', quantity: 50, expiresOn: '2027-01-01' }]);
    const flour = result.requirements.find((r) => r.ingredientId === 'flour')!;
    // 50 − 42 = 8 kg left at the end: 92 kg to reach 100; 50 → 44 → 38 → 32 → 26: below 30 on 12-01.
    expect(flour).toMatchObject({ needDate: '2026-12-01', netQuantity: 92, orderQuantity: 100 });
    expect(flour.adjustments[0]?.reason).toBe(
      'topped up to the order-up-to level of 100 kg (reorder point 30 crossed)',
    );
  });

  it('caps an order at the storage limit and says why', () => {
    const catalog = smallCatalog();
    Object.assign(catalog.ingredients[0]!, { maxStorageQuantity: 60 });
    const result = plan(catalog, daily(400));
    const flour = result.requirements.find((r) => r.ingredientId === 'flour')!;
    expect(flour.netQuantity).toBe(420);
    expect(flour.orderQuantity).toBe(50); // whole 25 kg packs within 60 kg of storage
    expect(flour.adjustments.at(-1)).toEqual({
      reason: 'capped to the storage limit of 60 kg',
      message: { text: SENTENCES.storageLimit, values: { limit: 60, unit: 'kg' } },
      before: 425,
      after: 50,
    });
  });

  it('computes safety stock from the variability of use, the lead time and the service level', () => {
    const ingredient = { ingredientId: 'x', name: 'x', unit: 'kg' as const, shelfLifeDays: 10, serviceLevel: 0.95 };
    // Daily use 10, 20, 10, 20: sd = 5.7735; z(0.95) = 1.6449; lead 4 days → × 2.
    expect(safetyStockFor(ingredient, [10, 20, 10, 20], 4)).toBeCloseTo(1.6449 * 5.7735 * 2, 2);
    expect(safetyStockFor({ ...ingredient, safetyStockQuantity: 7 }, [10, 20], 4)).toBe(7);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 5);
  });
});

describe('supplier choice and rounding', () => {
  it('prices an order by the highest tier it reaches', () => {
    const offer = {
      ingredientId: 'flour',
      unitPrice: 1,
      minimumOrderQuantity: 1,
      packSize: 1,
      priceTiers: [
        { minQuantity: 100, unitPrice: 0.8 },
        { minQuantity: 500, unitPrice: 0.7 },
      ],
    };
    expect([unitPriceFor(offer, 99), unitPriceFor(offer, 100), unitPriceFor(offer, 800)]).toEqual([1, 0.8, 0.7]);
  });

  const suppliers = [
    {
      supplierId: 'cheap-slow',
      name: '',
      leadTimeDays: 5,
      preferred: false,
      offers: [{ ingredientId: 'flour', unitPrice: 0.5, minimumOrderQuantity: 1, packSize: 1 }],
    },
    {
      supplierId: 'pricey-fast',
      name: '',
      leadTimeDays: 1,
      preferred: false,
      offers: [{ ingredientId: 'flour', unitPrice: 0.9, minimumOrderQuantity: 1, packSize: 1 }],
    },
    {
      supplierId: 'preferred',
      name: '',
      leadTimeDays: 3,
      preferred: true,
      offers: [{ ingredientId: 'flour', unitPrice: 0.8, minimumOrderQuantity: 1, packSize: 1 }],
    },
  ];

  it.each([
    ['2026-12-05', 'preferred', true],
    ['2026-11-30', 'pricey-fast', true],
    ['2026-11-28', 'pricey-fast', false],
  ])('for a need on %s picks %s', (needDate, supplierId, inTime) => {
    expect(chooseSupplier(suppliers, 'flour', PLAN_DATE, needDate)).toMatchObject({ supplier: { supplierId }, inTime });
  });

  it('picks the cheapest in time when the preferred one is too slow', () => {
    const noPreferred = suppliers.map((s) => ({ ...s, preferred: false }));
    expect(chooseSupplier(noPreferred, 'flour', PLAN_DATE, '2026-12-05')?.supplier.supplierId).toBe('cheap-slow');
  });

  it('rounds up to whole packs and says how many', () => {
    expect(roundToOffer(22, { ingredientId: 'x', unitPrice: 1, minimumOrderQuantity: 1, packSize: 25 }, 'kg')).toEqual({
      quantity: 25,
      adjustments: [
        {
          reason: 'rounded up to whole packs of 25 kg (1 pack)',
          message: { text: SENTENCES.onePack, values: { size: 25, unit: 'kg', packs: 1 } },
          before: 22,
          after: 25,
        },
      ],
    });
  });

  it('always orders at least the minimum and in whole packs', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 1000, noNaN: true }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 50 }),
        (net, moq, pack) => {
          const { quantity } = roundToOffer(
            net,
            { ingredientId: 'x', unitPrice: 1, minimumOrderQuantity: moq, packSize: pack },
            'kg',
          );
          expect(quantity).toBeGreaterThanOrEqual(Math.max(moq, net) - 1e-6);
          expect(Math.abs(quantity / pack - Math.round(quantity / pack))).toBeLessThan(1e-6);
          expect(quantity - Math.max(moq, net)).toBeLessThan(pack + 1e-6);
        },
      ),
    );
  });

  it('rounds a need just above a whole number of packs up to the next pack', () => {
    const offer = { ingredientId: 'flour', unitPrice: 1, minimumOrderQuantity: 0, packSize: 25 };
    expect(roundToOffer(375.01, offer, 'kg').quantity).toBe(400);
    expect(roundToOffer(375, offer, 'kg').quantity).toBe(375);
    expect(roundToOffer(0.30000000000000004, { ...offer, packSize: 0.1 }, 'kg').quantity).toBe(0.3);
  });

  it('never orders negative quantities and covers every shortfall', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 0, max: 300 }),
        (bread, cookies, flourStock) => {
          const result = plan(smallCatalog(), daily(bread, cookies), [
            { ingredientId: 'flour', quantity: flourStock, expiresOn: '2027-01-01' },
          ]);
          for (const r of result.requirements) {
            expect(r.orderQuantity).toBeGreaterThanOrEqual(r.netQuantity);
            expect(r.netQuantity).toBeGreaterThan(0);
          }
          const flour = result.requirements.find((r) => r.ingredientId === 'flour');
          const need = 7 * (bread * 0.15 + cookies * 0.04);
          expect((flour?.orderQuantity ?? 0) + flourStock).toBeGreaterThanOrEqual(need - 1e-6);
        },
      ),
    );
  });
});
