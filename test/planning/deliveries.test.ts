// Suppliers deliver on their days: an order arrives its lead time later on the next delivery day, and
// the latest order date is the last day whose delivery is still in time — checked against a brute-force
// scan of the calendar, and in the procurement plan itself (no delivery on a day the supplier does not come).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Catalog, WEEKDAY_NAMES, type WeekdayName } from '../../lib/domain.ts';
import { deliveryDate, latestOrderDate } from '../../lib/planning/deliveries.ts';
import { planProcurement } from '../../lib/planning/procurement.ts';
import { addDays, weekdayOf } from '../../lib/time/tenant-clock.ts';
import { smallCatalog } from '../support/bakery-fixtures.ts';

const day = fc.integer({ min: 0, max: 800 }).map((n) => addDays('2026-01-01', n));
const supplier = fc.record({
  leadTimeDays: fc.integer({ min: 0, max: 6 }),
  deliveryDays: fc.option(fc.uniqueArray(fc.constantFrom(...WEEKDAY_NAMES), { minLength: 1, maxLength: 7 }), {
    nil: undefined,
  }),
});
const comes = (days: WeekdayName[] | undefined, date: string) =>
  !days || days.includes(WEEKDAY_NAMES[weekdayOf(date) - 1]!);

describe('delivery days', () => {
  it('an order arrives on the first delivery day at or after its lead time', () => {
    fc.assert(
      fc.property(supplier, day, (s, orderedOn) => {
        const arrives = deliveryDate(s, orderedOn);
        const earliest = addDays(orderedOn, s.leadTimeDays);
        expect(arrives >= earliest).toBe(true);
        expect(comes(s.deliveryDays, arrives)).toBe(true);
        for (let d = earliest; d < arrives; d = addDays(d, 1)) expect(comes(s.deliveryDays, d)).toBe(false);
      }),
    );
  });

  it('the latest order date is the last day from which a delivery is still in time', () => {
    fc.assert(
      fc.property(supplier, day, fc.integer({ min: 0, max: 20 }), (s, from, ahead) => {
        const need = addDays(from, ahead);
        let expected: string | null = null;
        for (let d = from; d <= need; d = addDays(d, 1)) if (deliveryDate(s, d) <= need) expected = d;
        expect(latestOrderDate(s, from, need)).toBe(expected);
      }),
    );
  });

  it('a plan never counts on a delivery on a day the supplier does not come, and orders before the cut-off', () => {
    const base = smallCatalog();
    const catalog: Catalog = {
      ...base,
      suppliers: base.suppliers.map((s) => ({ ...s, deliveryDays: ['tue', 'fri'], orderCutoff: '14:00' })),
    };
    for (let start = 0; start < 7; start += 1) {
      const planDate = addDays('2026-11-28', start);
      const plan = planProcurement({
        tenantId: 't1',
        planDate,
        version: 1,
        horizonDays: 7,
        catalog,
        production: Array.from({ length: 7 }, (_, i) => ({
          date: addDays(planDate, i),
          units: new Map([
            ['baguette', 300],
            ['cookie', 80],
          ]),
        })),
        ingredientStock: [],
        openOrders: [],
        generatedAt: `${planDate}T05:00:00Z`,
        currency: 'EUR',
      });
      expect(plan.requirements.length).toBeGreaterThan(0);
      for (const line of plan.requirements) {
        const s = catalog.suppliers.find((x) => x.supplierId === line.supplierId)!;
        const arrives = deliveryDate(s, line.orderDate);
        expect(['tue', 'fri']).toContain(WEEKDAY_NAMES[weekdayOf(arrives) - 1]);
        if (line.priority !== 'critical') {
          expect(arrives <= line.needDate).toBe(true);
          expect(line.priorityReason).toMatch(/before 14:00/);
        }
      }
    }
  });
});
