// Test and benchmark fixtures without the test runner: a small bakery's catalog, steady sales, a tenant.
import type { Catalog, DemandForecast, SalesHistory, StockSnapshot, Tenant } from '../../lib/domain.ts';
import type { LocalStack } from '../../lib/local/local-ports.ts';
import type { PlanQualitySummary } from '../../lib/planning/plan-quality.ts';
import { addDays, type LocalDate } from '../../lib/time/tenant-clock.ts';

/** A small bakery: two products (one through a dough sub-recipe), three ingredients, two suppliers. */
export function smallCatalog(): Catalog {
  return {
    products: [
      {
        productId: 'baguette',
        name: 'Baguette',
        unitPrice: 1,
        unitCost: 0.3,
        salvageValue: 0.1,
        shelfLifeDays: 1,
        recipeId: 'bake-baguette',
      },
      {
        productId: 'cookie',
        name: 'Cookie',
        unitPrice: 1.2,
        unitCost: 0.4,
        salvageValue: 0.2,
        shelfLifeDays: 5,
        recipeId: 'bake-cookie',
      },
    ],
    ingredients: [
      { ingredientId: 'flour', name: 'Flour', unit: 'kg', shelfLifeDays: 180, safetyStockQuantity: 0 },
      { ingredientId: 'salt', name: 'Salt', unit: 'kg', shelfLifeDays: 900, safetyStockQuantity: 0 },
      { ingredientId: 'butter', name: 'Butter', unit: 'kg', shelfLifeDays: 40, safetyStockQuantity: 0 },
    ],
    recipes: [
      {
        recipeId: 'dough',
        name: 'Dough',
        yieldQuantity: 10,
        yieldUnit: 'kg',
        wasteFactor: 0,
        batchMinutes: 20,
        components: [
          { kind: 'ingredient', id: 'flour', quantity: 6 },
          { kind: 'ingredient', id: 'salt', quantity: 0.1 },
        ],
      },
      {
        recipeId: 'bake-baguette',
        name: 'Baguettes',
        yieldQuantity: 40,
        yieldUnit: 'unit',
        wasteFactor: 0,
        batchMinutes: 30,
        equipmentId: 'oven',
        components: [{ kind: 'recipe', id: 'dough', quantity: 10 }],
      },
      {
        recipeId: 'bake-cookie',
        name: 'Cookies',
        yieldQuantity: 50,
        yieldUnit: 'unit',
        wasteFactor: 0,
        batchMinutes: 15,
        equipmentId: 'oven',
        components: [
          { kind: 'ingredient', id: 'flour', quantity: 2 },
          { kind: 'ingredient', id: 'butter', quantity: 1 },
        ],
      },
    ],
    suppliers: [
      {
        supplierId: 'mill',
        name: 'Mill',
        leadTimeDays: 2,
        preferred: true,
        offers: [
          { ingredientId: 'flour', unitPrice: 0.6, minimumOrderQuantity: 25, packSize: 25 },
          { ingredientId: 'salt', unitPrice: 1, minimumOrderQuantity: 1, packSize: 1 },
        ],
      },
      {
        supplierId: 'dairy',
        name: 'Dairy',
        leadTimeDays: 1,
        preferred: true,
        offers: [{ ingredientId: 'butter', unitPrice: 9, minimumOrderQuantity: 5, packSize: 5 }],
      },
    ],
    equipment: [{ equipmentId: 'oven', name: 'Oven', kind: 'oven', availableHoursPerDay: 12 }],
  };
}

/** Eight weeks of sales ending the day before `planDate`: baguettes 80 + 10 × weekday, cookies 20. */
export function steadySales(planDate: LocalDate, closed: readonly LocalDate[] = []): SalesHistory {
  const history: SalesHistory = { unitsByProduct: { baguette: {}, cookie: {} }, closedDates: [...closed] };
  for (let back = 1; back <= 56; back += 1) {
    const date = addDays(planDate, -back);
    if (closed.includes(date)) continue;
    history.unitsByProduct.baguette![date] = 80 + 10 * new Date(`${date}T00:00:00Z`).getUTCDay();
    history.unitsByProduct.cookie![date] = 20;
  }
  return history;
}

export const emptyStock: StockSnapshot = { finishedGoods: [], ingredients: [] };

/** A forecast of `units` for 2026-11-28 from sales up to the day before, its spread the given errors (none: exact). */
export function forecastOf(
  productId: string,
  units: number,
  errors: DemandForecast['errors'] = { kind: 'absolute', sorted: [] },
): DemandForecast {
  return {
    productId,
    forecastDate: '2026-11-28',
    pointForecast: units,
    quantiles: { p10: units, p50: units, p90: units },
    method: 'test',
    accuracy: { wape: null, observations: 0 },
    historyEnd: '2026-11-27',
    errors,
  };
}

export function tenant(tenantId: string, timezone: string, demo = false): Tenant {
  return {
    tenantId,
    name: tenantId,
    timezone,
    demo,
    currency: 'EUR',
    locale: 'es-ES',
    createdAt: '2026-01-01T00:00:00Z',
  };
}

/** Seeds a tenant with the small catalog, steady sales and no stock. */
export async function seedBakery(
  stack: LocalStack,
  t: Tenant,
  planDate: LocalDate,
  catalog: Catalog = smallCatalog(),
): Promise<void> {
  await stack.ports.tenants.putTenant(t);
  await stack.ports.catalog.putCatalog(t.tenantId, catalog);
  await stack.ports.sales.putSales(t.tenantId, steadySales(planDate));
  await stack.ports.stock.putStock(t.tenantId, emptyStock);
}

/** A kept day's plan-quality summary with plain figures: its date, plan and forecast error as given. */
export function qualitySummary(date: string, planId: string, wape: number): PlanQualitySummary {
  return {
    date,
    planId,
    basis: 'actuals',
    products: 2,
    missing: 0,
    wape,
    bias: 0,
    wasteUnits: 1,
    wasteCost: 0.3,
    fillRate: 1,
    lostSales: 0,
    soldOut: 0,
    profit: { realized: 10, lastWeek: 9, perfect: 11 },
    score: 0.9,
  };
}
