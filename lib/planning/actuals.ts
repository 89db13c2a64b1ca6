// What actually happened on a day, per product: units sold, units left at closing (thrown away, or
// carried to the next day as day-old stock where the shelf life allows), and whether and when the
// product sold out. An import is checked whole against the catalog, the day's bakes and the bakery's
// opening hours, and refused whole with every problem named.
import type { Catalog, ProductionSchedule, StockSnapshot } from '../domain.ts';
import { PlannerError } from '../errors.ts';
import { nearestId } from '../input/nearest-id.ts';
import { type LocalDate, type LocalTime, minutesOf } from '../time/tenant-clock.ts';

export interface DailyActual {
  productId: string;
  date: LocalDate;
  /** Units sold. */
  sold: number;
  /** Units left at closing: thrown away, or carried over. */
  leftover: number;
  /** Of the leftover, units kept to sell the next day as day-old stock (the rest is waste). */
  carriedOver: number;
  /** Local time the product sold out ("HH:MM"); absent: it did not sell out. */
  soldOutAt?: LocalTime;
}

export interface OpeningHours {
  opens: LocalTime;
  closes: LocalTime;
}

export const DEFAULT_OPENING_HOURS: OpeningHours = { opens: '06:00', closes: '20:00' };

export interface ActualsContext {
  catalog: Catalog;
  /** The bakery's own today: no day after it has actuals yet. */
  today: LocalDate;
  openingHours: OpeningHours;
  /**
   * Units there were to sell per date and product (baked that day, and the fresh stock the schedule
   * counted), for the dates a production schedule exists.
   */
  available: ReadonlyMap<LocalDate, ReadonlyMap<string, number>>;
}

interface Issue {
  path: string[];
  message: string;
}

/** Units there were to sell per product on the schedule's date: its batches and the fresh stock it counted. */
export function availableUnits(schedule: ProductionSchedule): Map<string, number> {
  const units = new Map(schedule.lines.map((line) => [line.productId, line.freshStockUnits]));
  for (const batch of schedule.batches) units.set(batch.productId, (units.get(batch.productId) ?? 0) + batch.quantity);
  return units;
}

/** Every problem of an import, or none: unknown products, impossible counts, times outside opening hours. */
export function actualsIssues(actuals: readonly DailyActual[], context: ActualsContext): Issue[] {
  const products = new Map(context.catalog.products.map((p) => [p.productId, p]));
  const ids = [...products.keys()];
  const seen = new Set<string>();
  const issues: Issue[] = [];
  const { opens, closes } = context.openingHours;
  for (const [i, actual] of actuals.entries()) {
    const at = (field: string, message: string) => {
      issues.push({ path: ['actuals', String(i), field], message });
    };
    const product = products.get(actual.productId);
    if (!product) {
      const near = nearestId(actual.productId, ids);
      at('productId', `product "${actual.productId}" is not in the catalog${near ? ` (did you mean "${near}"?)` : ''}`);
      continue;
    }
    const key = `${actual.date}|${actual.productId}`;
    if (seen.has(key)) at('productId', `${actual.productId} on ${actual.date} is given twice`);
    seen.add(key);
    if (actual.date > context.today)
      at('date', `${actual.date} is after the bakery's today (${context.today}): record a day once it is over`);
    if (actual.carriedOver > actual.leftover)
      at('carriedOver', `${actual.carriedOver} carried over is more than the ${actual.leftover} left over`);
    if (actual.carriedOver > 0 && product.shelfLifeDays < 2)
      at(
        'carriedOver',
        `${actual.productId} keeps ${product.shelfLifeDays} day${product.shelfLifeDays === 1 ? '' : 's'}: nothing of it can be sold the next day`,
      );
    if (actual.soldOutAt !== undefined) {
      if (actual.leftover > 0) at('soldOutAt', `sold out at ${actual.soldOutAt}, yet ${actual.leftover} left over`);
      const minutes = minutesOf(actual.soldOutAt);
      if (minutes < minutesOf(opens) || minutes > minutesOf(closes))
        at('soldOutAt', `${actual.soldOutAt} is outside the opening hours (${opens}–${closes})`);
    }
    const available = context.available.get(actual.date)?.get(actual.productId);
    if (available !== undefined && actual.sold + actual.leftover > available)
      at(
        'leftover',
        `${actual.sold} sold and ${actual.leftover} left over is more than the ${available} there were (baked that day and in stock)`,
      );
  }
  return issues;
}

/** Refuses an import with problems, naming the first few (nothing is stored then). */
export function assertActuals(actuals: readonly DailyActual[], context: ActualsContext): void {
  const issues = actualsIssues(actuals, context);
  if (issues.length === 0) return;
  throw new PlannerError(
    'invalid',
    `Invalid request: ${issues.length} problem${issues.length > 1 ? 's' : ''} in the actuals: ${issues
      .slice(0, 5)
      .map((issue) => `${issue.path.slice(0, 2).join('.')}: ${issue.message}`)
      .join('; ')}${issues.length > 5 ? '; …' : ''}. Correct them and send the whole import again; nothing was stored.`,
    { field: issues[0]!.path.join('.'), issues: issues.slice(0, 20) },
  );
}

/**
 * The stock after a day's carry-over: each product's carried units are a finished-goods lot baked that
 * day (sellable the next days within its shelf life). A correction replaces the lot; 0 removes it.
 */
export function stockWithCarryOver(stock: StockSnapshot, actuals: readonly DailyActual[]): StockSnapshot {
  const recorded = new Set(actuals.map((a) => `${a.productId}|${a.date}`));
  const kept = stock.finishedGoods.filter((lot) => !recorded.has(`${lot.productId}|${lot.producedOn}`));
  const carried = actuals
    .filter((a) => a.carriedOver > 0)
    .map((a) => ({ productId: a.productId, quantity: a.carriedOver, producedOn: a.date }));
  return { ...stock, finishedGoods: [...kept, ...carried] };
}

/**
 * A day's actuals as far as its sales tell them, for a day nobody recorded (the morning after measures
 * it so): each product of the schedule with sales that day sold them; what there was and did not sell
 * was left over — carried over where the product keeps to the next day, thrown away where it does not;
 * a product that sold all there was sold out, at a time no one knows (taken as closing time, so its
 * demand is its sales: a lower bound).
 */
export function actualsFromSales(
  schedule: ProductionSchedule,
  sold: ReadonlyMap<string, number>,
  catalog: Catalog,
  hours: OpeningHours,
): DailyActual[] {
  const keeps = new Map(catalog.products.map((p) => [p.productId, p.shelfLifeDays >= 2]));
  const available = availableUnits(schedule);
  return schedule.lines.flatMap((line) => {
    const units = sold.get(line.productId);
    if (units === undefined || !keeps.has(line.productId)) return [];
    const leftover = Math.max(0, (available.get(line.productId) ?? 0) - units);
    return [
      {
        productId: line.productId,
        date: schedule.planDate,
        sold: units,
        leftover,
        carriedOver: keeps.get(line.productId) ? leftover : 0,
        ...(leftover === 0 && units > 0 ? { soldOutAt: hours.closes } : {}),
      },
    ];
  });
}
