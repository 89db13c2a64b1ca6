// A day's actuals are checked whole: every impossible value is named, with where it is; carry-over
// becomes day-old stock, and a correction replaces it.
import { describe, expect, it } from 'vitest';
import type { Catalog, StockSnapshot } from '../../lib/domain.ts';
import { actualsIssues, type DailyActual, stockWithCarryOver } from '../../lib/planning/actuals.ts';

const catalog = {
  products: [
    { productId: 'baguette', shelfLifeDays: 1 },
    { productId: 'croissant', shelfLifeDays: 2 },
  ],
} as unknown as Catalog;
const context = {
  catalog,
  today: '2026-11-28',
  openingHours: { opens: '07:00', closes: '19:00' },
  available: new Map([['2026-11-27', new Map([['baguette', 110]])]]),
};
const day = (actual: Partial<DailyActual>): DailyActual => ({
  productId: 'croissant',
  date: '2026-11-27',
  sold: 10,
  leftover: 2,
  carriedOver: 0,
  ...actual,
});

describe("a day's actuals", () => {
  it('pass when they are possible', () => {
    expect(
      actualsIssues(
        [
          day({ productId: 'baguette', sold: 104, leftover: 6 }),
          day({ carriedOver: 2 }),
          day({ date: '2026-11-28', leftover: 0, soldOutAt: '13:00' }),
          day({ date: '2026-11-26', productId: 'baguette', sold: 500, leftover: 0 }), // no schedule that day: not checked
        ],
        context,
      ),
    ).toEqual([]);
  });

  it.each([
    [
      day({ productId: 'croisant' }),
      'productId',
      'product "croisant" is not in the catalog (did you mean "croissant"?)',
    ],
    [day({ date: '2026-11-29' }), 'date', "2026-11-29 is after the bakery's today (2026-11-28)"],
    [day({ carriedOver: 3 }), 'carriedOver', '3 carried over is more than the 2 left over'],
    [
      day({ productId: 'baguette', sold: 100, leftover: 2, carriedOver: 1 }),
      'carriedOver',
      'baguette keeps 1 day: nothing of it can be sold the next day',
    ],
    [day({ soldOutAt: '13:00' }), 'soldOutAt', 'sold out at 13:00, yet 2 left over'],
    [day({ leftover: 0, soldOutAt: '06:30' }), 'soldOutAt', '06:30 is outside the opening hours (07:00–19:00)'],
    [day({ leftover: 0, soldOutAt: '21:00' }), 'soldOutAt', '21:00 is outside the opening hours (07:00–19:00)'],
    [
      day({ productId: 'baguette', sold: 100, leftover: 20 }),
      'leftover',
      '100 sold and 20 left over is more than the 110 there were',
    ],
  ])('refuses %j: %s', (actual, field, message) => {
    const issues = actualsIssues([actual], context);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toEqual(['actuals', '0', field]);
    expect(issues[0]!.message).toContain(message);
  });

  it('refuses a product given twice for one day, and names every problem of the import', () => {
    const issues = actualsIssues(
      [day({}), day({ sold: 11 }), day({ productId: 'nope' }), day({ date: '2027-01-01' })],
      context,
    );
    expect(issues.map((i) => i.path.join('.'))).toEqual([
      'actuals.1.productId',
      'actuals.2.productId',
      'actuals.3.date',
    ]);
  });
});

describe('carry-over', () => {
  const stock: StockSnapshot = {
    finishedGoods: [
      { productId: 'croissant', quantity: 4, producedOn: '2026-11-27' },
      { productId: 'croissant', quantity: 7, producedOn: '2026-11-26' },
    ],
    ingredients: [],
    openOrders: [],
  };

  it("becomes a lot of the day it was baked, replacing that day's lot; 0 removes it; other days stay", () => {
    expect(stockWithCarryOver(stock, [day({ carriedOver: 2 })]).finishedGoods).toEqual([
      { productId: 'croissant', quantity: 7, producedOn: '2026-11-26' },
      { productId: 'croissant', quantity: 2, producedOn: '2026-11-27' },
    ]);
    expect(stockWithCarryOver(stock, [day({ carriedOver: 0 })]).finishedGoods).toEqual([
      { productId: 'croissant', quantity: 7, producedOn: '2026-11-26' },
    ]);
    const twice = stockWithCarryOver(stockWithCarryOver(stock, [day({ carriedOver: 2 })]), [day({ carriedOver: 2 })]);
    expect(twice).toEqual(stockWithCarryOver(stock, [day({ carriedOver: 2 })]));
  });
});
