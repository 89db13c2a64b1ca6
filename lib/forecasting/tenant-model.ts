// A tenant's fitted forecasting models: the global model over all its products, and per product the
// best of its own models, how much to trust the global one, and the spread of its errors at each
// horizon. Fitting is the weekly work (seconds); scoring is the daily work (milliseconds).
import type { DailyDrivers, DemandForecast, SalesHistory } from '../domain.ts';
import { addDays, daysBetween, earlierDate, type LocalDate, laterDate } from '../time/tenant-clock.ts';
import { soldOutDemand, uncensoredHistory } from './censoring.ts';
import {
  forecastQuantile,
  forecastSeries,
  MAX_HISTORY_DAYS,
  MIN_HISTORY_DAYS,
  quantileOfSorted,
} from './forecaster.ts';
import type { GbtModel } from './gbt.ts';
import {
  type Calendar,
  calendarOf,
  fillUnknownDrivers,
  forecastGlobal,
  GLOBAL_FEATURES,
  seriesOnCalendar,
  trainGlobalModel,
  unitsOnCalendar,
} from './global-model.ts';
import { type FittedModel, MODELS, type ModelName } from './models.ts';
import { type DemandSeries, demandSeries, recentPart, seriesPart } from './series.ts';

/** The stored model's format: a model of another one is refitted, never misread. */
export const MODEL_FORMAT = 2;
/** Forecasts reach this many days ahead; errors are measured at each of these horizons. */
export const HORIZON_DAYS = 7;
/** Calendar days of sales scoring reads: the local models' year of open days, closures included. */
export const SCORING_HISTORY_DAYS = MAX_HISTORY_DAYS + 7;
/** The global model learns from two years: the day of the year means something only with a year before it. */
const TRAINING_DAYS = 728;
/**
 * A tenant with more history is also tried on all of it, up to five years: the global model keeps the
 * longer history when its held-out one-day error is at least LONGER_HISTORY_GAIN lower.
 */
export const MAX_TRAINING_DAYS = 1820;
/** The longer history is tried only when it adds at least half a year to the two. */
const MIN_LONGER_DAYS = 182;
const LONGER_HISTORY_GAIN = 0.01;
/** The last weeks before a fit are held out: every candidate forecasts them, and the errors decide. */
const HOLDOUT_DAYS = 70;
/** Weights of the global model in a product's blend; 0 is its own model alone. */
const GLOBAL_WEIGHTS = [1, 0.75, 0.5, 0.25, 0] as const;
/**
 * A product leaves the global model only for a blend at least this much better on held-out error:
 * ten weeks of one product's errors are noisy. On the French bakery, choosing freely among the blends
 * scored WAPE 0.177 against 0.173 with the margin (0.183 against 0.174 with eight held-out weeks).
 */
const BLEND_MARGIN = 0.05;
const LOCAL_MODELS: readonly ModelName[] = ['seasonal-naive', 'ets-weekday', 'tsb'];
/**
 * The steady reference, weekday-scaled smoothing (SES × weekday): where, over the tenant's held-out
 * days, the chosen blends do not beat it by more than noise — the daily sum across products of the
 * reference's absolute one-day errors less the blends' averages less than REFERENCE_T standard errors
 * above zero — each product's forecast is REFERENCE_SHARE of the reference and the rest of its blend.
 * Short histories and sparse items then lean on it; a mature tenant's global model keeps its lead.
 * Both constants were chosen on bench:forecast's windows (docs/benchmarks.md): REFERENCE_T 2 and a
 * share of 0.7 left no window behind the baselines by more than 0.0003 (a test at one standard error, a
 * share of 0.5, or the reference alone each left one or two windows 0.002–0.007 behind).
 */
const REFERENCE_MODEL: ModelName = 'ses-weekday';
const REFERENCE_T = 2;
const REFERENCE_SHARE = 0.7;
const HELD_OUT_MODELS: readonly ModelName[] = [...LOCAL_MODELS, REFERENCE_MODEL];
/** Errors are kept at these percentiles (0, 5, … 100): enough for any quantile, small to store. */
const ERROR_PERCENTILES = Array.from({ length: 21 }, (_, i) => i / 20);
/** A product with fewer held-out days gets no model: it is fitted on the fly each day. */
const MIN_HELD_OUT_DAYS = 14;
/** A horizon with fewer held-out errors borrows the previous horizon's. */
const MIN_HORIZON_ERRORS = 10;

