// `npm run bench:censored`: what sold-out days do to the forecasts, and what the treatment gives back.
// The French bakery's top 20 products are censored as a stock limit would: on a share of days (35 %
// for the five best sellers, 15 % for the others) the baker had made 60–100 % of the same weekday's
// recent median, and a day whose demand passed it sold out there (its sales are the limit, the day
// is marked sold out). The rolling-origin backtest of bench:forecast then runs three times — on
// the true demand, on the censored sales taken as demand, and on the censored sales with their
// sold-out days (the engine's treatment, lib/forecasting/censoring.ts) — and each is scored against
// the true demand: WAPE and bias of the point forecast.
import { mkdirSync, writeFileSync } from 'node:fs';
import type { SalesHistory } from '../lib/domain.ts';
import type { BacktestPoint } from '../lib/forecasting/backtest.ts';
import { uncensoredHistory } from '../lib/forecasting/censoring.ts';
import { censor } from './censoring.ts';
import { FRENCH_WINDOW, frenchBakeryHistory, frenchWindowBacktest, SECOND_WINDOW } from './french-bakery.ts';

function backtest(history: SalesHistory, label: string, window: { from: string; to: string }): BacktestPoint[] {
  return frenchWindowBacktest(
    (done, total) => {
      if (process.stderr.isTTY) process.stderr.write(`\r  ${window.from} ${label}: origin ${done}/${total}   `);
    },
    history,
    window,
  );
}

/** WAPE and bias of the point forecasts against the true demand. */
function score(points: readonly BacktestPoint[], truth: SalesHistory) {
  let error = 0;
  let signed = 0;
  let demand = 0;
  for (const p of points) {
    const actual = truth.unitsByProduct[p.productId]?.[p.date];
    if (actual === undefined) continue;
    error += Math.abs(p.forecast - actual);
    signed += p.forecast - actual;
    demand += actual;
  }
  return { wape: error / demand, bias: signed / demand, points: points.length };
}

/**
 * How close the treatment's imputed sold-out days come to the demand they hid (WAPE and bias over those
 * days), next to taking the sales as they were: the information a sold-out day lost, which no forecast
 * made from the treated history gets back.
 */
function imputedDays(sales: SalesHistory, truth: SalesHistory) {
  const treated = uncensoredHistory(sales);
  let imputedError = 0;
  let signed = 0;
  let salesError = 0;
  let demand = 0;
  for (const [productId, dates] of Object.entries(sales.soldOut ?? {}))
    for (const date of dates) {
      const actual = truth.unitsByProduct[productId]![date]!;
      const imputed = treated.unitsByProduct[productId]![date]!;
      imputedError += Math.abs(imputed - actual);
      signed += imputed - actual;
      salesError += actual - sales.unitsByProduct[productId]![date]!;
      demand += actual;
    }
  return { wape: imputedError / demand, bias: signed / demand, salesAsDemandWape: salesError / demand };
}

const started = performance.now();
const { history: truth, productIds } = frenchBakeryHistory(FRENCH_WINDOW.top);
const { sales, days } = censor(truth, productIds);
const { soldOut: _flags, ...untreated } = sales;
/** The three runs on one window, and what the treatment leaves of the bias and the WAPE censoring adds. */
function compare(window: { from: string; to: string }) {
  const runs = {
    uncensored: score(backtest(truth, 'true demand', window), truth),
    censoredUntreated: score(backtest(untreated, 'censored, untreated', window), truth),
    censoredTreated: score(backtest(sales, 'censored, treated', window), truth),
  };
  const introduced = runs.censoredUntreated.bias - runs.uncensored.bias;
  const left = runs.censoredTreated.bias - runs.uncensored.bias;
  return {
    ...window,
    runs,
    biasIntroduced: introduced,
    biasLeft: left,
    biasRemoved: 1 - left / introduced,
    wapeGap: runs.censoredTreated.wape - runs.uncensored.wape,
  };
}

const windows = { main: compare(FRENCH_WINDOW), second: compare(SECOND_WINDOW) };
process.stderr.write('\n');
const result = {
  products: productIds.length,
  soldOutDays: days,
  windows,
  imputedSoldOutDays: imputedDays(sales, truth),
  seconds: (performance.now() - started) / 1000,
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/censored.json', `${JSON.stringify(result, null, 2)}\n`);
const signed = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(3)}`;
console.log(`${productIds.length} products, ${days} sold-out days in the history, scored against the true demand`);
for (const [name, w] of Object.entries(windows)) {
  console.log(`${name} window ${w.from}..${w.to}`);
  for (const [run, r] of Object.entries(w.runs))
    console.log(`  ${run.padEnd(20)} WAPE ${r.wape.toFixed(3)}  bias ${signed(r.bias)}`);
  console.log(
    `  bias the censoring introduces: ${w.biasIntroduced.toFixed(3)}; left after the treatment: ${w.biasLeft.toFixed(3)} (${(100 * w.biasRemoved).toFixed(0)} % removed); WAPE against the uncensored fit: ${signed(w.wapeGap)}`,
  );
}
console.log(
  `the sold-out days themselves: imputed WAPE ${result.imputedSoldOutDays.wape.toFixed(3)} bias ${signed(result.imputedSoldOutDays.bias)}; their sales taken as demand ${result.imputedSoldOutDays.salesAsDemandWape.toFixed(3)}`,
);
console.log(`${result.seconds.toFixed(0)} s · wrote bench/results/censored.json`);
