// Rolling-origin backtest: for every open day of a window, re-fit on all the history before it and
// forecast one day ahead; then score the engine and the seasonal-naive baseline on the same days.
import type { DemandForecast, SalesHistory } from '../domain.ts';
import { addDays, type LocalDate } from '../time/tenant-clock.ts';
import { forecastQuantile, forecastSeries, type ForecastOptions } from './forecaster.ts';
import { fitSeasonalNaive } from './models.ts';
import { demandSeries } from './series.ts';

export interface BacktestPoint {
  productId: string;
  date: LocalDate;
  actual: number;
  forecast: number;
  p10: number;
  p50: number;
  p90: number;
  baseline: number;
  method: string;
}

export interface AccuracyScores {
  wape: number;
  /** Mean absolute scaled error, scaled per product by the in-sample seasonal-naive (m = 7) error. */
  mase: number;
  /** (forecast − actual) summed, over actual summed: positive means over-forecasting. */
  bias: number;
}

export interface EngineScores extends AccuracyScores {
  pinball: { p10: number; p50: number; p90: number };
  /** Share of actuals inside [p10, p90]: 0.8 is the nominal coverage. */
  coverage: number;
}

export interface BacktestReport {
  window: { from: LocalDate; to: LocalDate; products: number; points: number };
  engine: EngineScores;
  seasonalNaive: AccuracyScores;
  methods: Record<string, number>;
  products: { productId: string; points: number; engine: AccuracyScores; seasonalNaive: AccuracyScores; method: string }[];
}

export interface BacktestInput {
  history: SalesHistory;
  productIds: readonly string[];
  from: LocalDate;
  to: LocalDate;
  options?: ForecastOptions;
  onProgress?: (done: number, total: number) => void;
}

export function rollingOriginBacktest(input: BacktestInput): BacktestPoint[] {
  const closed = new Set(input.history.closedDates);
  const points: BacktestPoint[] = [];
  const dates: LocalDate[] = [];
  for (let d = input.from; d <= input.to; d = addDays(d, 1)) if (!closed.has(d)) dates.push(d);
  let done = 0;
  for (const productId of input.productIds) {
    const full = input.history.unitsByProduct[productId] ?? {};
    for (const date of dates) {
      const actual = full[date];
      if (actual === undefined) continue;
      const historyEnd = addDays(date, -1);
      const series = demandSeries(input.history, productId, historyEnd, input.options?.holidays);
      const [forecast] = forecastSeries(series, productId, [date], historyEnd, input.options) as [DemandForecast];
      const baseline = fitSeasonalNaive(series).forecast(date, false);
      points.push({
        productId, date, actual, forecast: forecast.pointForecast, p10: forecastQuantile(forecast, 0.1), p50: forecastQuantile(forecast, 0.5),
        p90: forecastQuantile(forecast, 0.9), baseline: Number.isFinite(baseline) ? baseline : 0, method: forecast.method,
      });
    }
    done += 1;
    input.onProgress?.(done, input.productIds.length);
  }
  return points;
}

/** In-sample MAE of the seasonal-naive model on the history before `from`: the MASE scale. */
function maseScale(history: SalesHistory, productId: string, from: LocalDate): number {
  const series = demandSeries(history, productId, addDays(from, -1));
  const model = fitSeasonalNaive(series);
  let total = 0;
  let count = 0;
  model.oneStep.forEach((predicted, t) => {
    if (Number.isNaN(predicted)) return;
    total += Math.abs(series.values[t]! - predicted);
    count += 1;
  });
  return count > 0 ? total / count : Number.NaN;
}

/** Weighted absolute percentage error: Σ|forecast − actual| / Σ actual over the points. */
export function wapeOf(points: readonly BacktestPoint[], pick: (p: BacktestPoint) => number): number {
  let absolute = 0;
  let actual = 0;
  for (const p of points) {
    absolute += Math.abs(pick(p) - p.actual);
    actual += p.actual;
  }
  return actual > 0 ? absolute / actual : Number.NaN;
}

function scores(points: readonly BacktestPoint[], pick: (p: BacktestPoint) => number, scale: (productId: string) => number): AccuracyScores {
  let signed = 0;
  let actual = 0;
  const scaledByProduct = new Map<string, { sum: number; n: number }>();
  for (const p of points) {
    const error = pick(p) - p.actual;
    signed += error;
    actual += p.actual;
    const s = scaledByProduct.get(p.productId) ?? { sum: 0, n: 0 };
    s.sum += Math.abs(error);
    s.n += 1;
    scaledByProduct.set(p.productId, s);
  }
  const mases = [...scaledByProduct].map(([id, s]) => s.sum / s.n / scale(id)).filter(Number.isFinite);
  return {
    wape: wapeOf(points, pick),
    mase: mases.length ? mases.reduce((a, b) => a + b, 0) / mases.length : Number.NaN,
    bias: actual > 0 ? signed / actual : Number.NaN,
  };
}

const pinball = (points: readonly BacktestPoint[], q: number, pick: (p: BacktestPoint) => number) =>
  points.reduce((t, p) => t + Math.max(q * (p.actual - pick(p)), (q - 1) * (p.actual - pick(p))), 0) / Math.max(points.length, 1);

export function scoreBacktest(history: SalesHistory, points: readonly BacktestPoint[], from: LocalDate, to: LocalDate): BacktestReport {
  const scaleCache = new Map<string, number>();
  const scale = (id: string) => {
    if (!scaleCache.has(id)) scaleCache.set(id, maseScale(history, id, from));
    return scaleCache.get(id)!;
  };
  const productIds = [...new Set(points.map((p) => p.productId))];
  const methods: Record<string, number> = {};
  for (const p of points) methods[p.method] = (methods[p.method] ?? 0) + 1;
  const round = (v: number) => Math.round(v * 10_000) / 10_000;
  const rounded = <T extends object>(o: T): T =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'number' ? round(v) : v && typeof v === 'object' ? rounded(v as object) : v])) as T;
  return {
    window: { from, to, products: productIds.length, points: points.length },
    engine: rounded({
      ...scores(points, (p) => p.forecast, scale),
      pinball: { p10: pinball(points, 0.1, (p) => p.p10), p50: pinball(points, 0.5, (p) => p.p50), p90: pinball(points, 0.9, (p) => p.p90) },
      coverage: points.filter((p) => p.actual >= p.p10 && p.actual <= p.p90).length / Math.max(points.length, 1),
    }),
    seasonalNaive: rounded(scores(points, (p) => p.baseline, scale)),
    methods,
    products: productIds.map((productId) => {
      const own = points.filter((p) => p.productId === productId);
      const counts = new Map<string, number>();
      for (const p of own) counts.set(p.method, (counts.get(p.method) ?? 0) + 1);
      return {
        productId,
        points: own.length,
        engine: rounded(scores(own, (p) => p.forecast, scale)),
        seasonalNaive: rounded(scores(own, (p) => p.baseline, scale)),
        method: [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '',
      };
    }),
  };
}
