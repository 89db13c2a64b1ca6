// The windows bench:forecast adds to the one the engine's settings were chosen on (French top 20,
// 2022-07-01..09-30): a second window of the same bakery (2022-04-01..06-30), the main window with the
// history cut to its last 8, 12 and 26 weeks, and the sparse items (the products ranked 21–30 by
// units, counts of a few a day). Each is the engine's rolling-origin backtest (1–7 days ahead, refitted
// every seven days) next to two baselines one day ahead: seasonal naive (the same weekday a week
// before) and SES × weekday (simple exponential smoothing of the weekday-adjusted sales, its constant
// chosen on the history by one-step error, times the weekday's factor over the last twelve weeks).
import type { SalesHistory } from '../lib/domain.ts';
import { type BacktestPoint, quantileLoss, rollingOriginBacktest } from '../lib/forecasting/backtest.ts';
import { demandSeries } from '../lib/forecasting/series.ts';
import { addDays, type LocalDate } from '../lib/time/tenant-clock.ts';
import { FRENCH_WINDOW, frenchBakeryHistory, frenchHolidays, SECOND_WINDOW } from './french-bakery.ts';

const ALPHAS = [0.05, 0.1, 0.2, 0.3, 0.5];
const FACTOR_DAYS = 84;

/** SES × weekday one open day ahead of `historyEnd` (see the header); NaN without four weeks of history. */
export function sesWeekday(history: SalesHistory, productId: string, historyEnd: LocalDate, target: LocalDate): number {
  const series = demandSeries(history, productId, historyEnd);
  const n = series.values.length;
  if (n < 28) return Number.NaN;
  const since = addDays(historyEnd, -FACTOR_DAYS + 1);
  const sums = new Map<number, { total: number; days: number }>();
  let total = 0;
  let days = 0;
  series.dates.forEach((date, i) => {
    if (date < since) return;
    const s = sums.get(series.weekdays[i]!) ?? { total: 0, days: 0 };
    s.total += series.values[i]!;
    s.days += 1;
    sums.set(series.weekdays[i]!, s);
    total += series.values[i]!;
    days += 1;
  });
  const mean = total / days;
  const factor = (weekday: number) => {
    const s = sums.get(weekday);
    return mean > 0 && s && s.days > 0 ? s.total / s.days / mean : 1;
  };
  const adjusted = series.values.map((v, i) => v / Math.max(factor(series.weekdays[i]!), 0.05));
  let best = { error: Number.POSITIVE_INFINITY, level: adjusted[0]! };
  for (const alpha of ALPHAS) {
    let level = adjusted[0]!;
    let error = 0;
    for (let i = 1; i < n; i += 1) {
      error += Math.abs(adjusted[i]! - level);
      level = alpha * adjusted[i]! + (1 - alpha) * level;
    }
    if (error < best.error) best = { error, level };
  }
  const weekday = ((new Date(`${target}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
  return best.level * factor(weekday);
}

interface WindowResult {
  window: string;
  from: LocalDate;
  to: LocalDate;
  products: number;
  historyFrom: LocalDate;
  points: number;
  engine: number;
  seasonalNaive: number;
  sesWeekday: number;
  /** Best of the two baselines. */
  bestBaseline: number;
  /** Share of actuals within p10–p90, per horizon 1…7. */
  coverage: number[];
  /** The pinball loss of p10, p50 and p90 summed over every point (days 1…7), over the units sold: lower is better. */
  pinball: number;
}

/** WAPE of forecasts at the points (one each); a forecast not given (undefined or NaN) counts as 0. */
export function wapeAt(
  points: readonly BacktestPoint[],
  forecasts: readonly (number | undefined)[],
): { wape: number; missing: number } {
  let absolute = 0;
  let actual = 0;
  let missing = 0;
  points.forEach((p, i) => {
    const value = forecasts[i];
    const given = value !== undefined && Number.isFinite(value);
    if (!given) missing += 1;
    absolute += Math.abs((given ? value : 0) - p.actual);
    actual += p.actual;
  });
  return { wape: actual > 0 ? absolute / actual : Number.NaN, missing };
}
export const round = (v: number) => Math.round(v * 10_000) / 10_000;

/** A window: the history a bakery would have had, and the days forecast from. */
export interface ForecastWindow {
  name: string;
  history: SalesHistory;
  from: LocalDate;
  to: LocalDate;
}

/** The engine's rolling-origin backtest over a window, 1–7 days ahead. */
export function backtestWindow(
  window: ForecastWindow,
  onProgress: (label: string, done: number, total: number) => void,
): BacktestPoint[] {
  return rollingOriginBacktest({
    history: window.history,
    productIds: Object.keys(window.history.unitsByProduct),
    from: window.from,
    to: window.to,
    options: { holidays: frenchHolidays() },
    onProgress: (done, total) => onProgress(window.name, done, total),
  });
}

/** SES × weekday at each one-day-ahead point (NaN where it has too little history). */
export function sesWeekdayAt(window: ForecastWindow, oneDay: readonly BacktestPoint[]): number[] {
  return oneDay.map((p) => sesWeekday(window.history, p.productId, addDays(p.date, -1), p.date));
}

function windowResult(window: ForecastWindow, points: readonly BacktestPoint[]): WindowResult {
  const oneDay = points.filter((p) => p.horizon === 1);
  const ses = sesWeekdayAt(window, oneDay);
  const naive = wapeAt(
    oneDay,
    oneDay.map((p) => p.baseline),
  ).wape;
  const smoothing = wapeAt(oneDay, ses).wape;
  return {
    window: window.name,
    from: window.from,
    to: window.to,
    products: Object.keys(window.history.unitsByProduct).length,
    historyFrom: historyStart(window),
    points: oneDay.length,
    engine: round(
      wapeAt(
        oneDay,
        oneDay.map((p) => p.forecast),
      ).wape,
    ),
    seasonalNaive: round(naive),
    sesWeekday: round(smoothing),
    bestBaseline: round(Math.min(naive, smoothing)),
    coverage: [1, 2, 3, 4, 5, 6, 7].map((h) => {
      const at = points.filter((p) => p.horizon === h);
      return round(at.filter((p) => p.actual >= p.p10 && p.actual <= p.p90).length / at.length);
    }),
    pinball: round(
      points.reduce(
        (t, p) =>
          t +
          quantileLoss(0.1, p.actual, p.p10) +
          quantileLoss(0.5, p.actual, p.p50) +
          quantileLoss(0.9, p.actual, p.p90),
        0,
      ) / points.reduce((t, p) => t + p.actual, 0),
    ),
  };
}

/** The window's first day of sales. */
export function historyStart(window: ForecastWindow): LocalDate {
  return Object.values(window.history.unitsByProduct)
    .flatMap((byDate) => Object.keys(byDate))
    .sort()[0]!;
}

/** The history from `start` on (what a bakery that began then would have). */
function historyFrom(history: SalesHistory, start: LocalDate): SalesHistory {
  return {
    ...history,
    unitsByProduct: Object.fromEntries(
      Object.entries(history.unitsByProduct).map(([id, byDate]) => [
        id,
        Object.fromEntries(Object.entries(byDate).filter(([date]) => date >= start)),
      ]),
    ),
    closedDates: history.closedDates.filter((date) => date >= start),
  };
}

/** The windows (see the header), the main one first. */
export function forecastWindows(): ForecastWindow[] {
  const { from, to, top } = FRENCH_WINDOW;
  const main = frenchBakeryHistory(top).history;
  const thirty = frenchBakeryHistory(30);
  const sparse: SalesHistory = {
    ...thirty.history,
    unitsByProduct: Object.fromEntries(
      thirty.productIds.slice(top).map((id) => [id, thirty.history.unitsByProduct[id]!]),
    ),
  };
  return [
    { name: 'main (settings chosen here)', history: main, from, to },
    { name: 'second window', history: main, ...SECOND_WINDOW },
    ...[26, 12, 8].map((weeks) => ({
      name: `${weeks} weeks of history`,
      history: historyFrom(main, addDays(from, -7 * weeks)),
      from,
      to,
    })),
    { name: 'sparse items (ranks 21–30)', history: sparse, from, to },
  ];
}

export function robustnessWindows(onProgress: (label: string, done: number, total: number) => void): WindowResult[] {
  return forecastWindows().map((window) => windowResult(window, backtestWindow(window, onProgress)));
}