export interface ProductModel {
  local: ModelName;
  /** The local model's fitted parameters: scoring keeps them and only filters the new days. */
  parameters: Record<string, number>;
  globalWeight: number;
  /**
   * When the blends were not clearly better than the steady reference: its share of the forecast, and
   * the constant the fit chose (for the record: scoring chooses it again on the latest sales).
   */
  reference?: { weight: number; parameters: Record<string, number> };
  errorKind: 'relative' | 'absolute';
  /** For horizons 1…HORIZON_DAYS: held-out errors at ERROR_PERCENTILES. */
  errorsByHorizon: number[][];
  /** One-day-ahead WAPE of the chosen blend on the held-out weeks. */
  holdout: { wape: number | null; observations: number };
}

export interface TenantModel {
  format: typeof MODEL_FORMAT;
  /** The last day of sales the model saw. */
  historyEnd: LocalDate;
  global: GbtModel | null;
  products: Record<string, ProductModel>;
  training: {
    from: LocalDate;
    rows: number;
    holdoutDays: number;
    features: string[];
    /** The driver columns the model reads (those the held-out weeks showed helping). */
    drivers: string[];
    /** The driver columns the tenant had when it was fitted (absent: none). */
    driversOffered?: string[];
    /**
     * When the tenant had more than two years and a half of sales: the held-out one-day error (summed
     * over products) of the global model trained on the last two years and on all of it (`from` says
     * which was kept).
     */
    historyTried?: { recentFrom: LocalDate; recentError: number; longerFrom: LocalDate; longerError: number };
    milliseconds: number;
  };
}

export interface ModelOptions {
  holidays?: ReadonlySet<LocalDate>;
  drivers?: DailyDrivers;
}

export interface HeldOut {
  /** The target day. */
  date: LocalDate;
  horizon: number;
  /** The target is the next open day after the origin. */
  nextOpenDay: boolean;
  actual: number;
  local: Record<string, number>;
  global: number;
}

/**
 * A horizon's held-out errors at ERROR_PERCENTILES, centred on their median (ratios divided by it,
 * differences less it): the point forecast is the forecast's median, and the held-out weeks give its
 * spread, not a bias to carry into the coming weeks, which may run the other way.
 */
function spreadOf(errors: readonly number[], kind: ProductModel['errorKind']): number[] {
  const sorted = [...errors].sort((a, b) => a - b);
  const median = quantileOfSorted(sorted, 0.5);
  const centred =
    kind === 'absolute' ? sorted.map((e) => e - median) : median > 0 ? sorted.map((e) => e / median) : sorted;
  const widen = fewErrorsWidening(sorted.length);
  return ERROR_PERCENTILES.map((q) => {
    const level = Math.min(1, Math.max(0, 0.5 + (q - 0.5) * widen));
    return Math.round(quantileOfSorted(centred, level) * 10_000) / 10_000;
  });
}

/**
 * How much further from the median a spread of `n` held-out errors is read, so that its percentiles
 * cover what a full hold-out's (HOLDOUT_DAYS errors) do. The interval between two interpolated
 * percentiles of n errors covers (n − 1) ÷ (n + 1) of the share between them, in expectation: a
 * nominal p10–p90 (0.8) of 20 errors covers 0.72, of 70 errors 0.78. The spreads are calibrated on full
 * hold-outs; a young product or a short history, with fewer errors, is read further out to match.
 */
function fewErrorsWidening(n: number): number {
  if (n < 2) return 1;
  return Math.max(1, ((HOLDOUT_DAYS - 1) / (HOLDOUT_DAYS + 1)) * ((n + 1) / (n - 1)));
}

const MEDIAN = ERROR_PERCENTILES.indexOf(0.5);

/**
 * A later horizon's spread, each percentile at least as far from the median as one day ahead's: the
 * further ahead, the less is known, and ten weeks of one product's errors at one horizon are noisy.
 */
function atLeastAsWide(spread: number[], oneDay: readonly number[] | undefined): number[] {
  if (!oneDay?.length) return spread;
  const median = spread[MEDIAN]!;
  const before = oneDay[MEDIAN]!;
  // Kept at four decimals like the percentiles, rounded outwards.
  return spread.map((error, i) =>
    i < MEDIAN
      ? Math.min(error, Math.floor((median - (before - oneDay[i]!)) * 10_000) / 10_000)
      : Math.max(error, Math.ceil((median + (oneDay[i]! - before)) * 10_000) / 10_000),
  );
}

