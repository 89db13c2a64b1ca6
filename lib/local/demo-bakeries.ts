// Demo bakeries for the local run, built from the project's data files: the catalog in
// data/demo/catalog.json and real daily sales of a French bakery (data/demo/french-bakery-units.json),
// re-dated so that each bakery's history ends the day before its plan date, on the same weekdays,
// scaled and drawn from a different stretch of the year per bakery.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Catalog, IngredientLot, Product, SalesHistory, StockSnapshot, Tenant } from '../domain.ts';
import { entryOf, userKeyedRecord } from '../input/grammar.ts';
import { explodeRecipe } from '../planning/recipes.ts';
import { addDays, daysBetween, type LocalDate, weekdayOf } from '../time/tenant-clock.ts';

const DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'data', 'demo');

/** The compact copy of the French bakery sales: one entry per calendar day from firstDate, null on closures. */
export interface SalesFile {
  firstDate: LocalDate;
  lastDate: LocalDate;
  closedDates: LocalDate[];
  products: { name: string; unitPriceEur: number; units: (number | null)[] }[];
}

export interface DemoTenantDefinition {
  tenantId: string;
  name: string;
  timezone: string;
  scale: number;
  offsetWeeks: number;
  currency: string;
  locale: string;
  /** Units of `currency` per euro: the demo catalog's prices are in euros. */
  eurRate: number;
  demo?: boolean;
  products: string[];
}

type CatalogFile = Omit<Catalog, 'products'> & { products: (Product & { salesName: string })[] };

export interface DemoBakery {
  tenant: Tenant;
  catalog: Catalog;
  sales: SalesHistory;
  stock: StockSnapshot;
  /**
   * What customers wanted on the plan date, per product: the real sales of the source day after the
   * history (or of the same weekday a week before, when the data ends first). The evening of the run
   * sells from it.
   */
  demand: Record<string, number>;
}

function readJson<T>(name: string): T {
  return JSON.parse(readFileSync(join(DATA_DIR, name), 'utf8')) as T;
}

export function demoSalesFile(): SalesFile {
  return readJson('french-bakery-units.json');
}

export function demoTenantDefinitions(): { historyDays: number; tenants: DemoTenantDefinition[] } {
  return readJson('tenants.json');
}

/** The part of the catalog one bakery uses: its products and everything their recipes need. */
function catalogFor(full: CatalogFile, productIds: readonly string[]): Catalog {
  const products = full.products
    .filter((p) => productIds.includes(p.productId))
    .map(({ salesName: _salesName, ...p }) => p);
  const recipesById = new Map(full.recipes.map((r) => [r.recipeId, r]));
  const usedRecipes = new Set<string>();
  const visit = (recipeId: string) => {
    if (usedRecipes.has(recipeId)) return;
    usedRecipes.add(recipeId);
    for (const c of recipesById.get(recipeId)?.components ?? []) if (c.kind === 'recipe') visit(c.id);
  };
  for (const p of products) visit(p.recipeId);
  const recipes = full.recipes.filter((r) => usedRecipes.has(r.recipeId));
  const usedIngredients = new Set(
    recipes.flatMap((r) => r.components.filter((c) => c.kind === 'ingredient').map((c) => c.id)),
  );
  const ingredients = full.ingredients.filter((i) => usedIngredients.has(i.ingredientId));
  const suppliers = full.suppliers
    .map((s) => ({ ...s, offers: s.offers.filter((o) => usedIngredients.has(o.ingredientId)) }))
    .filter((s) => s.offers.length > 0);
  const usedEquipment = new Set(recipes.map((r) => r.equipmentId).filter(Boolean));
  return {
    products,
    ingredients,
    recipes,
    suppliers,
    equipment: full.equipment.filter((e) => usedEquipment.has(e.equipmentId)),
  };
}

/** The latest data date on `weekday`, moved back by whole weeks. */
function alignedSourceEnd(sales: SalesFile, historyEnd: LocalDate, offsetWeeks: number): LocalDate {
  let end = sales.lastDate;
  while (weekdayOf(end) !== weekdayOf(historyEnd)) end = addDays(end, -1);
  return addDays(end, -7 * offsetWeeks);
}

/** The real sales of the source day that stands for `planDate` (see DemoBakery.demand). */
function demandFor(file: SalesFile, full: CatalogFile, def: DemoTenantDefinition, planDate: LocalDate) {
  const next = addDays(alignedSourceEnd(file, addDays(planDate, -1), def.offsetWeeks), 1);
  const source = next > file.lastDate ? addDays(next, -7) : next;
  const index = daysBetween(file.firstDate, source);
  const demand = userKeyedRecord<number>();
  for (const productId of def.products) {
    const salesName = full.products.find((p) => p.productId === productId)?.salesName;
    const units = file.products.find((p) => p.name === salesName)?.units[index];
    if (units !== undefined && units !== null) demand[productId] = Math.round(units * def.scale);
  }
  return demand;
}

function salesFor(
  file: SalesFile,
  full: CatalogFile,
  def: DemoTenantDefinition,
  historyEnd: LocalDate,
  historyDays: number,
): SalesHistory {
  const sourceEnd = alignedSourceEnd(file, historyEnd, def.offsetWeeks);
  const closedSource = new Set(file.closedDates);
  const history: SalesHistory = { unitsByProduct: userKeyedRecord(), closedDates: [] };
  for (let back = 0; back < historyDays; back += 1) {
    const source = addDays(sourceEnd, -back);
    const target = addDays(historyEnd, -back);
    const index = daysBetween(file.firstDate, source);
    if (index < 0) break;
    if (closedSource.has(source)) {
      history.closedDates.push(target);
      continue;
    }
    for (const productId of def.products) {
      const salesName = full.products.find((p) => p.productId === productId)?.salesName;
      const units = file.products.find((p) => p.name === salesName)?.units[index];
      if (units === undefined || units === null) continue;
      entryOf(history.unitsByProduct, productId)[target] = Math.round(units * def.scale);
    }
  }
  history.closedDates.sort();
  return history;
}

