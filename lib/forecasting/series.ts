// A product's demand history as the models see it: open days only, in date order. Closure days are
// absent (missing demand, not zero demand); holidays are flagged so the models can treat them apart.
import type { SalesHistory } from '../domain.ts';
import { weekdayOf, type LocalDate } from '../time/tenant-clock.ts';

export interface DemandSeries {
  dates: LocalDate[];
  values: number[];
  /** ISO weekday of each date, 1 = Monday … 7 = Sunday. */
  weekdays: number[];
  holiday: boolean[];
}

export function demandSeries(
  history: SalesHistory,
  productId: string,
  historyEnd: LocalDate,
  holidays: ReadonlySet<LocalDate> = new Set(),
): DemandSeries {
  const closed = new Set(history.closedDates);
  const byDate = history.unitsByProduct[productId] ?? {};
  const dates = Object.keys(byDate).filter((d) => d <= historyEnd && !closed.has(d)).sort();
  return {
    dates,
    values: dates.map((d) => byDate[d]!),
    weekdays: dates.map(weekdayOf),
    holiday: dates.map((d) => holidays.has(d)),
  };
}
