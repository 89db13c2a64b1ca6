// A product's demand history as the models see it: open days only, in date order. Closure days are
// absent (missing demand, not zero demand); holidays are flagged so the models can treat them apart.
import type { SalesHistory } from '../domain.ts';
import { type LocalDate, weekdayOf } from '../time/tenant-clock.ts';

export interface DemandSeries {
  dates: LocalDate[];
  values: number[];
  /** ISO weekday of each date, 1 = Monday … 7 = Sunday. */
  weekdays: number[];
  holiday: boolean[];
}

/** The open days from index `start` up to (not including) `end`. */
export function seriesPart(series: DemandSeries, start: number, end = series.values.length): DemandSeries {
  return {
    dates: series.dates.slice(start, end),
    values: series.values.slice(start, end),
    weekdays: series.weekdays.slice(start, end),
    holiday: series.holiday.slice(start, end),
  };
}

/** Only the most recent open days are modelled: older ones no longer say much about tomorrow. */
export function recentPart(series: DemandSeries, observations: number): DemandSeries {
  const from = Math.max(0, series.values.length - observations);
  return from === 0 ? series : seriesPart(series, from);
}

export function demandSeries(
  history: SalesHistory,
  productId: string,
  historyEnd: LocalDate,
  holidays: ReadonlySet<LocalDate> = new Set(),
): DemandSeries {
  const closed = new Set(history.closedDates);
  const byDate = history.unitsByProduct[productId] ?? {};
  const dates = Object.keys(byDate).filter((d) => d <= historyEnd && !closed.has(d));
  // Stores return dates in order; sort only when they are not (sorting is a visible cost at 150 products).
  if (dates.some((d, i) => i > 0 && d < dates[i - 1]!)) dates.sort();
  return {
    dates,
    values: dates.map((d) => byDate[d]!),
    weekdays: dates.map(weekdayOf),
    holiday: dates.map((d) => holidays.has(d)),
  };
}
