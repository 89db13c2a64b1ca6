// Rolling-origin backtest, run as the product runs: from every day of a window, forecast the next
// seven days with the tenant's model, refitted every seven days like the weekly job; then score the
// engine and the seasonal-naive baseline on the same days, one day ahead and at each horizon.
import type { SalesHistory } from '../domain.ts';
import { addDays, daysBetween, type LocalDate } from '../time/tenant-clock.ts';
import { forecastQuantile } from './forecaster.ts';
import { fitSeasonalNaive } from './models.ts';
import { demandSeries } from './series.ts';
import { forecastWithModel, HORIZON_DAYS, type ModelOptions, type TenantModel } from './tenant-model.ts';

export interface BacktestPoint {
  productId: string;
  date: LocalDate;
  /** Days between the last day of history and `date`: 1 is one day ahead. */
  horizon: number;
  actual: number;
  forecast: number;
  p10: number;
  p50: number;
  p90: number;
  baseline: number;
  method: string;
}

interface AccuracyScores {
  wape: number;
  /** Mean absolute scaled error, scaled per product by the in-sample seasonal-naive (m = 7) error. */
  mase: number;
  /** (forecast − actual) summed, over actual summed: positive means over-forecasting. */
  bias: number;
}

interface EngineScores extends AccuracyScores {
  pinball: { p10: number; p50: number; p90: number };
  /** Share of actuals inside [p10, p90]: 0.8 is the nominal coverage. */
  coverage: number;
}

interface HorizonScores {
  horizon: number;
  points: number;
  wape: number;
  coverage: number;
}

export interface BacktestReport {
  window: { from: LocalDate; to: LocalDate; products: number; points: number };
  /** One day ahead. */
  engine: EngineScores;
  /** 1…7 days ahead: procurement's later days get the wider spread they have. */
  horizons: HorizonScores[];
  seasonalNaive: AccuracyScores;
  methods: Record<string, number>;
  /** The same backtest with daily drivers as features (`backtest-forecast --drivers`). */
  withDrivers?: { columns: string[]; engine: EngineScores; horizons: HorizonScores[] };
  products: {
    productId: string;
    points: number;
    engine: AccuracyScores;
    seasonalNaive: AccuracyScores;
    method: string;
  }[];
}

export interface BacktestInput {
  history: SalesHistory;
  productIds: readonly string[];
  from: LocalDate;
  to: LocalDate;
  options?: ModelOptions;
  /** Days between refits, like the weekly model-refit job. */
  refitEveryDays?: number;
  /**
   * Driver columns whose coming values are known at each origin (planned promotions, market days). The
   * others' values after each origin are hidden, as production has only forecasts of them (the weather,
   * not the weather that came): the model then reads them as unknown.
   */
  driversKnownAhead?: readonly string[];
  onProgress?: (done: number, total: number) => void;
}

/** The options as known at the end of `historyEnd`: the drivers not known ahead have no coming values. */
function knownAt(options: ModelOptions, historyEnd: LocalDate, knownAhead: readonly string[]): ModelOptions {
  const drivers = options.drivers;
  if (!drivers) return options;
  const hidden = drivers.columns.map((column) => !knownAhead.includes(column));
  if (!hidden.some(Boolean)) return options;
  const values: Record<LocalDate, number[]> = {};
  for (const [date, row] of Object.entries(drivers.values))
    values[date] = date <= historyEnd ? row : row.map((value, i) => (hidden[i] ? Number.NaN : value));
  return { ...options, drivers: { columns: drivers.columns, values } };
}