const blend = (h: HeldOut, local: string, weight: number) =>
  weight > 0 && Number.isFinite(h.global) ? weight * h.global + (1 - weight) * h.local[local]! : h.local[local]!;

interface Candidate {
  productId: string;
  series: DemandSeries;
  heldOut: HeldOut[];
  model: ProductModel;
}

/**
 * Whether the chosen blends beat the reference over the held-out days: each day's summed absolute
 * one-day error of the reference less the blends', across products, averages more than REFERENCE_T
 * standard errors above zero.
 */
function clearlyBetterThanReference(candidates: readonly Candidate[]): boolean {
  const byDay = new Map<LocalDate, number>();
  for (const { heldOut, model } of candidates)
    for (const h of heldOut) {
      if (!h.nextOpenDay) continue;
      const chosen = blend(h, model.local, model.globalWeight);
      const difference = Math.abs(h.actual - h.local[REFERENCE_MODEL]!) - Math.abs(h.actual - chosen);
      byDay.set(h.date, (byDay.get(h.date) ?? 0) + difference);
    }
  const differences = [...byDay.values()];
  if (differences.length < 2) return false;
  const mean = differences.reduce((a, b) => a + b, 0) / differences.length;
  const variance = differences.reduce((a, b) => a + (b - mean) ** 2, 0) / (differences.length - 1);
  return mean > REFERENCE_T * Math.sqrt(variance / differences.length);
}

interface Blend {
  local: ModelName;
  weight: number;
}

/**
 * The local model and global weight with the smallest one-day-ahead absolute error over `days`; a blend
 * other than the global model alone must be BLEND_MARGIN better.
 */
function chooseBlend(days: readonly HeldOut[], hasGlobal: boolean): Blend {
  let best = { local: 'ets-weekday' as ModelName, weight: 0, score: Number.POSITIVE_INFINITY };
  for (const local of LOCAL_MODELS) {
    for (const weight of hasGlobal ? GLOBAL_WEIGHTS : [0]) {
      const absolute = days.reduce((sum, h) => sum + Math.abs(h.actual - blend(h, local, weight)), 0);
      const score = weight === 1 ? absolute : absolute * (1 + BLEND_MARGIN);
      if (score < best.score - 1e-9) best = { local, weight, score };
    }
  }
  return { local: best.local, weight: best.weight };
}

/** Choosing a blend without a week needs at least this many one-day days left; with fewer, the spread keeps the chosen one. */
const MIN_FOLD_DAYS = 7;

/**
 * Chooses the product's local model and global weight by held-out one-day-ahead error; measures the
 * spread per horizon. With `referenceWeight`, the forecast is that share of the reference (the steady
 * weekday-scaled smoothing) and the rest of the chosen blend, and the spread is measured on that.
 *
 * The blend is the best of fifteen on the one-day errors, so its own one-day errors there flatter it
 * (part of its lead is luck). One day ahead's spread is therefore measured out of selection: each
 * held-out week's one-day errors are those of the blend chosen on the other weeks. Later horizons were
 * not chosen on; each keeps at least the chosen blend's own one-day width.
 */