/**
 * Stock on the morning of `planDate`: yesterday's unsold finished goods of the longer-keeping products,
 * and ingredient lots worth a few days of typical use (more or less per bakery), plus one expired lot
 * per ingredient that planning must not count. As in a real morning, some bakeries are nearly out of
 * fresh yeast (half a day left: it runs out before any delivery) and have flour and butter on order.
 */
function stockFor(
  catalog: Catalog,
  sales: SalesHistory,
  planDate: LocalDate,
  coverDays: number,
  shortOfYeast: boolean,
): StockSnapshot {
  const yesterday = addDays(planDate, -1);
  const averageDaily = (productId: string) => {
    const values = Object.entries(sales.unitsByProduct[productId] ?? {})
      .filter(([d]) => d > addDays(planDate, -29))
      .map(([, u]) => u);
    return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
  };
  const finishedGoods = catalog.products
    .filter((p) => p.shelfLifeDays > 1)
    .map((p) => ({
      productId: p.productId,
      quantity: Math.round(averageDaily(p.productId) * 0.15),
      producedOn: yesterday,
    }))
    .filter((lot) => lot.quantity > 0);
  const recipes = new Map(catalog.recipes.map((r) => [r.recipeId, r]));
  const dailyNeed = new Map<string, number>();
  for (const p of catalog.products) explodeRecipe(p.recipeId, averageDaily(p.productId), recipes, dailyNeed);
  const ingredients: IngredientLot[] = catalog.ingredients.flatMap((ingredient) => {
    const need = dailyNeed.get(ingredient.ingredientId) ?? 0;
    const cover = shortOfYeast && ingredient.ingredientId === 'yeast' ? 0.5 : coverDays;
    return [
      {
        ingredientId: ingredient.ingredientId,
        quantity: Math.round(need * cover * 100) / 100,
        expiresOn: addDays(planDate, Math.min(ingredient.shelfLifeDays, 30)),
      },
      { ingredientId: ingredient.ingredientId, quantity: Math.round(need * 100) / 100, expiresOn: yesterday },
    ].filter((lot) => lot.quantity > 0);
  });
  // Flour already ordered, arriving in two days; butter arriving tomorrow.
  const flour = dailyNeed.get('flour-t65');
  const butter = dailyNeed.get('butter');
  const openOrders = [
    ...(flour
      ? [
          {
            ingredientId: 'flour-t65',
            quantity: 25 * Math.max(1, Math.round((flour * 2) / 25)),
            arrivesOn: addDays(planDate, 2),
            supplierId: 'moulin-saint-pierre',
          },
        ]
      : []),
    ...(butter
      ? [
          {
            ingredientId: 'butter',
            quantity: 10 * Math.max(1, Math.round(butter / 10)),
            arrivesOn: addDays(planDate, 1),
          },
        ]
      : []),
  ];
  return { finishedGoods, ingredients, openOrders };
}

/** The catalog's euro prices in a bakery's own currency: converted at `rate`, rounded as that currency's prices are. */
function inCurrency(catalog: Catalog, rate: number): Catalog {
  if (rate === 1) return catalog;
  const price = (eur: number) => {
    const converted = eur * rate;
    const step = converted >= 1000 ? 10 : converted >= 100 ? 1 : 0.01;
    return Math.round(Math.round(converted / step) * step * 100) / 100;
  };
  return {
    ...catalog,
    products: catalog.products.map((p) => ({
      ...p,
      unitPrice: price(p.unitPrice),
      unitCost: price(p.unitCost),
      salvageValue: price(p.salvageValue),
    })),
    suppliers: catalog.suppliers.map((s) => ({
      ...s,
      offers: s.offers.map((o) => ({
        ...o,
        unitPrice: price(o.unitPrice),
        ...(o.priceTiers ? { priceTiers: o.priceTiers.map((t) => ({ ...t, unitPrice: price(t.unitPrice) })) } : {}),
      })),
    })),
  };
}

/** Builds the demo bakeries; `planDateOf` gives each zone's first plan date in the run. */
export function buildDemoBakeries(
  count: number,
  planDateOf: (timezone: string) => LocalDate,
  createdAt: string,
): DemoBakery[] {
  return demoTenantDefinitions()
    .tenants.slice(0, count)
    .map((def, index) => buildDemoBakery(def, index, planDateOf, createdAt));
}

/** One bakery of a definition (the `index`-th: its stock's depth and yeast shortage vary with it). */
export function buildDemoBakery(
  def: DemoTenantDefinition,
  index: number,
  planDateOf: (timezone: string) => LocalDate,
  createdAt: string,
): DemoBakery {
  const { historyDays } = demoTenantDefinitions();
  const catalogFile = readJson<CatalogFile>('catalog.json');
  const salesFile = demoSalesFile();
  const planDate = planDateOf(def.timezone);
  const catalog = inCurrency(catalogFor(catalogFile, def.products), def.eurRate);
  const sales = salesFor(salesFile, catalogFile, def, addDays(planDate, -1), historyDays);
  return {
    tenant: {
      tenantId: def.tenantId,
      name: def.name,
      timezone: def.timezone,
      demo: def.demo === true,
      currency: def.currency,
      locale: def.locale,
      createdAt,
    },
    catalog,
    sales,
    stock: stockFor(catalog, sales, planDate, 6 + 2 * (index % 4), index % 2 === 1),
    demand: demandFor(salesFile, catalogFile, def, planDate),
  };
}
