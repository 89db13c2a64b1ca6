// The global model: one gradient-boosted model over all of a tenant's products, learning from every
// product what a weekday, a holiday, a closure or a recent surge does to demand. Targets and lags are
// divided by the product's 28-day mean, so a croissant and a wedding cake share one model; each row
// weighs by that mean, so the model minimises errors in units, as WAPE counts them.
import type { DailyDrivers, SalesHistory } from '../domain.ts';
import { daysBetween, type LocalDate } from '../time/tenant-clock.ts';
import { type GbtModel, type GbtOptions, predictGbt, trainGbt } from './gbt.ts';
import type { DemandSeries } from './series.ts';

/** Feature names, in column order; daily drivers (if any) follow them. */
export const GLOBAL_FEATURES = [
  'weekday',
  'dayOfYear',
  'holiday',
  'holidayTomorrow',
  'closedYesterday',
  'lag1',
  'lag2',
  'lag7',
  'lag14',
  'mean7',
  'sameWeekday4',
  'sameWeekday8',
  'level',
  'zeroShare28',
] as const;

const SCALE_DAYS = 28;
const DAY_MS = 86_400_000;
/** A product needs this many open days among the last 28 for its rows to be scaled. */
const MIN_SCALE_DAYS = 7;

const GLOBAL_GBT_OPTIONS: Partial<GbtOptions> = {
  iterations: 100,
  learningRate: 0.1,
  maxLeaves: 31,
  minLeafRows: 20,
  loss: 'squared',
};

/** A tenant's days from `start` on, with what is known about each. */
export interface Calendar {
  start: LocalDate;
  dates: LocalDate[];
  weekday: Uint8Array;
  dayOfYear: Uint16Array;
  holiday: Uint8Array;
  closed: Uint8Array;
  drivers: Float64Array[];
}

export function calendarOf(
  start: LocalDate,
  end: LocalDate,
  history: SalesHistory,
  holidays: ReadonlySet<LocalDate>,
  drivers?: DailyDrivers,
): Calendar {
  const length = daysBetween(start, end) + 1;
  const closed = new Set(history.closedDates);
  const calendar: Calendar = {
    start,
    dates: [],
    weekday: new Uint8Array(length),
    dayOfYear: new Uint16Array(length),
    holiday: new Uint8Array(length + 1),
    closed: new Uint8Array(length),
    drivers: (drivers?.columns ?? []).map(() => new Float64Array(length).fill(Number.NaN)),
  };
  // Milliseconds, not date strings: a calendar is built for every scoring and fit.
  const startMs = Date.parse(`${start}T00:00:00Z`);
  for (let i = 0; i <= length; i += 1) {
    const day = new Date(startMs + i * DAY_MS);
    const date = day.toISOString().slice(0, 10);
    calendar.holiday[i] = holidays.has(date) ? 1 : 0;
    if (i === length) break;
    calendar.dates.push(date);
    calendar.weekday[i] = ((day.getUTCDay() + 6) % 7) + 1;
    calendar.dayOfYear[i] = Math.round((day.getTime() - Date.UTC(day.getUTCFullYear(), 0, 1)) / DAY_MS) + 1;
    calendar.closed[i] = closed.has(date) ? 1 : 0;
    const row = drivers?.values[date];
    if (row) {
      calendar.drivers.forEach((column, c) => {
        column[i] = row[c] ?? Number.NaN;
      });
    }
  }
  return calendar;
}

/**
 * Drivers not yet known after `origin` (no weather forecast, no promotion planned) take their mean over
 * the 28 days up to it: a model never saw a missing driver while learning, and the recent mean is the
 * least surprising guess.
 */
export function fillUnknownDrivers(calendar: Calendar, origin: number): void {
  for (const column of calendar.drivers) {
    let sum = 0;
    let known = 0;
    for (let t = Math.max(0, origin - SCALE_DAYS + 1); t <= origin; t += 1) {
      if (!Number.isNaN(column[t]!)) {
        sum += column[t]!;
        known += 1;
      }
    }
    if (known === 0) continue;
    for (let t = origin + 1; t < column.length; t += 1) if (Number.isNaN(column[t]!)) column[t] = sum / known;
  }
}

/** A product's units on the calendar's days: NaN where closed or unknown. */
export function unitsOnCalendar(
  calendar: Calendar,
  byDate: Record<LocalDate, number>,
  until: LocalDate,
  replaced?: ReadonlyMap<LocalDate, number>,
): Float64Array {
  const units = new Float64Array(calendar.dates.length).fill(Number.NaN);
  calendar.dates.forEach((date, i) => {
    const value = byDate[date];
    if (date <= until && value !== undefined && !calendar.closed[i]) units[i] = value;
  });
  // Days whose sales stand for other units (a sold-out day's expected demand).
  for (const [date, value] of replaced ?? []) {
    const i = daysBetween(calendar.start, date);
    if (!Number.isNaN(units[i] ?? Number.NaN)) units[i] = value;
  }
  return units;
}