export function chooseProductModel(
  series: DemandSeries,
  heldOut: HeldOut[],
  hasGlobal: boolean,
  referenceWeight = 0,
): ProductModel {
  const oneDay = heldOut.filter((h) => h.nextOpenDay);
  const best = chooseBlend(oneDay, hasGlobal);
  const predicted = (h: HeldOut, chosen: Blend = best) =>
    referenceWeight > 0
      ? (1 - referenceWeight) * blend(h, chosen.local, chosen.weight) + referenceWeight * h.local[REFERENCE_MODEL]!
      : blend(h, chosen.local, chosen.weight);
  const errorKind = best.weight > 0 || referenceWeight > 0 || best.local === 'ets-weekday' ? 'relative' : 'absolute';
  const errorsAt = (horizon: number, blendOf: (h: HeldOut) => Blend) => {
    const errors: number[] = [];
    for (const h of heldOut) {
      if (h.horizon !== horizon) continue;
      const value = predicted(h, blendOf(h));
      if (errorKind === 'absolute') errors.push(h.actual - value);
      else if (value > 0) errors.push(h.actual / value);
    }
    return errors;
  };
  const firstDay = heldOut.reduce((first, h) => earlierDate(first, h.date), heldOut[0]?.date ?? '');
  const week = (h: HeldOut) => Math.floor(daysBetween(firstDay, h.date) / 7);
  const chosenWithout = new Map<number, Blend>();
  const blendWithout = (w: number) => {
    if (!chosenWithout.has(w)) {
      const others = oneDay.filter((h) => week(h) !== w);
      chosenWithout.set(w, others.length >= MIN_FOLD_DAYS ? chooseBlend(others, hasGlobal) : best);
    }
    return chosenWithout.get(w)!;
  };
  const outOfSelection = errorsAt(1, (h) => blendWithout(week(h)));
  const chosenOneDay = errorsAt(1, () => best);
  const oneDayWidth = chosenOneDay.length ? spreadOf(chosenOneDay, errorKind) : undefined;
  const errorsByHorizon: number[][] = [outOfSelection.length ? spreadOf(outOfSelection, errorKind) : []];
  for (let horizon = 2; horizon <= HORIZON_DAYS; horizon += 1) {
    const errors = errorsAt(horizon, () => best);
    errorsByHorizon.push(
      errors.length >= MIN_HORIZON_ERRORS
        ? atLeastAsWide(spreadOf(errors, errorKind), oneDayWidth)
        : errorsByHorizon[horizon - 2]!,
    );
  }
  const actual = oneDay.reduce((sum, h) => sum + h.actual, 0);
  const absolute = oneDay.reduce((sum, h) => sum + Math.abs(h.actual - predicted(h)), 0);
  return {
    local: best.local,
    parameters: MODELS[best.local](series).parameters,
    globalWeight: best.weight,
    ...(referenceWeight > 0
      ? { reference: { weight: referenceWeight, parameters: MODELS[REFERENCE_MODEL](series).parameters } }
      : {}),
    errorKind,
    errorsByHorizon,
    holdout: {
      wape: actual > 0 ? Math.round((absolute / actual) * 10_000) / 10_000 : null,
      observations: oneDay.length,
    },
  };
}

/** How much better the drivers' held-out one-day error must be for them to enter the model. */
const DRIVER_GAIN = 0.01;

/** The training window, calendar and held-out global model, and the units on that calendar. */
interface TrainingWindow {
  from: LocalDate;
  calendar: Calendar;
  units: Float64Array[];
  heldOut: GbtModel | null;
}

/**
 * Two held-out global models' one-day-ahead absolute errors over the held-out weeks, summed over
 * products, on the days both forecast (their calendars end on the same day).
 */
function heldOutErrors(a: TrainingWindow, b: TrainingWindow): [number, number] {
  const oneDayAhead = (w: TrainingWindow, series: Float64Array, origin: number) =>
    forecastGlobal(w.heldOut!, w.calendar, series, origin, origin + 1)[origin + 1]!;
  const endA = a.calendar.dates.length - 1;
  const endB = b.calendar.dates.length - 1;
  let errorA = 0;
  let errorB = 0;
  a.units.forEach((seriesA, p) => {
    for (let ahead = HOLDOUT_DAYS; ahead >= 1; ahead -= 1) {
      const actual = seriesA[endA - ahead + 1]!;
      if (Number.isNaN(actual)) continue;
      const forecastA = oneDayAhead(a, seriesA, endA - ahead);
      const forecastB = oneDayAhead(b, b.units[p]!, endB - ahead);
      if (Number.isNaN(forecastA) || Number.isNaN(forecastB)) continue;
      errorA += Math.abs(actual - forecastA);
      errorB += Math.abs(actual - forecastB);
    }
  });
  return [errorA, errorB];
}

/**
 * Whether the candidate's held-out global model beats the incumbent's by at least `gain` (heldOutErrors),
 * with the two errors when both models exist.
 */
function heldOutChoice(
  candidate: TrainingWindow,
  incumbent: TrainingWindow,
  gain: number,
): { better: boolean; errors?: [candidate: number, incumbent: number] } {
  if (!candidate.heldOut) return { better: false };
  if (!incumbent.heldOut) return { better: true };
  const errors = heldOutErrors(candidate, incumbent);
  return { better: errors[0] < (1 - gain) * errors[1], errors };
}

