// How good a day's plan was, once its actuals are in: forecast error against demand, waste, fill rate
// and lost sales, and realized profit against two references — baking last week's sales, and perfect
// foresight — with one headline score (realized profit as a share of perfect foresight's).
// docs/planning.md works an example by hand.
import type { Catalog, ProductionSchedule } from '../domain.ts';
import { minutesOf } from '../time/tenant-clock.ts';
import type { DailyActual, OpeningHours } from './actuals.ts';
import { type FillRateDay, fillRateDays } from './fill-rate-feedback.ts';

/** A product sold out this long after opening or sooner still counts this long (no estimate from minutes). */
const MIN_SELLING_MINUTES = 30;
/** A sold-out day's demand is estimated at most this many times its sales. */
const MAX_DEMAND_FACTOR = 3;

interface ProductQuality {
  productId: string;
  /** The forecast the plan baked for (its point forecast). */
  forecast: number;
  /** Units there were: the day's bakes and the fresh stock the schedule counted. */
  available: number;
  baked: number;
  sold: number;
  /** Demand: what sold, or for a sold-out product an estimate from when it sold out. */
  demand: number;
  waste: number;
  carriedOver: number;
  soldOut: boolean;
  profit: { realized: number; lastWeek: number | null; perfect: number };
}

/** A day's quality as kept and published: the figures without the per-product detail. */
export type PlanQualitySummary = Omit<PlanQuality, 'byProduct'>;

/** What a day's measure rests on: actuals a person recorded, or (none recorded) the day's sales alone. */
export type QualityBasis = 'actuals' | 'sales';

