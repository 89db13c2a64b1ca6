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
import { weekdayOf } from '../lib/time/tenant-clock.ts';
import { FRENCH_WINDOW, frenchBakeryHistory, frenchWindowBacktest } from './french-bakery.ts';

/** A small deterministic generator (mulberry32): the same censoring on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BEST_SELLERS = 5;
/** Days a stock limit applies: more often for the best sellers, as a baker short of them would see. */
const SHARE_BEST = 0.35;
const SHARE_OTHERS = 0.15;

/**
 * A stock limit on a share of days: what a baker would have baked from the same weekday's last four
 * weeks (their median), times 0.6–1.0. A day whose demand passes it sells out at the limit.
 */
function censor(truth: SalesHistory, productIds: readonly string[]): { sales: SalesHistory; days: number } {
  const next = random(20221001);
  const unitsByProduct: SalesHistory['unitsByProduct'] = {};
  const soldOut: Record<string, string[]> = {};
  let days = 0;
  productIds.forEach((productId, rank) => {
    const share = rank < BEST_SELLERS ? SHARE_BEST : SHARE_OTHERS;
    const byDate: Record<string, number> = {};
    const sameWeekday = new Map<number, number[]>();
    const dates = Object.keys(truth.unitsByProduct[productId] ?? {}).sort();
    for (const date of dates) {
      const units = truth.unitsByProduct[productId]![date]!;
      const earlier = sameWeekday.get(weekdayOf(date)) ?? [];
      const recent = earlier.slice(-4).sort((a, b) => a - b);
      const limit = Math.floor((0.6 + 0.4 * next()) * (recent[Math.floor(recent.length / 2)] ?? 0));
      if (recent.length === 4 && next() < share && units > limit) {
        byDate[date] = limit;
        soldOut[productId] = [...(soldOut[productId] ?? []), date];
        days += 1;
      } else byDate[date] = units;
      earlier.push(units);
      sameWeekday.set(weekdayOf(date), earlier);
    }
    unitsByProduct[productId] = byDate;
  });
  return { sales: { ...truth, unitsByProduct, soldOut }, days };
}

function backtest(history: SalesHistory, label: string): BacktestPoint[] {
  return frenchWindowBacktest((done, total) => {
    if (process.stderr.isTTY) process.stderr.write(`\r  ${label}: origin ${done}/${total}   `);
  }, history);
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

const started = performance.now();
const { history: truth, productIds } = frenchBakeryHistory(FRENCH_WINDOW.top);
const { sales, days } = censor(truth, productIds);
const { soldOut: _flags, ...untreated } = sales;
const runs = {
  uncensored: score(backtest(truth, 'true demand'), truth),
  censoredUntreated: score(backtest(untreated, 'censored, untreated'), truth),
  censoredTreated: score(backtest(sales, 'censored, treated'), truth),
};
process.stderr.write('\n');
const introduced = runs.censoredUntreated.bias - runs.uncensored.bias;
const left = runs.censoredTreated.bias - runs.uncensored.bias;
const result = {
  window: { ...FRENCH_WINDOW, products: productIds.length, soldOutDays: days },
  runs,
  biasRemoved: 1 - left / introduced,
  wapeGap: runs.censoredTreated.wape - runs.uncensored.wape,
  seconds: (performance.now() - started) / 1000,
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/censored.json', `${JSON.stringify(result, null, 2)}\n`);
console.log(
  `window ${FRENCH_WINDOW.from}..${FRENCH_WINDOW.to}: ${productIds.length} products, ${days} sold-out days in the history, scored against the true demand`,
);
for (const [name, r] of Object.entries(runs))
  console.log(`${name.padEnd(20)} WAPE ${r.wape.toFixed(3)}  bias ${r.bias >= 0 ? '+' : ''}${r.bias.toFixed(3)}`);
console.log(
  `bias the censoring introduces: ${introduced.toFixed(3)}; left after the treatment: ${left.toFixed(3)} (${(100 * result.biasRemoved).toFixed(0)} % removed); WAPE against the uncensored fit: ${result.wapeGap >= 0 ? '+' : ''}${result.wapeGap.toFixed(3)}`,
);
console.log(`${result.seconds.toFixed(0)} s · wrote bench/results/censored.json`);