/**
 * Fits the tenant's models on sales up to `historyEnd`. The last HOLDOUT_DAYS are first held out: the
 * global model and each local model, fitted without them, forecast them 1…7 days ahead from every
 * day; those errors choose each product's blend and measure its spread. Then all is refitted on
 * everything. Products with too little history get no model (their forecast says so).
 */
export function fitTenantModel(
  observed: SalesHistory,
  productIds: readonly string[],
  historyEnd: LocalDate,
  options: ModelOptions = {},
): TenantModel {
  const started = performance.now();
  const history = uncensoredHistory(observed);
  const holidays = options.holidays ?? new Set(history.holidays ?? []);
  const firstSale = Object.values(history.unitsByProduct)
    .flatMap((byDate) => Object.keys(byDate))
    .reduce(earlierDate, historyEnd);
  const windowFrom = (from: LocalDate, drivers: DailyDrivers | undefined): TrainingWindow => {
    const calendar = calendarOf(from, historyEnd, history, holidays, drivers);
    const units = productIds.map((id) => unitsOnCalendar(calendar, history.unitsByProduct[id] ?? {}, historyEnd));
    const heldOut = trainGlobalModel(calendar, units, calendar.dates.length - 1 - HOLDOUT_DAYS).model;
    return { from, calendar, units, heldOut };
  };
  // Two years, or all of it (up to five) where the held-out weeks say the longer history helps.
  const recentFrom = laterDate(firstSale, addDays(historyEnd, -TRAINING_DAYS));
  const longerFrom = laterDate(firstSale, addDays(historyEnd, -MAX_TRAINING_DAYS));
  let window = windowFrom(recentFrom, options.drivers);
  let historyTried: TenantModel['training']['historyTried'];
  if (daysBetween(longerFrom, recentFrom) >= MIN_LONGER_DAYS) {
    const longer = windowFrom(longerFrom, options.drivers);
    const choice = heldOutChoice(longer, window, LONGER_HISTORY_GAIN);
    if (choice.errors) {
      const [longerError, recentError] = choice.errors;
      historyTried = {
        recentFrom,
        recentError: Math.round(recentError),
        longerFrom,
        longerError: Math.round(longerError),
      };
    }
    if (choice.better) window = longer;
  }
  // Drivers enter the model only where the held-out weeks say they help.
  if (window.calendar.drivers.length > 0) {
    const plain = windowFrom(window.from, undefined);
    if (!heldOutChoice(window, plain, DRIVER_GAIN).better) window = plain;
  }
  const { from, calendar, units, heldOut: heldOutGlobal } = window;
  const endIndex = calendar.dates.length - 1;
  const holdoutStart = addDays(historyEnd, -HOLDOUT_DAYS);
  const products: Record<string, ProductModel> = {};
  const candidates: Candidate[] = [];
  productIds.forEach((productId, p) => {
    const series = recentPart(demandSeries(history, productId, historyEnd, holidays), MAX_HISTORY_DAYS);
    // A young product is held out on what it has beyond its first four weeks.
    const firstHeldOut = Math.max(
      series.dates.findIndex((d) => d > holdoutStart),
      2 * MIN_HISTORY_DAYS,
    );
    if (series.values.length - firstHeldOut < MIN_HELD_OUT_DAYS) return;
    const heldOutParameters = Object.fromEntries(
      HELD_OUT_MODELS.map((name) => [name, MODELS[name](seriesPart(series, 0, firstHeldOut)).parameters]),
    );
    const heldOut: HeldOut[] = [];
    for (let origin = firstHeldOut - 1; origin < series.values.length - 1; origin += 1) {
      const known = seriesPart(series, 0, origin + 1);
      const locals = HELD_OUT_MODELS.map((name) => MODELS[name](known, heldOutParameters[name]));
      const originIndex = daysBetween(from, series.dates[origin]!);
      const lastTarget = Math.min(originIndex + HORIZON_DAYS, endIndex);
      const global = heldOutGlobal ? forecastGlobal(heldOutGlobal, calendar, units[p]!, originIndex, lastTarget) : null;
      for (let target = origin + 1; target < series.values.length; target += 1) {
        const horizon = daysBetween(series.dates[origin]!, series.dates[target]!);
        if (horizon > HORIZON_DAYS) break;
        const date = series.dates[target]!;
        heldOut.push({
          date,
          horizon,
          nextOpenDay: target === origin + 1,
          actual: series.values[target]!,
          local: Object.fromEntries(
            locals.map((m) => [m.name, Math.max(0, m.forecast(date, series.holiday[target]!)) || 0]),
          ),
          global: global ? global[originIndex + horizon]! : Number.NaN,
        });
      }
    }
    candidates.push({ productId, series, heldOut, model: chooseProductModel(series, heldOut, heldOutGlobal !== null) });
  });
  // The chosen blends stand only where, over the tenant's held-out days, they beat the reference by more than noise.
  const keep = clearlyBetterThanReference(candidates);
  for (const { productId, series, heldOut, model } of candidates)
    products[productId] = keep ? model : chooseProductModel(series, heldOut, heldOutGlobal !== null, REFERENCE_SHARE);
  const global = trainGlobalModel(calendar, units, endIndex);
  return {
    format: MODEL_FORMAT,
    historyEnd,
    global: global.model,
    products,
    training: {
      from,
      rows: global.rows,
      holdoutDays: HOLDOUT_DAYS,
      features: [...GLOBAL_FEATURES],
      drivers: calendar.drivers.length ? (options.drivers?.columns ?? []) : [],
      ...(options.drivers?.columns.length ? { driversOffered: options.drivers.columns } : {}),
      ...(historyTried ? { historyTried } : {}),
      milliseconds: Math.round(performance.now() - started),
    },
  };
}

