// `npm run bench:forecast`: the rolling-origin backtest on the French bakery (top 20 products by
// units, every open day from 2022-07-01 to 2022-09-30, 1 to 7 days ahead, the model refitted every
// seven days as the weekly job does), then the robustness windows of bench/robustness.ts next to the
// baselines.
import { mkdirSync, writeFileSync } from 'node:fs';
import { scoreBacktest } from '../lib/forecasting/backtest.ts';
import { FRENCH_WINDOW, frenchBakeryHistory, frenchWindowBacktest } from './french-bakery.ts';
import { robustnessWindows } from './robustness.ts';

const { from: FROM, to: TO } = FRENCH_WINDOW;
const { history } = frenchBakeryHistory(FRENCH_WINDOW.top);
const started = performance.now();
const points = frenchWindowBacktest((done, total) => {
  if (process.stderr.isTTY) process.stderr.write(`\r  backtesting origin ${done}/${total}`);
});
process.stderr.write('\n');
const report = scoreBacktest(history, points, FROM, TO);
const windows = robustnessWindows((label, done, total) => {
  if (process.stderr.isTTY) process.stderr.write(`\r  ${label}: origin ${done}/${total}        `);
});
process.stderr.write('\n');
const seconds = (performance.now() - started) / 1000;
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/forecast.json', `${JSON.stringify({ ...report, windows, seconds }, null, 2)}\n`);
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
console.log(
  '\nwindow                        history from  products  engine  seasonal naive  SES × weekday  engine ≤ best  pinball   p10–p90 coverage, days 1…7',
);
for (const w of windows)
  console.log(
    `${w.window.padEnd(29)} ${w.historyFrom}  ${String(w.products).padStart(8)}  ${w.engine.toFixed(3).padStart(6)}  ${w.seasonalNaive.toFixed(3).padStart(14)}  ${w.sesWeekday.toFixed(3).padStart(13)}  ${(w.engine <= w.bestBaseline ? 'yes' : 'no').padStart(13)}  ${w.pinball.toFixed(4)}   ${w.coverage.map((c) => c.toFixed(3)).join(' ')}`,
  );
console.log('wrote bench/results/forecast.json');
