// The forecaster: fits every model on a product's history, keeps the one with the smallest recent
// one-step error, and derives quantiles from that model's own recent errors.
import type { DemandForecast, SalesHistory } from '../domain.ts';
import type { LocalDate } from '../time/tenant-clock.ts';
import { uncensoredHistory } from './censoring.ts';
import { type FittedModel, MODELS, type ModelName } from './models.ts';
import { type DemandSeries, demandSeries, recentPart } from './series.ts';

export interface ForecastOptions {
  holidays?: ReadonlySet<LocalDate>;
  /** Recent open days over which models compete (one-step MAE). */
  selectionDays?: number;
  /** Recent open days whose errors shape the quantiles. */
  errorDays?: number;
  models?: readonly ModelName[];
}

const DEFAULTS = { selectionDays: 28, errorDays: 84, models: ['seasonal-naive', 'ets-weekday', 'tsb'] as ModelName[] };
/**
 * Models see the last year of open days. Older history costs time and, on the French bakery backtest,
 * accuracy too (WAPE 0.209 with two years, 0.207 with one).
 */
export const MAX_HISTORY_DAYS = 364;
/** Below this many open days no model is fitted; the forecast says so. */
export const MIN_HISTORY_DAYS = 14;

function sortedErrors(model: FittedModel, series: DemandSeries, days: number): number[] {
  const errors: number[] = [];
  for (let t = series.values.length - 1; t >= 0 && errors.length < days; t -= 1) {
    const predicted = model.oneStep[t]!;
    if (Number.isNaN(predicted) || series.holiday[t]) continue;
    const actual = series.values[t]!;
    if (model.errorKind === 'relative') {
      if (predicted > 0) errors.push(actual / predicted);
    } else errors.push(actual - predicted);
  }
  return errors.sort((a, b) => a - b);
}

function recentError(
  model: FittedModel,
  series: DemandSeries,
  days: number,
): { mae: number; wape: number | null; observations: number } {
  let absolute = 0;
  let actual = 0;
  let observations = 0;
  for (let t = series.values.length - 1; t >= 0 && observations < days; t -= 1) {
    const predicted = model.oneStep[t]!;
    if (Number.isNaN(predicted)) continue;
    absolute += Math.abs(series.values[t]! - predicted);
    actual += series.values[t]!;
    observations += 1;
  }
  return {
    mae: observations ? absolute / observations : Number.POSITIVE_INFINITY,
    wape: actual > 0 ? absolute / actual : null,
    observations,
  };
}

/** The q-quantile (0 ≤ q ≤ 1) of sorted, non-empty values, interpolated linearly between neighbours. */
export function quantileOfSorted(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  return sorted[lower]! + (sorted[Math.ceil(position)]! - sorted[lower]!) * (position - lower);
}

/** Beyond this share at either end, a forecast's errors are read as an exponential tail (errorQuantile). */
const TAIL_SHARE = 0.05;

/**
 * The q-quantile of a forecast's sorted errors: interpolated between the 5th and 95th percentiles;
 * beyond them an exponential tail, its scale the spacing of the 90th to 95th (10th to 5th)
 * percentiles, never further out than the interpolation towards the errors' extremes. Interpolating
 * to the largest of seventy held-out errors lets one outlier (a holiday, a one-off order) set the far
 * tail of every coming day; a fill rate bakes against that tail. p10, p50 and p90 are unchanged; the
 * measured effect on service policies is in docs/planning.md (bench:plan, both windows).
 */
function errorQuantile(sorted: readonly number[], q: number): number {
  const interpolated = quantileOfSorted(sorted, q);
  const at = (level: number) => quantileOfSorted(sorted, level);
  if (q > 1 - TAIL_SHARE)
    return Math.min(interpolated, exponentialTail(at(1 - TAIL_SHARE), at(1 - 2 * TAIL_SHARE), 1 - q));
  if (q < TAIL_SHARE) return Math.max(interpolated, exponentialTail(at(TAIL_SHARE), at(2 * TAIL_SHARE), q));
  return interpolated;
}

/**
 * The error with `beyond` of the outcomes further out, on an exponential tail that has TAIL_SHARE past
 * `edge` and twice that past `inner` (either side: the sign of edge − inner gives it).
 */
const exponentialTail = (edge: number, inner: number, beyond: number) =>
  edge + ((edge - inner) / Math.LN2) * Math.log(TAIL_SHARE / beyond);

/** The q-quantile (0 < q < 1) of a forecast's demand distribution, from its model's recent errors. */
export function forecastQuantile(forecast: Pick<DemandForecast, 'pointForecast' | 'errors'>, q: number): number {
  if (!(q > 0 && q < 1)) throw new RangeError(`A quantile level must be between 0 and 1, got ${q}.`);
  const { kind, sorted } = forecast.errors;
  if (sorted.length === 0) return forecast.pointForecast;
  const error = errorQuantile(sorted, q);
  return Math.max(0, kind === 'relative' ? forecast.pointForecast * error : forecast.pointForecast + error);
}

const round2 = (value: number) => Math.round(value * 100) / 100;

export function forecastSeries(
  fullSeries: DemandSeries,
  productId: string,
  dates: readonly LocalDate[],
  historyEnd: LocalDate,
  options: ForecastOptions = {},
): DemandForecast[] {
  const settings = { ...DEFAULTS, ...options };
  const series = recentPart(fullSeries, MAX_HISTORY_DAYS);
  if (series.values.length < MIN_HISTORY_DAYS) {
    return dates.map((forecastDate) => ({
      productId,
      forecastDate,
      pointForecast: 0,
      quantiles: { p10: 0, p50: 0, p90: 0 },
      method: 'no-history',
      accuracy: { wape: null, observations: 0 },
      historyEnd,
      errors: { kind: 'absolute', sorted: [] },
    }));
  }
  let best: { model: FittedModel; error: ReturnType<typeof recentError> } | null = null;
  for (const name of settings.models) {
    const model = MODELS[name](series);
    const error = recentError(model, series, settings.selectionDays);
    if (!best || error.mae < best.error.mae) best = { model, error };
  }
  const { model, error } = best!;
  const errors = {
    kind: model.errorKind,
    sorted: sortedErrors(model, series, settings.errorDays).map((e) => Math.round(e * 10_000) / 10_000),
  };
  return dates.map((forecastDate) => {
    const point = Math.max(0, model.forecast(forecastDate, settings.holidays?.has(forecastDate) ?? false));
    const forecast = { pointForecast: Number.isFinite(point) ? round2(point) : 0, errors };
    return {
      productId,
      forecastDate,
      ...forecast,
      quantiles: {
        p10: round2(forecastQuantile(forecast, 0.1)),
        p50: round2(forecastQuantile(forecast, 0.5)),
        p90: round2(forecastQuantile(forecast, 0.9)),
      },
      method: model.name,
      accuracy: { wape: error.wape === null ? null : round2(error.wape), observations: error.observations },
      historyEnd,
    };
  });
}

/** Forecasts each product for each date from the history up to `historyEnd` (inclusive). */
export function forecastDemand(
  history: SalesHistory,
  productIds: readonly string[],
  dates: readonly LocalDate[],
  historyEnd: LocalDate,
  options: ForecastOptions = {},
): DemandForecast[] {
  const demand = uncensoredHistory(history);
  return productIds.flatMap((productId) =>
    forecastSeries(
      demandSeries(demand, productId, historyEnd, options.holidays),
      productId,
      dates,
      historyEnd,
      options,
    ),
  );
}
