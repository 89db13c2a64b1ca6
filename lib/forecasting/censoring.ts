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
import { addDays, type LocalDate, weekdayOf } from '../time/tenant-clock.ts';

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

/**
 * The expected demand of each sold-out day (see above), by product and date; empty without sold-out
 * days. Runs on dense arrays (products × open days) and copies nothing: the daily scoring calls it.
 */
export function soldOutDemand(history: SalesHistory): Map<string, Map<LocalDate, number>> {
  const imputed = new Map<string, Map<LocalDate, number>>();
  const soldOut = history.soldOut;
  if (!soldOut) return imputed;
  const products = Object.keys(history.unitsByProduct);
  let lastSoldOut = '';
  for (const id of products) for (const date of soldOut[id] ?? []) if (date > lastSoldOut) lastSoldOut = date;
  if (lastSoldOut === '') return imputed;
  const closed = new Set(history.closedDates);
  // The open days from the first sale to the last sold-out day: those a sold-out day can learn from.
  let first = lastSoldOut;
  for (const id of products) for (const date in history.unitsByProduct[id]) if (date < first) first = date;
  const dates: LocalDate[] = [];
  for (let date = first; date <= lastSoldOut; date = addDays(date, 1)) if (!closed.has(date)) dates.push(date);
  const dayIndex = new Map(dates.map((date, t) => [date, t]));
  const days = dates.length;
  // Units by product and open day (NaN: no sales row), and the sold-out ones.
  const units = new Float64Array(products.length * days).fill(Number.NaN);
  const censored = new Uint8Array(products.length * days);
  const dayHasSoldOut = new Uint8Array(days);
  products.forEach((id, p) => {
    const byDate = history.unitsByProduct[id]!;
    for (let t = 0; t < days; t += 1) {
      const value = byDate[dates[t]!];
      if (value !== undefined) units[p * days + t] = value;
    }
    for (const date of soldOut[id] ?? []) {
      const t = dayIndex.get(date);
      if (t === undefined || Number.isNaN(units[p * days + t]!)) continue;
      censored[p * days + t] = 1;
      dayHasSoldOut[t] = 1;
    }
  });
  // Each product's last NEIGHBOURS days of each weekday (sold-out ones as imputed), in a ring, and their sum.
  const recent = new Float64Array(products.length * 8 * NEIGHBOURS);
  const seen = new Int32Array(products.length * 8);
  const sums = new Float64Array(products.length * 8);
  const usualMean = (slot: number) => {
    const n = Math.min(seen[slot]!, NEIGHBOURS);
    return n >= MIN_NEIGHBOURS ? sums[slot]! / n : Number.NaN;
  };
  const usualSd = (slot: number, mean: number) => {
    const n = Math.min(seen[slot]!, NEIGHBOURS);
    let squares = 0;
    for (let i = 0; i < n; i += 1) squares += (recent[slot * NEIGHBOURS + i]! - mean) ** 2;
    return Math.sqrt(squares / (n - 1));
  };
  for (let t = 0; t < days; t += 1) {
    const weekday = weekdayOf(dates[t]!);
    if (dayHasSoldOut[t]) {
      // How busy the day was: what the products that did not sell out sold, against their usual.
      let sold = 0;
      let expected = 0;
      for (let p = 0; p < products.length; p += 1) {
        const value = units[p * days + t]!;
        if (Number.isNaN(value) || censored[p * days + t]) continue;
        const mean = usualMean(p * 8 + weekday);
        if (Number.isNaN(mean)) continue;
        sold += value;
        expected += mean;
      }
      const factor = expected > 0 ? Math.min(DAY_FACTOR.max, Math.max(DAY_FACTOR.min, sold / expected)) : 1;
      for (let p = 0; p < products.length; p += 1) {
        if (!censored[p * days + t]) continue;
        const slot = p * 8 + weekday;
        const usual = usualMean(slot);
        if (Number.isNaN(usual)) continue;
        const mean = usual * factor;
        // Counts vary at least as a Poisson count would.
        const sd = Math.max(SPREAD_SHARE * usualSd(slot, usual), Math.sqrt(Math.max(mean, 1)));
        const value = Math.round(truncatedMean(mean, sd, units[p * days + t]!) * 100) / 100;
        units[p * days + t] = value;
        const byDate = imputed.get(products[p]!) ?? imputed.set(products[p]!, new Map()).get(products[p]!)!;
        byDate.set(dates[t]!, value);
      }
    }
    for (let p = 0; p < products.length; p += 1) {
      const value = units[p * days + t]!;
      if (Number.isNaN(value)) continue;
      const slot = p * 8 + weekday;
      const at = slot * NEIGHBOURS + (seen[slot]! % NEIGHBOURS);
      sums[slot] = sums[slot]! - recent[at]! + value;
      recent[at] = value;
      seen[slot] = seen[slot]! + 1;
    }
  }
  return imputed;
}

/**
 * The history with each sold-out day's sales replaced by its expected demand (`soldOutDemand`);
 * without sold-out days, the history itself. The result has no sold-out days left, so applying it
 * twice is applying it once.
 */
export function uncensoredHistory(history: SalesHistory): SalesHistory {
  if (!history.soldOut || Object.values(history.soldOut).every((days) => days.length === 0)) return history;
  const { soldOut: _known, ...rest } = history;
  const unitsByProduct = { ...history.unitsByProduct };
  for (const [productId, demand] of soldOutDemand(history))
    unitsByProduct[productId] = Object.assign(
      Object.create(null),
      unitsByProduct[productId],
      Object.fromEntries(demand),
    );
  return { ...rest, unitsByProduct };
}