export function rollingOriginBacktest(input: BacktestInput): BacktestPoint[] {
  const closed = new Set(input.history.closedDates);
  const points: BacktestPoint[] = [];
  const holidays = input.options?.holidays;
  let model: TenantModel | null = null;
  const origins = daysBetween(input.from, input.to) + 1;
  for (let o = 0; o < origins; o += 1) {
    const historyEnd = addDays(input.from, o - 1);
    const dates: LocalDate[] = [];
    for (let h = 1; h <= HORIZON_DAYS; h += 1) {
      const date = addDays(historyEnd, h);
      if (date <= input.to && !closed.has(date)) dates.push(date);
    }
    if (dates.length === 0) continue;
    const run = forecastWithModel({
      history: input.history,
      productIds: input.productIds,
      dates,
      historyEnd,
      model,
      options: knownAt(input.options ?? {}, historyEnd, input.driversKnownAhead ?? []),
      staleAfterDays: input.refitEveryDays ?? 7,
    });
    model = run.model;
    const baselines = new Map(
      input.productIds.map((id) => [id, fitSeasonalNaive(demandSeries(input.history, id, historyEnd, holidays))]),
    );
    for (const forecast of run.forecasts) {
      const actual = input.history.unitsByProduct[forecast.productId]?.[forecast.forecastDate];
      if (actual === undefined) continue;
      const baseline = baselines.get(forecast.productId)!.forecast(forecast.forecastDate, false);
      points.push({
        productId: forecast.productId,
        date: forecast.forecastDate,
        horizon: daysBetween(historyEnd, forecast.forecastDate),
        actual,
        forecast: forecast.pointForecast,
        p10: forecastQuantile(forecast, 0.1),
        p50: forecastQuantile(forecast, 0.5),
        p90: forecastQuantile(forecast, 0.9),
        baseline: Number.isFinite(baseline) ? baseline : 0,
        method: forecast.method,
      });
    }
    input.onProgress?.(o + 1, origins);
  }
  return points.sort(
    (a, b) => a.productId.localeCompare(b.productId) || a.date.localeCompare(b.date) || a.horizon - b.horizon,
  );
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
function wapeOf(points: readonly BacktestPoint[], pick: (p: BacktestPoint) => number): number {
  let absolute = 0;
  let actual = 0;
  for (const p of points) {
    absolute += Math.abs(pick(p) - p.actual);
    actual += p.actual;
  }
  return actual > 0 ? absolute / actual : Number.NaN;
}

function scores(
  points: readonly BacktestPoint[],
  pick: (p: BacktestPoint) => number,
  scale: (productId: string) => number,
): AccuracyScores {
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

/** The pinball (quantile) loss of predicting `predicted` as the q-quantile when `actual` came. */
export const quantileLoss = (q: number, actual: number, predicted: number) =>
  Math.max(q * (actual - predicted), (q - 1) * (actual - predicted));

const pinball = (points: readonly BacktestPoint[], q: number, pick: (p: BacktestPoint) => number) =>
  points.reduce((t, p) => t + quantileLoss(q, p.actual, pick(p)), 0) / Math.max(points.length, 1);

const coverageOf = (points: readonly BacktestPoint[]) =>
  points.filter((p) => p.actual >= p.p10 && p.actual <= p.p90).length / Math.max(points.length, 1);

/** Scores one day ahead (points of horizon 1), and the WAPE and p10–p90 coverage at every horizon. */
export function scoreBacktest(
  history: SalesHistory,
  allPoints: readonly BacktestPoint[],
  from: LocalDate,
  to: LocalDate,
): BacktestReport {
  const points = allPoints.filter((p) => p.horizon === 1);
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
    Object.fromEntries(
      Object.entries(o).map(([k, v]) => [
        k,
        typeof v === 'number' ? round(v) : v && typeof v === 'object' ? rounded(v as object) : v,
      ]),
    ) as T;
  return {
    window: { from, to, products: productIds.length, points: points.length },
    engine: rounded({
      ...scores(points, (p) => p.forecast, scale),
      pinball: {
        p10: pinball(points, 0.1, (p) => p.p10),
        p50: pinball(points, 0.5, (p) => p.p50),
        p90: pinball(points, 0.9, (p) => p.p90),
      },
      coverage: coverageOf(points),
    }),
    horizons: [...new Set(allPoints.map((p) => p.horizon))]
      .sort((a, b) => a - b)
      .map((horizon) => {
        const at = allPoints.filter((p) => p.horizon === horizon);
        return rounded({ horizon, points: at.length, wape: wapeOf(at, (p) => p.forecast), coverage: coverageOf(at) });
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
