// The tenant's data imports as use cases: sales (rows, closures, holidays), daily drivers and stock,
// each validated whole by the edge first and written in one store call, so a rejected import writes
// nothing. Stock may name only what the catalog holds.
import type { Catalog, DailyDrivers, SalesHistory, StockSnapshot, Tenant } from '../domain.ts';
import { PlannerError } from '../errors.ts';
import { entryOf, userKeyedRecord } from '../input/grammar.ts';
import { nearestId } from '../input/nearest-id.ts';
import { withReadSet } from '../job-signal.ts';
import { implausiblePrices } from '../money.ts';
import type { PlannerPorts } from '../ports.ts';
import { addDays, daysBetween, type LocalDate, localDateAt } from '../time/tenant-clock.ts';
import { createdToday, firstDayCatchUp } from './catch-up.ts';

export interface SalesImport {
  rows: readonly { productId: string; date: LocalDate; units: number }[];
  closedDates: LocalDate[];
  /** Dates recorded as closures by mistake: they count as open days again. */
  reopenedDates: LocalDate[];
  holidays: LocalDate[];
}

/**
 * The days inside an import's span with no row for any product and not declared closed: most likely
 * closures. They are read as missing (never as zero sales) and proposed to be declared.
 */
function daysWithoutRows(input: SalesImport): LocalDate[] {
  if (input.rows.length === 0) return [];
  const withRows = new Set(input.rows.map((row) => row.date));
  const closed = new Set(input.closedDates);
  const dates = [...withRows].sort();
  const days: LocalDate[] = [];
  for (let date = dates[0]!; date < dates.at(-1)!; date = addDays(date, 1))
    if (!withRows.has(date) && !closed.has(date)) days.push(date);
  return days;
}

/** Proposed closures an answer lists by date (more are counted). */
const PROPOSED_CLOSURES_LISTED = 31;

/** How far back a morning's sales may end before an import or a catalog says they are stale. */
const STALE_SALES_DAYS = 2;

/** Sales rows may name only the catalog's products: a misspelt id would be stored as a product nobody bakes. */
function assertSalesInCatalog(input: SalesImport, catalog: Catalog): void {
  if (input.rows.length === 0) return;
  const products = catalog.products.map((p) => p.productId);
  if (products.length === 0)
    throw new PlannerError(
      'invalid',
      'The catalog has no products yet: import it first (planner catalog import, or PUT /tenants/{tenantId}/catalog); sales are checked against its products.',
      { field: 'rows' },
    );
  const known = new Set(products);
  const unknown = new Map<string, number>();
  input.rows.forEach((row, i) => {
    if (!known.has(row.productId) && !unknown.has(row.productId)) unknown.set(row.productId, i);
  });
  if (unknown.size === 0) return;
  const issues = [...unknown].slice(0, 20).map(([id, i]) => {
    const near = nearestId(id, products);
    return {
      path: ['rows', String(i), 'productId'],
      message: `product "${id}" is not in the catalog${near ? ` (did you mean "${near}"?)` : ''}`,
    };
  });
  throw new PlannerError(
    'invalid',
    `Invalid request: ${unknown.size} product id${unknown.size > 1 ? 's' : ''} of the sales ${unknown.size > 1 ? 'are' : 'is'} not in the catalog: ${issues
      .slice(0, 5)
      .map((issue) => issue.message.replace(/^product /, ''))
      .join(
        '; ',
      )}${unknown.size > 5 ? '; …' : ''}. Correct the file, or add the products to the catalog first; nothing was imported.`,
    { field: `rows.${[...unknown.values()][0]}.productId`, issues },
  );
}

/** The newest day the stored sales account for (a day with a row, or a declared closure) among the last four weeks, or null. */
async function salesThrough(ports: PlannerPorts, tenant: Tenant, today: LocalDate): Promise<LocalDate | null> {
  const recent = await ports.sales.getSales(tenant.tenantId, addDays(today, -28), today);
  let newest: LocalDate | null = null;
  const see = (date: LocalDate) => {
    if (!newest || date > newest) newest = date;
  };
  for (const byDate of Object.values(recent.unitsByProduct)) for (const date of Object.keys(byDate)) see(date);
  for (const date of recent.closedDates) see(date);
  return newest;
}

/**
 * Imports sales (every product id in the catalog), says when the stored sales end days before
 * yesterday, and, for a tenant created today, plans today now that its sales are in.
 */
export function importSales(ports: PlannerPorts, tenant: Tenant, input: SalesImport) {
  // The catalog (to check the product ids) and the months the rows merge into come in one batch read.
  return withReadSet(async () => {
    await ports.readAhead.prefetch(tenant.tenantId, {
      catalog: true,
      salesMonths: [...new Set(input.rows.map((row) => row.date.slice(0, 7)))],
    });
    return importSalesRead(ports, tenant, input);
  });
}

