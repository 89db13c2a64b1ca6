// The synthetic tenant of `bench:engine`: 150 products (fast, medium and slow movers), 60 ingredients,
// 3-level recipes, 730 days of history with a weekly and a yearly cycle, 4 ovens, 8 suppliers.
import type { Catalog, Recipe, SalesHistory, StockSnapshot } from '../lib/domain.ts';
import { addDays, weekdayOf } from '../lib/time/tenant-clock.ts';
import { seededRandom } from '../test/support/seeded-random.ts';

export const PRODUCTS = 150;
export const INGREDIENTS = 60;
export const HISTORY_DAYS = 730;
export const PLAN_DATE = '2026-11-28';

export function syntheticTenant(
  seed = 42,
  planDate: string = PLAN_DATE,
  productCount = PRODUCTS,
  historyDays = HISTORY_DAYS,
): { catalog: Catalog; history: SalesHistory; stock: StockSnapshot } {
  const next = seededRandom(seed);
  const ingredients = Array.from({ length: INGREDIENTS }, (_, i) => ({
    ingredientId: `ing-${i}`,
    name: `Ingredient ${i}`,
    unit: 'kg' as const,
    shelfLifeDays: 5 + Math.floor(next() * 200),
    safetyStockQuantity: Math.round(next() * 10),
  }));
  // Level 3: 10 bases (levain, creams) from ingredients; level 2: 30 doughs from bases and ingredients; level 1: products.
  const recipes: Recipe[] = [];
  const pick = (n: number, prefix: string, count: number) =>
    Array.from({ length: count }, () => `${prefix}-${Math.floor(next() * n)}`);
  for (let i = 0; i < 10; i += 1) {
    recipes.push({
      recipeId: `base-${i}`,
      name: `Base ${i}`,
      yieldQuantity: 5,
      yieldUnit: 'kg',
      wasteFactor: 0.02,
      batchMinutes: 20,
      components: [...new Set(pick(INGREDIENTS, 'ing', 3))].map((id) => ({
        kind: 'ingredient' as const,
        id,
        quantity: 1 + next() * 2,
      })),
    });
  }
  for (let i = 0; i < 30; i += 1) {
    recipes.push({
      recipeId: `dough-${i}`,
      name: `Dough ${i}`,
      yieldQuantity: 10,
      yieldUnit: 'kg',
      wasteFactor: 0.03,
      batchMinutes: 25,
      components: [
        { kind: 'recipe', id: `base-${i % 10}`, quantity: 1 + next() * 2 },
        ...[...new Set(pick(INGREDIENTS, 'ing', 4))].map((id) => ({
          kind: 'ingredient' as const,
          id,
          quantity: 0.5 + next() * 4,
        })),
      ],
    });
  }
  const products = Array.from({ length: productCount }, (_, i) => {
    const price = 0.8 + next() * 4;
    recipes.push({
      recipeId: `bake-${i}`,
      name: `Product ${i}`,
      yieldQuantity: 20 + Math.floor(next() * 40),
      yieldUnit: 'unit',
      wasteFactor: 0.03,
      batchMinutes: 15 + Math.floor(next() * 30),
      equipmentId: `oven-${i % 4}`,
      components: [
        { kind: 'recipe', id: `dough-${i % 30}`, quantity: 3 + next() * 8 },
        { kind: 'ingredient', id: `ing-${Math.floor(next() * INGREDIENTS)}`, quantity: 0.2 },
      ],
    });
    return {
      productId: `p-${i}`,
      name: `Product ${i}`,
      unitPrice: price,
      unitCost: price * 0.3,
      salvageValue: 0,
      shelfLifeDays: 1 + Math.floor(next() * 3),
      recipeId: `bake-${i}`,
    };
  });
  const suppliers = Array.from({ length: 8 }, (_, s) => ({
    supplierId: `sup-${s}`,
    name: `Supplier ${s}`,
    leadTimeDays: 1 + (s % 5),
    preferred: s % 3 === 0,
    offers: ingredients
      .filter((_, i) => i % 8 === s || i % 5 === s)
      .map((ing) => ({
        ingredientId: ing.ingredientId,
        unitPrice: 0.5 + next() * 10,
        minimumOrderQuantity: 5 * Math.ceil(next() * 5),
        packSize: [1, 5, 10, 25][Math.floor(next() * 4)]!,
      })),
  }));
  const equipment = Array.from({ length: 4 }, (_, e) => ({
    equipmentId: `oven-${e}`,
    name: `Oven ${e}`,
    kind: 'oven' as const,
    availableHoursPerDay: 16,
  }));
  const weekly = [0, 0.9, 0.8, 0.85, 0.95, 1.1, 1.5, 1.3];
  const history: SalesHistory = { unitsByProduct: {}, closedDates: [] };
  for (let d = 1; d <= historyDays; d += 1) {
    const date = addDays(planDate, -d);
    if (weekdayOf(date) === 3 && next() < 0.1) history.closedDates.push(date);
  }
  const closed = new Set(history.closedDates);
  for (const [i, p] of products.entries()) {
    const base = i < 20 ? 50 + next() * 150 : i < 100 ? 5 + next() * 30 : next() * 3; // fast, medium and slow movers
    const byDate: Record<string, number> = {};
    for (let d = 1; d <= historyDays; d += 1) {
      const date = addDays(planDate, -d);
      if (closed.has(date)) continue;
      const season = 1 + 0.3 * Math.sin((2 * Math.PI * d) / 365);
      byDate[date] = Math.max(0, Math.round(base * season * weekly[weekdayOf(date)]! * (0.7 + 0.6 * next())));
    }
    history.unitsByProduct[p.productId] = byDate;
  }
  const stock: StockSnapshot = {
    finishedGoods: products
      .slice(0, 30)
      .map((p) => ({ productId: p.productId, quantity: 3, producedOn: addDays(planDate, -1) })),
    ingredients: ingredients.map((ing) => ({
      ingredientId: ing.ingredientId,
      quantity: Math.round(next() * 100),
      expiresOn: addDays(planDate, 3 + Math.floor(next() * 40)),
    })),
  };
  return { catalog: { products, ingredients, recipes, suppliers, equipment }, history, stock };
}
