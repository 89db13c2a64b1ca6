// Seasonal naive by weekday: tomorrow sells what the same weekday sold last week. Quantiles come from
// the method's own recent one-week-ahead errors, and its accuracy (WAPE) from the same backtest.
import type { DemandForecast, SalesHistory } from '../domain.ts';
import { addDays, type LocalDate } from '../time/tenant-clock.ts';

export const SEASONAL_NAIVE = 'seasonal-naive-weekday';
/** How many weeks back to look for an open same weekday before giving up. */
const MAX_WEEKS_BACK = 8;
/** How many recent open days the error distribution and the accuracy are measured on. */
const BACKTEST_DAYS = 56;

type DailyUnits = Record<LocalDate, number>;

/** The units of the most recent open same weekday on or before `latest`, or null. */
function sameWeekdayValue(units: DailyUnits, closed: ReadonlySet<LocalDate>, target: LocalDate, latest: LocalDate): number | null {
  let date = addDays(target, -7);
  while (date > latest) date = addDays(date, -7);
  for (let tries = 0; tries < MAX_WEEKS_BACK; tries += 1, date = addDays(date, -7)) {
    const sold = units[date];
    if (sold !== undefined && !closed.has(date)) return sold;
  }
  return null;
}

function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const position = (sorted.length - 1) * p;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}

interface Backtest {
  errors: number[];
  wape: number | null;
}

/** One-week-ahead errors (actual − forecast) of the method over the last BACKTEST_DAYS open days. */
function backtest(units: DailyUnits, closed: ReadonlySet<LocalDate>, historyEnd: LocalDate): Backtest {
  const errors: number[] = [];
  let absoluteError = 0;
  let actualTotal = 0;
  for (let offset = 0; offset < BACKTEST_DAYS; offset += 1) {
    const date = addDays(historyEnd, -offset);
    const actual = units[date];
    if (actual === undefined || closed.has(date)) continue;
    const predicted = sameWeekdayValue(units, closed, date, addDays(date, -1));
    if (predicted === null) continue;
    errors.push(actual - predicted);
    absoluteError += Math.abs(actual - predicted);
    actualTotal += actual;
  }
  return { errors: errors.sort((a, b) => a - b), wape: actualTotal > 0 ? absoluteError / actualTotal : null };
}

/**
 * Forecasts each product for each date from the history up to `historyEnd` (inclusive). A product
 * with no open same weekday in reach gets a zero forecast marked `no-history`.
 */
export function forecastSeasonalNaive(
  history: SalesHistory,
  productIds: readonly string[],
  forecastDates: readonly LocalDate[],
  historyEnd: LocalDate,
): DemandForecast[] {
  const closed = new Set(history.closedDates);
  const forecasts: DemandForecast[] = [];
  for (const productId of productIds) {
    const units = history.unitsByProduct[productId] ?? {};
    const { errors, wape } = backtest(units, closed, historyEnd);
    for (const forecastDate of forecastDates) {
      const point = sameWeekdayValue(units, closed, forecastDate, historyEnd);
      if (point === null) {
        forecasts.push({
          productId, forecastDate, pointForecast: 0, quantiles: { p10: 0, p50: 0, p90: 0 },
          method: 'no-history', accuracy: { wape: null, observations: 0 }, historyEnd,
        });
        continue;
      }
      const at = (p: number) => Math.max(0, round2(point + quantile(errors, p)));
      forecasts.push({
        productId,
        forecastDate,
        pointForecast: point,
        quantiles: { p10: at(0.1), p50: at(0.5), p90: at(0.9) },
        method: SEASONAL_NAIVE,
        accuracy: { wape: wape === null ? null : round2(wape), observations: errors.length },
        historyEnd,
      });
    }
  }
  return forecasts;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