async function importSalesRead(ports: PlannerPorts, tenant: Tenant, input: SalesImport) {
  assertSalesInCatalog(input, await ports.catalog.getCatalog(tenant.tenantId));
  const history: SalesHistory = {
    unitsByProduct: userKeyedRecord(),
    closedDates: input.closedDates,
    holidays: input.holidays,
  };
  for (const row of input.rows) entryOf(history.unitsByProduct, row.productId)[row.date] = row.units;
  await ports.sales.putSales(tenant.tenantId, history, input.reopenedDates);
  const today = localDateAt(ports.now(), tenant.timezone);
  // The import's own newest day settles it for a daily import; older imports look at what is stored.
  const imported = [...input.rows.map((row) => row.date), ...input.closedDates].reduce<LocalDate | null>(
    (newest, date) => (!newest || date > newest ? date : newest),
    null,
  );
  const fresh = (date: LocalDate | null) => date !== null && daysBetween(date, today) <= STALE_SALES_DAYS;
  const newest = fresh(imported) ? imported : await salesThrough(ports, tenant, today);
  const warnings = !fresh(newest)
    ? [
        newest
          ? `The newest sales are of ${newest}, ${daysBetween(newest, today)} days ago (today is ${today} in ${tenant.timezone}): forecasts read the days since as missing. Import the days up to yesterday.`
          : `No sales in the last four weeks (today is ${today} in ${tenant.timezone}): forecasts have nothing recent to go on. Import the days up to yesterday.`,
      ]
    : [];
  const empty = daysWithoutRows(input);
  if (empty.length)
    warnings.push(
      `${empty.length} day${empty.length > 1 ? 's' : ''} inside the import ${empty.length > 1 ? 'have' : 'has'} no row for any product (${empty.slice(0, 5).join(', ')}${empty.length > 5 ? ', …' : ''}): forecasts read ${empty.length > 1 ? 'them' : 'it'} as missing, not as zero sales. If the bakery was closed, declare ${empty.length > 1 ? 'them' : 'it'} (closedDates, listed in proposedClosures); if it sold nothing, send zeros.`,
    );
  // Only a tenant created today hears about its first day: every later import would say "not created today".
  const firstDay =
    input.rows.length > 0 && createdToday(tenant, ports.now()) ? await firstDayCatchUp(ports, tenant) : null;
  return {
    answer: {
      imported: input.rows.length,
      products: Object.keys(history.unitsByProduct).length,
      closedDates: input.closedDates.length,
      reopenedDates: input.reopenedDates.length,
      holidays: input.holidays.length,
      ...(newest ? { salesThrough: newest } : {}),
      ...(empty.length ? { proposedClosures: empty.slice(0, PROPOSED_CLOSURES_LISTED) } : {}),
      warnings,
    },
    firstDay,
  };
}

/**
 * Replaces the catalog whole; for a tenant created today after its jobs' times, the day's missed jobs
 * then run by themselves once it has sales too (catch-up.ts: firstDayCatchUp): whichever of the
 * catalog and the sales import comes second plans the day.
 */
export async function replaceCatalog(ports: PlannerPorts, tenant: Tenant, catalog: Catalog) {
  await ports.catalog.putCatalog(tenant.tenantId, catalog);
  const today = localDateAt(ports.now(), tenant.timezone);
  const firstDay =
    catalog.products.length === 0
      ? null
      : (await salesThrough(ports, tenant, today))
        ? await firstDayCatchUp(ports, tenant)
        : { skipped: 'no sales yet: the sales import plans today (or run planner catch-up to plan without history)' };
  const priceWarning = implausiblePrices(
    catalog.products.map((p) => p.unitPrice),
    tenant.currency,
    tenant.locale,
  );
  return {
    catalog: await ports.catalog.getCatalog(tenant.tenantId),
    firstDay,
    warnings: priceWarning ? [priceWarning] : [],
  };
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

/** Open orders due before today: they either arrived (stock now) or are late (a new date), never still coming then. */
function ordersInThePast(stock: StockSnapshot, today: LocalDate, timezone: string): StockProblem[] {
  return (stock.openOrders ?? []).flatMap((order, i) =>
    order.arrivesOn < today
      ? [
          {
            path: ['openOrders', i, 'arrivesOn'],
            message: `the open order of ${order.ingredientId} arrives on ${order.arrivesOn}, before today (${today} in ${timezone}): if it came, record it as an ingredient lot; if it is late, give the day it is now expected`,
          },
        ]
      : [],
  );
}

/** Replaces the tenant's stock whole, once every lot and order names something of its catalog and no order is due in the past. */
export async function replaceStock(ports: PlannerPorts, tenant: Tenant, stock: StockSnapshot): Promise<StockSnapshot> {
  const { tenantId } = tenant;
  const problems = [
    ...stockOutsideCatalog(stock, await ports.catalog.getCatalog(tenantId)),
    ...ordersInThePast(stock, localDateAt(ports.now(), tenant.timezone), tenant.timezone),
  ];
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
