// Sold-out days are lower bounds on demand, not demand: a product that ran out at 11:00 would have sold
// more. Learned as they are, they pull the forecast down, the next plan bakes less, sells out again,
// and the best sellers shrink (censored-demand bias). Before any model sees the history, each sold-out
// day's sales are replaced by the demand expected given that it was at least that much: the mean of a
// normal demand distribution truncated below at the sales. The distribution is the product's usual on
// that weekday (its last eight such days, sold-out ones as they were imputed), scaled by how busy the
// day itself was: what the products that did not sell out sold that day against their own usual. Only
// that day and earlier ones are used, so a past day never learns from what came after it (the backtest
// stays honest).
import type { SalesHistory } from '../domain.ts';
import { type LocalDate, weekdayOf } from '../time/tenant-clock.ts';

/** Same-weekday days before a day that describe its usual demand. */
const NEIGHBOURS = 8;
/** With fewer of them, a sold-out day keeps its sales (nothing to estimate from). */
const MIN_NEIGHBOURS = 3;
/** How far the day's other products may move its estimate from the usual (three times as busy, or a third). */
const DAY_FACTOR = { min: 1 / 3, max: 3 } as const;
/**
 * The share of the usual days' spread taken as the day's uncertainty: part of that spread is how busy
 * each of those days was, which the day factor accounts for.
 */
const SPREAD_SHARE = 0.8;

/** The standard normal density and upper tail, for the truncated mean. */
const density = (z: number) => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
function upperTail(z: number): number {
  // Abramowitz–Stegun 7.1.26 on erfc(z / √2): absolute error below 1.5e-7.
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erfc =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) *
    Math.exp(-x * x);
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}

/** E[D | D ≥ floor] for D ~ Normal(mean, sd): the sales of a sold-out day made into expected demand. */
export function truncatedMean(mean: number, sd: number, floor: number): number {
  const z = (floor - mean) / sd;
  // Far in the tail the ratio is numerically fragile; its asymptote (z + 1/z) is exact enough there.
  const mills = z > 8 ? z + 1 / z : density(z) / upperTail(z);
  return Math.max(floor, mean + sd * mills);
}

/** The usual demand of a product on a weekday: the mean and spread of its last NEIGHBOURS such days. */
function usual(values: readonly number[]): { mean: number; sd: number } | null {
  if (values.length < MIN_NEIGHBOURS) return null;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1);
  return { mean, sd: Math.sqrt(variance) };
}

/**
 * The history with each sold-out day's sales replaced by its expected demand (see above); without
 * sold-out days, the history itself. The result has no sold-out days left, so applying it twice is
 * applying it once.
 */
export function uncensoredHistory(history: SalesHistory): SalesHistory {
  const soldOut = history.soldOut;
  if (!soldOut || Object.values(soldOut).every((days) => days.length === 0)) return history;
  const closed = new Set(history.closedDates);
  const censored = new Map<string, Set<LocalDate>>();
  for (const [productId, days] of Object.entries(soldOut))
    if (history.unitsByProduct[productId] && days.length > 0) censored.set(productId, new Set(days));
  const lastSoldOut =
    [...censored.values()]
      .flatMap((days) => [...days])
      .sort()
      .at(-1) ?? '';
  const products = Object.keys(history.unitsByProduct);
  const unitsByProduct = { ...history.unitsByProduct };
  for (const productId of censored.keys())
    unitsByProduct[productId] = Object.assign(Object.create(null), history.unitsByProduct[productId]);
  const dates = [...new Set(products.flatMap((id) => Object.keys(history.unitsByProduct[id]!)))]
    .filter((date) => !closed.has(date) && date <= lastSoldOut)
    .sort();
  // Each product's earlier days by weekday (sold-out ones as imputed): what it usually sells.
  const earlier = new Map(products.map((id) => [id, new Map<number, number[]>()]));
  for (const date of dates) {
    const weekday = weekdayOf(date);
    const today = products.flatMap((productId) => {
      const units = unitsByProduct[productId]![date];
      if (units === undefined) return [];
      const before = earlier.get(productId)!.get(weekday) ?? [];
      return [{ productId, units, before, usual: usual(before.slice(-NEIGHBOURS)) }];
    });
    // How busy the day was: what the products that did not sell out sold, against their usual.
    let sold = 0;
    let expected = 0;
    for (const { productId, units, usual } of today)
      if (usual && !censored.get(productId)?.has(date)) {
        sold += units;
        expected += usual.mean;
      }
    const factor = expected > 0 ? Math.min(DAY_FACTOR.max, Math.max(DAY_FACTOR.min, sold / expected)) : 1;
    for (const { productId, units, before, usual } of today) {
      if (usual && censored.get(productId)?.has(date)) {
        const mean = usual.mean * factor;
        // Counts vary at least as a Poisson count would.
        const sd = Math.max(SPREAD_SHARE * usual.sd, Math.sqrt(Math.max(mean, 1)));
        unitsByProduct[productId]![date] = Math.round(truncatedMean(mean, sd, units) * 100) / 100;
      }
      before.push(unitsByProduct[productId]![date]!);
      earlier.get(productId)!.set(weekday, before);
    }
  }
  const { soldOut: _known, ...rest } = history;
  return { ...rest, unitsByProduct };
}