export interface PlanQuality {
  date: string;
  /** The production schedule measured. */
  planId: string;
  basis: QualityBasis;
  /** Products with actuals recorded (the others are left out of every figure). */
  products: number;
  /** Products of the schedule with no actuals that day. */
  missing: number;
  /** Σ|forecast − demand| / Σ demand (null without demand). */
  wape: number | null;
  /** Σ(forecast − demand) / Σ demand: above 0, the forecast was too high. */
  bias: number | null;
  wasteUnits: number;
  /** Waste at cost less salvage, in the plan's currency. */
  wasteCost: number;
  /** Σ sold / Σ demand (null without demand). */
  fillRate: number | null;
  lostSales: number;
  soldOut: number;
  profit: { realized: number; lastWeek: number | null; perfect: number };
  /** Realized profit as a share of perfect foresight's (null when nothing was wanted or perfect foresight makes nothing). */
  score: number | null;
  /** Each fill-rate policy's products that day: what they served against what they baked to (absent: none). */
  fillRatePolicies?: FillRateDay[];
  byProduct: ProductQuality[];
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const round3 = (n: number) => Math.round(n * 1000) / 1000;

/**
 * A day's demand for a product: what sold; for a sold-out product, the sales scaled to the whole
 * opening day by the share of it that had passed when it sold out (demand assumed even over the day),
 * at most MAX_DEMAND_FACTOR times the sales.
 */
export function estimatedDemand(actual: DailyActual, hours: OpeningHours): number {
  if (actual.soldOutAt === undefined) return actual.sold;
  const open = minutesOf(hours.closes) - minutesOf(hours.opens);
  const selling = Math.max(MIN_SELLING_MINUTES, minutesOf(actual.soldOutAt) - minutesOf(hours.opens));
  return Math.round(Math.min(actual.sold * MAX_DEMAND_FACTOR, (actual.sold * open) / Math.min(open, selling)));
}

/**
 * The plan's quality on its date. Profit counts the units sold at their price, the units baked at
 * their cost, and what is left at closing: carried over at cost, thrown away at salvage. The
 * references bake perfect foresight's demand, or `lastWeek` (each product's sales a week before; a
 * product without it has no last-week profit, and the day's total then has none either), with the
 * same stock in, and keep their leftovers where the product keeps to the next day.
 */
export function planQuality(
  schedule: ProductionSchedule,
  actuals: readonly DailyActual[],
  catalog: Catalog,
  hours: OpeningHours,
  lastWeek: ReadonlyMap<string, number>,
  basis: QualityBasis = 'actuals',
): PlanQuality {
  const products = new Map(catalog.products.map((p) => [p.productId, p]));
  const recorded = new Map(actuals.filter((a) => a.date === schedule.planDate).map((a) => [a.productId, a]));
  const baked = new Map<string, number>();
  for (const batch of schedule.batches) baked.set(batch.productId, (baked.get(batch.productId) ?? 0) + batch.quantity);
  const byProduct: ProductQuality[] = [];
  const measured: { line: ProductionSchedule['lines'][number]; sold: number; demand: number }[] = [];
  for (const line of schedule.lines) {
    const actual = recorded.get(line.productId);
    const product = products.get(line.productId);
    if (!actual || !product) continue;
    const price = product.unitPrice;
    const cost = product.unitCost;
    const salvage = product.salvageValue ?? 0;
    // What a unit left at closing is worth: its cost where it keeps to the next day (carried over),
    // its salvage where it does not (thrown away).
    const keeps = product.shelfLifeDays >= 2 ? cost : salvage;
    const fresh = line.freshStockUnits;
    const made = baked.get(line.productId) ?? 0;
    const demand = estimatedDemand(actual, hours);
    const waste = actual.leftover - actual.carriedOver;
    /** A day that bakes `bake` units and sells what demand takes, its leftover worth `keeps` a unit. */
    const baking = (bake: number) => {
      const sold = Math.min(bake + fresh, demand);
      return price * sold - cost * bake + keeps * (bake + fresh - sold);
    };
    const realized = price * actual.sold - cost * made + salvage * waste + cost * actual.carriedOver;
    const perfect = baking(Math.max(0, demand - fresh));
    const reference = lastWeek.get(line.productId);
    const lastWeekProfit = reference === undefined ? null : baking(Math.max(0, reference - fresh));
    measured.push({ line, sold: actual.sold, demand });
    byProduct.push({
      productId: line.productId,
      forecast: line.forecastUnits,
      available: made + fresh,
      baked: made,
      sold: actual.sold,
      demand,
      waste,
      carriedOver: actual.carriedOver,
      soldOut: actual.soldOutAt !== undefined,
      profit: {
        realized: round2(realized),
        lastWeek: lastWeekProfit === null ? null : round2(lastWeekProfit),
        perfect: round2(perfect),
      },
    });
  }
  const sum = (f: (p: ProductQuality) => number) => byProduct.reduce((total, p) => total + f(p), 0);
  const demand = sum((p) => p.demand);
  const perfect = sum((p) => p.profit.perfect);
  const realized = sum((p) => p.profit.realized);
  const lastWeekKnown = byProduct.length > 0 && byProduct.every((p) => p.profit.lastWeek !== null);
  const fillRatePolicies = fillRateDays(measured);
  return {
    date: schedule.planDate,
    planId: schedule.planId,
    basis,
    products: byProduct.length,
    missing: schedule.lines.length - byProduct.length,
    wape: demand > 0 ? round3(sum((p) => Math.abs(p.forecast - p.demand)) / demand) : null,
    bias: demand > 0 ? round3(sum((p) => p.forecast - p.demand) / demand) : null,
    wasteUnits: sum((p) => p.waste),
    wasteCost: round2(
      sum((p) => {
        const product = products.get(p.productId)!;
        return p.waste * (product.unitCost - (product.salvageValue ?? 0));
      }),
    ),
    fillRate: demand > 0 ? round3(sum((p) => p.sold) / demand) : null,
    lostSales: sum((p) => p.demand - p.sold),
    soldOut: byProduct.filter((p) => p.soldOut).length,
    profit: {
      realized: round2(realized),
      lastWeek: lastWeekKnown ? round2(sum((p) => p.profit.lastWeek!)) : null,
      perfect: round2(perfect),
    },
    // Nothing wanted (a day the bakery might as well have been closed) has no score: nothing to get right.
    score: demand > 0 && perfect > 0 ? round3(realized / perfect) : null,
    ...(fillRatePolicies.length > 0 ? { fillRatePolicies } : {}),
    byProduct,
  };
}
