// Sold-out days are lower bounds on demand, not demand: a product that ran out at 11:00 would have sold
// more. Learned as they are, they pull the forecast down, the next plan bakes less, sells out again,
// and the best sellers shrink (censored-demand bias). Before any model sees the history, each sold-out
// day's sales are replaced by the demand expected given that it was at least that much: the mean of a
// normal demand distribution truncated below at the sales, the distribution estimated from the same
// weekday's earlier days (sold-out ones as they were imputed). Only earlier days are used, so a past
// day never learns from what came after it (the backtest stays honest).
import type { SalesHistory } from '../domain.ts';
import { addDays, type LocalDate, weekdayOf } from '../time/tenant-clock.ts';

/** Same-weekday days before a sold-out day that describe its demand. */
const NEIGHBOURS = 4;
/** Open days before a sold-out day that say how the level moved lately. */
const LEVEL_DAYS = 6;
/** With fewer of them, the day keeps its sales (nothing to estimate from). */
const MIN_NEIGHBOURS = 3;

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
 * How the last week's open days compare with the same days a week before (clipped to 0.7–1.4): the
 * same weekday's earlier days, scaled by it, follow a level that moved since.
 */
function recentLevel(dates: readonly LocalDate[], index: number, units: Readonly<Record<LocalDate, number>>): number {
  let now = 0;
  let before = 0;
  for (const date of dates.slice(Math.max(0, index - LEVEL_DAYS), index)) {
    const weekEarlier = units[addDays(date, -7)];
    if (weekEarlier === undefined) continue;
    now += units[date]!;
    before += weekEarlier;
  }
  return before > 0 ? Math.min(1.4, Math.max(0.7, now / before)) : 1;
}

/**
 * The history with each sold-out day's sales replaced by its expected demand (see above); without
 * sold-out days, the history itself. The result has no sold-out days left, so applying it twice is
 * applying it once.
 */
export function uncensoredHistory(history: SalesHistory): SalesHistory {
  const soldOut = history.soldOut;
  if (!soldOut || Object.keys(soldOut).length === 0) return history;
  const closed = new Set(history.closedDates);
  const unitsByProduct = { ...history.unitsByProduct };
  for (const [productId, days] of Object.entries(soldOut)) {
    const byDate = history.unitsByProduct[productId];
    if (!byDate || days.length === 0) continue;
    const censored = new Set(days);
    const imputed: Record<LocalDate, number> = Object.assign(Object.create(null), byDate);
    const dates = Object.keys(byDate)
      .filter((d) => !closed.has(d))
      .sort();
    const byWeekday = new Map<number, LocalDate[]>();
    for (const [k, date] of dates.entries()) {
      const weekday = weekdayOf(date);
      const earlier = byWeekday.get(weekday) ?? [];
      if (censored.has(date)) {
        const values = earlier.slice(-NEIGHBOURS).map((d) => imputed[d]!);
        if (values.length >= MIN_NEIGHBOURS) {
          const mean = (values.reduce((a, b) => a + b, 0) / values.length) * recentLevel(dates, k, imputed);
          const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1);
          // Counts vary at least as a Poisson count would.
          const sd = Math.max(Math.sqrt(variance), Math.sqrt(Math.max(mean, 1)));
          imputed[date] = Math.round(truncatedMean(mean, sd, byDate[date]!) * 100) / 100;
        }
      }
      earlier.push(date);
      byWeekday.set(weekday, earlier);
    }
    unitsByProduct[productId] = imputed;
  }
  const { soldOut: _known, ...rest } = history;
  return { ...rest, unitsByProduct };
}
