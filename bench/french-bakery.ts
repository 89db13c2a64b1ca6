// The French bakery data as the benchmarks use it: the project's compact copy (units per product per
// day, closures), so that a fresh clone runs the benchmarks without the original CSV.
import type { SalesHistory } from '../lib/domain.ts';
import { type BacktestPoint, rollingOriginBacktest } from '../lib/forecasting/backtest.ts';
import { publicHolidays } from '../lib/forecasting/public-holidays.ts';
import { demoSalesFile } from '../lib/local/demo-bakeries.ts';
import { addDays } from '../lib/time/tenant-clock.ts';

/** History of the top-N products by units (the file lists them in that order). */
export function frenchBakeryHistory(top: number): {
  history: SalesHistory;
  productIds: string[];
  prices: Record<string, number>;
} {
  const file = demoSalesFile();
  const products = file.products.slice(0, top);
  const history: SalesHistory = { unitsByProduct: {}, closedDates: [...file.closedDates] };
  for (const product of products) {
    const byDate: Record<string, number> = {};
    product.units.forEach((units, index) => {
      if (units !== null) byDate[addDays(file.firstDate, index)] = units;
    });
    history.unitsByProduct[product.name] = byDate;
  }
  return {
    history,
    productIds: products.map((p) => p.name),
    prices: Object.fromEntries(products.map((p) => [p.name, p.unitPriceEur])),
  };
}

/** French public holidays over the data's span (the bakery is in France), from the maintained calendars. */
export function frenchHolidays(): Set<string> {
  const file = demoSalesFile();
  return new Set(publicHolidays('FR', file.firstDate, file.lastDate));
}

/** The benchmarks' window: the top 20 products, forecast from every day of 2022-07-01..09-30. */
export const FRENCH_WINDOW = { from: '2022-07-01', to: '2022-09-30', top: 20 } as const;
/** A second window of the same bakery, the quarter before: no setting was chosen on it. */
export const SECOND_WINDOW = { from: '2022-04-01', to: '2022-06-30' } as const;

/**
 * The engine's rolling-origin backtest over that window (or another), holidays declared (the daily
 * jobs' own path), on the window's products' history or on another version of it (bench:censored's).
 */
export function frenchWindowBacktest(
  onProgress?: (done: number, total: number) => void,
  history: SalesHistory = frenchBakeryHistory(FRENCH_WINDOW.top).history,
  window: { from: string; to: string } = FRENCH_WINDOW,
): BacktestPoint[] {
  const productIds = Object.keys(history.unitsByProduct);
  return rollingOriginBacktest({
    history,
    productIds,
    from: window.from,
    to: window.to,
    options: { holidays: frenchHolidays() },
    ...(onProgress ? { onProgress } : {}),
  });
}