/** A product's open days up to index `until` as the local models see them (what `demandSeries` gives, from the calendar). */
export function seriesOnCalendar(calendar: Calendar, units: Float64Array, until: number): DemandSeries {
  let open = 0;
  for (let t = 0; t <= until; t += 1) if (!Number.isNaN(units[t]!)) open += 1;
  const series: DemandSeries = {
    dates: new Array<LocalDate>(open),
    values: new Array<number>(open),
    weekdays: new Array<number>(open),
    holiday: new Array<boolean>(open),
  };
  for (let t = 0, i = 0; t <= until; t += 1) {
    const value = units[t]!;
    if (Number.isNaN(value)) continue;
    series.dates[i] = calendar.dates[t]!;
    series.values[i] = value;
    series.weekdays[i] = calendar.weekday[t]!;
    series.holiday[i] = calendar.holiday[t] === 1;
    i += 1;
  }
  return series;
}

const featureCount = (calendar: Calendar) => GLOBAL_FEATURES.length + calendar.drivers.length;

/** Mean of the known values at t − step, t − 2·step, … (`count` of them), divided by `scale`; NaN when none is known. */
function meanBefore(units: Float64Array, t: number, step: number, count: number, scale: number): number {
  let sum = 0;
  let n = 0;
  for (let k = 1; k <= count && t - k * step >= 0; k += 1) {
    const v = units[t - k * step]! / scale;
    if (!Number.isNaN(v)) {
      sum += v;
      n += 1;
    }
  }
  return n > 0 ? sum / n : Number.NaN;
}

/**
 * Writes the features of day `t` (from `units` before `t`) into `row` and returns the scale its target
 * divides by; 0 when the product has too little recent demand to be scaled.
 */
function featuresAt(calendar: Calendar, units: Float64Array, t: number, row: Float64Array): number {
  let sum = 0;
  let open = 0;
  let zeros = 0;
  for (let k = 1; k <= SCALE_DAYS && t - k >= 0; k += 1) {
    const v = units[t - k]!;
    if (Number.isNaN(v)) continue;
    sum += v;
    open += 1;
    if (v === 0) zeros += 1;
  }
  if (open < MIN_SCALE_DAYS || sum <= 0) return 0;
  const scale = sum / open;
  // Plain loops, no closures: this runs for every product and day scored.
  row[0] = calendar.weekday[t]!;
  row[1] = calendar.dayOfYear[t]!;
  row[2] = calendar.holiday[t]!;
  row[3] = calendar.holiday[t + 1]!;
  row[4] = t > 0 && (calendar.closed[t - 1] || calendar.holiday[t - 1]) ? 1 : 0;
  row[5] = t >= 1 ? units[t - 1]! / scale : Number.NaN;
  row[6] = t >= 2 ? units[t - 2]! / scale : Number.NaN;
  row[7] = t >= 7 ? units[t - 7]! / scale : Number.NaN;
  row[8] = t >= 14 ? units[t - 14]! / scale : Number.NaN;
  row[9] = meanBefore(units, t, 1, 7, scale);
  row[10] = meanBefore(units, t, 7, 4, scale);
  row[11] = meanBefore(units, t, 7, 8, scale);
  row[12] = Math.log1p(scale);
  row[13] = zeros / open;
  for (let c = 0; c < calendar.drivers.length; c += 1) row[GLOBAL_FEATURES.length + c] = calendar.drivers[c]![t]!;
  return scale;
}

export interface GlobalTrainingSet {
  rows: number;
  model: GbtModel | null;
}

/** Trains on every product's open days up to index `lastIndex` of the calendar. */
export function trainGlobalModel(
  calendar: Calendar,
  products: readonly Float64Array[],
  lastIndex: number,
  options: Partial<GbtOptions> = {},
): GlobalTrainingSet {
  const width = featureCount(calendar);
  const row = new Float64Array(width);
  const collected: number[][] = Array.from({ length: width }, () => []);
  const targets: number[] = [];
  const weights: number[] = [];
  for (const units of products) {
    for (let t = 0; t <= lastIndex; t += 1) {
      const y = units[t]!;
      if (Number.isNaN(y)) continue;
      const scale = featuresAt(calendar, units, t, row);
      if (scale <= 0) continue;
      for (let f = 0; f < width; f += 1) collected[f]!.push(row[f]!);
      targets.push(y / scale);
      weights.push(scale);
    }
  }
  const rows = targets.length;
  if (rows < 100) return { rows, model: null };
  const values = new Float64Array(rows * width);
  collected.forEach((column, f) => {
    values.set(column, f * rows);
  });
  return {
    rows,
    model: trainGbt({ rows, features: width, values }, Float64Array.from(targets), Float64Array.from(weights), {
      ...GLOBAL_GBT_OPTIONS,
      ...options,
    }),
  };
}

/**
 * Forecasts days `origin + 1 … lastIndex` from `units` known up to `origin`, each day from the ones
 * before it (recursively: later days see earlier forecasts as their lags). NaN where the product
 * cannot be scaled or the day is a known closure.
 */
export function forecastGlobal(
  model: GbtModel,
  calendar: Calendar,
  units: Float64Array,
  origin: number,
  lastIndex: number,
): Float64Array {
  const work = units.slice(0, lastIndex + 1);
  const out = new Float64Array(lastIndex + 1).fill(Number.NaN);
  const row = new Float64Array(featureCount(calendar));
  for (let t = origin + 1; t <= lastIndex; t += 1) {
    if (calendar.closed[t]) {
      work[t] = Number.NaN;
      continue;
    }
    const scale = featuresAt(calendar, work, t, row);
    const value = scale > 0 ? Math.max(0, predictGbt(model, row) * scale) : Number.NaN;
    work[t] = value;
    out[t] = value;
  }
  return out;
}
