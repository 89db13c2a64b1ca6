// `npm run bench:forecast`: the rolling-origin backtest on the French bakery (top 20 products by
// units, every open day from 2022-07-01 to 2022-09-30, 1 to 7 days ahead, the model refitted every
// seven days as the weekly job does).
import { mkdirSync, writeFileSync } from 'node:fs';
import { scoreBacktest } from '../lib/forecasting/backtest.ts';
import { FRENCH_WINDOW, frenchBakeryHistory, frenchWindowBacktest } from './french-bakery.ts';

const { from: FROM, to: TO } = FRENCH_WINDOW;
const { history } = frenchBakeryHistory(FRENCH_WINDOW.top);
const started = performance.now();
const points = frenchWindowBacktest((done, total) => {
  if (process.stderr.isTTY) process.stderr.write(`\r  backtesting origin ${done}/${total}`);
});
process.stderr.write('\n');
const report = scoreBacktest(history, points, FROM, TO);
const seconds = (performance.now() - started) / 1000;
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/forecast.json', `${JSON.stringify({ ...report, seconds }, null, 2)}\n`);
const e = report.engine;
const b = report.seasonalNaive;
console.log(
  `window ${FROM}..${TO}: ${report.window.products} products, ${report.window.points} forecasts, ${seconds.toFixed(1)} s`,
);
console.log(
  `engine          WAPE ${e.wape.toFixed(3)}  MASE ${e.mase.toFixed(3)}  bias ${e.bias.toFixed(3)}  p10–p90 coverage ${e.coverage.toFixed(3)}  pinball p10/p50/p90 ${e.pinball.p10.toFixed(2)}/${e.pinball.p50.toFixed(2)}/${e.pinball.p90.toFixed(2)}`,
);
console.log(`seasonal naive  WAPE ${b.wape.toFixed(3)}  MASE ${b.mase.toFixed(3)}  bias ${b.bias.toFixed(3)}`);
console.log(`models chosen: ${JSON.stringify(report.methods)}`);
console.log(
  `per horizon (days ahead): ${report.horizons.map((h) => `${h.horizon}: WAPE ${h.wape.toFixed(3)}, coverage ${h.coverage.toFixed(3)}`).join(' | ')}`,
);
console.log('wrote bench/results/forecast.json');
