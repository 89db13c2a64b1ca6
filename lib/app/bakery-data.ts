// The tenant's data imports as use cases: sales (rows, closures, holidays), daily drivers and stock,
// each validated whole by the edge first and written in one store call, so a rejected import writes
// nothing. Stock may name only what the catalog holds.
import type { Catalog, DailyDrivers, SalesHistory, StockSnapshot, Tenant } from '../domain.ts';
import { PlannerError } from '../errors.ts';
import { entryOf, userKeyedRecord } from '../input/grammar.ts';
import type { PlannerPorts } from '../ports.ts';
import type { LocalDate } from '../time/tenant-clock.ts';
import { firstDayCatchUp } from './catch-up.ts';

export interface SalesImport {
  rows: readonly { productId: string; date: LocalDate; units: number }[];
  closedDates: LocalDate[];
  /** Dates recorded as closures by mistake: they count as open days again. */
  reopenedDates: LocalDate[];
  holidays: LocalDate[];
}

export async function importSales(ports: PlannerPorts, tenantId: string, input: SalesImport) {
  const history: SalesHistory = {
    unitsByProduct: userKeyedRecord(),
    closedDates: input.closedDates,
    holidays: input.holidays,
  };
  for (const row of input.rows) entryOf(history.unitsByProduct, row.productId)[row.date] = row.units;
  await ports.sales.putSales(tenantId, history, input.reopenedDates);
  return {
    imported: input.rows.length,
    products: Object.keys(history.unitsByProduct).length,
    closedDates: input.closedDates.length,
    reopenedDates: input.reopenedDates.length,
    holidays: input.holidays.length,
  };
}

/**
 * Replaces the catalog whole; for a tenant created today after its jobs' times, the day's missed jobs
 * then run by themselves (catch-up.ts: firstDayCatchUp).
 */
export async function replaceCatalog(ports: PlannerPorts, tenant: Tenant, catalog: Catalog) {
  await ports.catalog.putCatalog(tenant.tenantId, catalog);
  const firstDay = catalog.products.length > 0 ? await firstDayCatchUp(ports, tenant) : null;
  return { catalog: await ports.catalog.getCatalog(tenant.tenantId), firstDay };
}

export async function importDrivers(ports: PlannerPorts, tenantId: string, imported: DailyDrivers) {
  const stored = await ports.drivers.putDrivers(tenantId, imported);
  return {
    imported: Object.keys(imported.values).length,
    drivers: stored.columns,
    dates: Object.keys(stored.values).length,
  };
}

interface StockProblem {
  path: (string | number)[];
  message: string;
}

/** Every lot or order of `stock` that names a product, ingredient or supplier the catalog does not hold. */
function stockOutsideCatalog(stock: StockSnapshot, catalog: Catalog): StockProblem[] {
  const products = new Set(catalog.products.map((p) => p.productId));
  const ingredients = new Set(catalog.ingredients.map((i) => i.ingredientId));
  const suppliers = new Set(catalog.suppliers.map((s) => s.supplierId));
  const problems: StockProblem[] = [];
  const unknown = (path: (string | number)[], what: string, id: string) =>
    problems.push({
      path,
      message: `${what} "${id}" is not in the catalog; add it with PUT /tenants/{tenantId}/catalog first`,
    });
  stock.finishedGoods.forEach((lot, i) => {
    if (!products.has(lot.productId)) unknown(['finishedGoods', i, 'productId'], 'product', lot.productId);
  });
  stock.ingredients.forEach((lot, i) => {
    if (!ingredients.has(lot.ingredientId)) unknown(['ingredients', i, 'ingredientId'], 'ingredient', lot.ingredientId);
  });
  (stock.openOrders ?? []).forEach((order, i) => {
    if (!ingredients.has(order.ingredientId))
      unknown(['openOrders', i, 'ingredientId'], 'ingredient', order.ingredientId);
    if (order.supplierId && !suppliers.has(order.supplierId))
      unknown(['openOrders', i, 'supplierId'], 'supplier', order.supplierId);
  });
  return problems;
}

/** Replaces the tenant's stock whole, once every lot and order names something of its catalog. */
export async function replaceStock(
  ports: PlannerPorts,
  tenantId: string,
  stock: StockSnapshot,
): Promise<StockSnapshot> {
  const problems = stockOutsideCatalog(stock, await ports.catalog.getCatalog(tenantId));
  if (problems.length > 0) {
    const field = (p: StockProblem) => p.path.join('.');
    throw new PlannerError(
      'invalid',
      `Invalid request: ${problems.map((p) => `${field(p)}: ${p.message}`).join('; ')}`,
      {
        field: field(problems[0]!),
        issues: problems,
      },
    );
  }
  await ports.stock.putStock(tenantId, stock);
  return ports.stock.getStock(tenantId);
}