const round2 = (value: number) => Math.round(value * 100) / 100;

export interface ScoredForecasts {
  forecasts: DemandForecast[];
  /** Products the model does not know (new since it was fitted): fitted on the fly. */
  fittedOnTheFly: string[];
}

/**
 * Forecasts each product for each date from sales up to `historyEnd` with a fitted model: the local
 * models keep their parameters and run over the new days, the global model reads the new lags.
 */
export function scoreTenantModel(
  model: TenantModel,
  history: SalesHistory,
  productIds: readonly string[],
  dates: readonly LocalDate[],
  historyEnd: LocalDate,
  options: ModelOptions = {},
): ScoredForecasts {
  // Sold-out days count as their expected demand (see censoring.ts), set on each product's calendar.
  const soldOut = soldOutDemand(history);
  const holidays = options.holidays ?? new Set(history.holidays ?? []);
  const lastDate = dates.reduce(laterDate, historyEnd);
  // One calendar for every product: the local models' year and the global model's lags come from it.
  const from = addDays(historyEnd, -SCORING_HISTORY_DAYS + 1);
  const calendar = calendarOf(from, lastDate, history, holidays, alignDrivers(options.drivers, model.training.drivers));
  const origin = daysBetween(from, historyEnd);
  fillUnknownDrivers(calendar, origin);
  const targets = dates.map((date) => ({
    date,
    index: daysBetween(from, date),
    holiday: holidays.has(date),
    horizon: Math.min(Math.max(daysBetween(historyEnd, date), 1), HORIZON_DAYS),
  }));
  const forecasts: DemandForecast[] = [];
  const fittedOnTheFly: string[] = [];
  for (const productId of productIds) {
    const product = model.products[productId];
    const units = unitsOnCalendar(
      calendar,
      history.unitsByProduct[productId] ?? {},
      historyEnd,
      soldOut.get(productId),
    );
    if (!product) {
      const series = seriesOnCalendar(calendar, units, origin);
      if (series.values.length >= MIN_HISTORY_DAYS) fittedOnTheFly.push(productId);
      forecasts.push(...forecastSeries(series, productId, dates, historyEnd, { holidays }));
      continue;
    }
    const global =
      model.global && product.globalWeight > 0
        ? forecastGlobal(model.global, calendar, units, origin, calendar.dates.length - 1)
        : null;
    // The product's own model runs only when it counts: in a blend, or where the global model cannot scale the product.
    let local: FittedModel | null = null;
    let reference: FittedModel | null = null;
    // The reference chooses its smoothing constant again on the latest sales (five constants over a
    // year of days: microseconds), as the weekly fit's would have gone stale; the other models keep theirs.
    const referenceForecast = (date: LocalDate, holiday: boolean) => {
      reference ??= MODELS[REFERENCE_MODEL](seriesOnCalendar(calendar, units, origin));
      return Math.max(0, reference.forecast(date, holiday)) || 0;
    };
    const ownForecast = (date: LocalDate, holiday: boolean) => {
      local ??= MODELS[product.local](seriesOnCalendar(calendar, units, origin), product.parameters);
      return Math.max(0, local.forecast(date, holiday)) || 0;
    };
    for (const target of targets) {
      const globalValue = global ? (global[target.index] ?? Number.NaN) : Number.NaN;
      const chosen = !Number.isFinite(globalValue)
        ? ownForecast(target.date, target.holiday)
        : product.globalWeight === 1
          ? globalValue
          : product.globalWeight * globalValue + (1 - product.globalWeight) * ownForecast(target.date, target.holiday);
      const point = product.reference
        ? (1 - product.reference.weight) * chosen +
          product.reference.weight * referenceForecast(target.date, target.holiday)
        : chosen;
      const forecast = {
        pointForecast: round2(point),
        errors: { kind: product.errorKind, sorted: product.errorsByHorizon[target.horizon - 1] ?? [] },
      };
      forecasts.push({
        productId,
        forecastDate: target.date,
        ...forecast,
        quantiles: {
          p10: round2(forecastQuantile(forecast, 0.1)),
          p50: round2(forecastQuantile(forecast, 0.5)),
          p90: round2(forecastQuantile(forecast, 0.9)),
        },
        method: `${
          product.globalWeight === 0 ? product.local : product.globalWeight === 1 ? 'global' : `global+${product.local}`
        }${product.reference ? `+${REFERENCE_MODEL}` : ''}`,
        accuracy: product.holdout,
        historyEnd,
      });
    }
  }
  return { forecasts, fittedOnTheFly };
}

/**
 * The drivers in the columns the model was fitted with, in its order: a driver added since is ignored,
 * one removed is unknown (missing) everywhere, as a driver not yet known for a date is.
 */
export function alignDrivers(drivers: DailyDrivers | undefined, columns: readonly string[]): DailyDrivers | undefined {
  if (columns.length === 0) return undefined;
  const at = columns.map((c) => drivers?.columns.indexOf(c) ?? -1);
  const values: Record<LocalDate, number[]> = {};
  for (const [date, row] of Object.entries(drivers?.values ?? {}))
    values[date] = at.map((i) => (i >= 0 ? (row[i] ?? Number.NaN) : Number.NaN));
  return { columns: [...columns], values };
}

/** Days after which the weekly model is stale and the daily jobs fit their own (a week and two days' grace). */
const MODEL_STALE_AFTER_DAYS = 9;

/** Whether a stored model can score forecasts from sales up to `historyEnd`. */
export function modelStatus(
  model: TenantModel | null,
  historyEnd: LocalDate,
  staleAfterDays = MODEL_STALE_AFTER_DAYS,
): 'current' | 'missing' | 'stale' {
  if (!model || model.format !== MODEL_FORMAT) return 'missing';
  const age = daysBetween(model.historyEnd, historyEnd);
  // A model that saw later sales than `historyEnd` would leak them into the forecast.
  return age < 0 || age >= staleAfterDays ? 'stale' : 'current';
}

export interface ModelForecastInput {
  history: SalesHistory;
  productIds: readonly string[];
  dates: readonly LocalDate[];
  historyEnd: LocalDate;
  model: TenantModel | null;
  options?: ModelOptions;
  staleAfterDays?: number;
  /** The products a refit covers (default: the ones forecast), so that the next day's jobs find them all. */
  fitProductIds?: readonly string[];
}

export interface ModelForecastRun extends ScoredForecasts {
  /** The model that scored: the one given, or a new one when it was missing or stale. */
  model: TenantModel;
  /** Why a model was fitted on the fly (null when the given one scored). */
  refit: 'missing' | 'stale' | null;
}

/** The one forecasting path of the daily jobs and the backtest: score with the model, fitting one first when needed. */
export function forecastWithModel(input: ModelForecastInput): ModelForecastRun {
  const status = modelStatus(input.model, input.historyEnd, input.staleAfterDays);
  const model =
    status === 'current'
      ? input.model!
      : fitTenantModel(input.history, input.fitProductIds ?? input.productIds, input.historyEnd, input.options);
  return {
    ...scoreTenantModel(model, input.history, input.productIds, input.dates, input.historyEnd, input.options),
    model,
    refit: status === 'current' ? null : status,
  };
}
