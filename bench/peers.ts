// `npm run bench:peers`: the engine against strong peers and the baselines on every window of
// `bench:forecast` (bench/robustness.ts: the French bakery's main window, where the engine's settings
// were chosen, a second window, the history cut to 26, 12 and 8 weeks, the sparse items), one day
// ahead, the engine's model refitted every 7 days as the weekly job does: R's forecast::ets and
// scikit-learn's HistGradientBoosting as one global model, next to seasonal naive and SES × weekday.
// Each peer runs when it is installed (Debian: r-cran-forecast; python3-sklearn and python3-pandas,
// with Debian's python3) and is reported as missing otherwise. Prints each window's WAPEs and whether
// the engine is at or below the best of seasonal naive, SES × weekday and ets; writes
// bench/results/peers.json. The peers are benchmarks only, never runtime dependencies.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { BacktestPoint } from '../lib/forecasting/backtest.ts';
import { addDays } from '../lib/time/tenant-clock.ts';
import {
  backtestWindow,
  type ForecastWindow,
  forecastWindows,
  historyStart,
  round,
  sesWeekdayAt,
  wapeAt,
} from './robustness.ts';

const DIR = '.cache/peers';
const PEERS = [
  { name: 'R forecast::ets', command: '/usr/bin/Rscript', args: ['bench/peers/ets.R'], env: {} },
  {
    name: 'sklearn HistGradientBoosting (global)',
    command: '/usr/bin/python3',
    args: ['bench/peers/hgb.py'],
    env: { OMP_NUM_THREADS: '1' },
  },
] as const;

/** What the engine is held to: at or below the best of these. */
const TARGET_BASELINES = new Set(['seasonal naive', 'SES × weekday', 'R forecast::ets']);

interface PeerResult {
  name: string;
  wape: number | null;
  ratioToEngine: number | null;
  seconds: number | null;
  note?: string;
}

/** The same inputs for everyone: each product's daily units over the window's history (closed days empty). */
function writeInputs(window: ForecastWindow, points: readonly BacktestPoint[], dir: string): void {
  const closed = new Set(window.history.closedDates);
  const rows = ['product,date,units'];
  for (const [productId, byDate] of Object.entries(window.history.unitsByProduct))
    for (let d = historyStart(window); d <= window.to; d = addDays(d, 1)) {
      const units = byDate[d];
      rows.push(`"${productId}",${d},${closed.has(d) || units === undefined ? 'NA' : units}`);
    }
  writeFileSync(`${dir}/series.csv`, `${rows.join('\n')}\n`);
  writeFileSync(
    `${dir}/targets.csv`,
    `${['product,date', ...points.map((p) => `"${p.productId}",${p.date}`)].join('\n')}\n`,
  );
}

/** A peer's forecasts for the targets, keyed product|date; a string says why there are none. */
function runPeer(
  peer: (typeof PEERS)[number],
  dir: string,
): { forecasts: Map<string, number>; seconds: number } | string {
  if (!existsSync(peer.command)) return `not installed (${peer.command})`;
  const started = performance.now();
  const out = `${dir}/${peer.name.replace(/\W+/g, '-')}.csv`;
  const run = spawnSync(peer.command, [...peer.args, `${dir}/series.csv`, `${dir}/targets.csv`, out], {
    encoding: 'utf8',
    env: { ...process.env, ...peer.env },
  });
  if (run.status !== 0) return `failed: ${(run.stderr || run.stdout).trim().split('\n').slice(-2).join(' ')}`;
  const forecasts = new Map(
    readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => {
        const [product, date, value] = line.split(/,(?=[^,]*,[^,]*$)|,(?=[^,]*$)/);
        return [`${product!.replace(/^"|"$/g, '')}|${date!.replace(/"/g, '')}`, Number(value)] as const;
      }),
  );
  return { forecasts, seconds: (performance.now() - started) / 1000 };
}

const windows = [];
for (const [index, window] of forecastWindows().entries()) {
  const dir = `${DIR}/${index}`;
  mkdirSync(dir, { recursive: true });
  console.log(`▶ ${window.name}: ${window.from}..${window.to}, history from ${historyStart(window)}`);
  let started = performance.now();
  // One day ahead, as the peers forecast (the backtest also gives 2 to 7 days ahead).
  const points = backtestWindow(window, (_, done, total) => {
    if (process.stderr.isTTY) process.stderr.write(`\r  engine: origin ${done}/${total}   `);
  }).filter((p) => p.horizon === 1);
  if (process.stderr.isTTY) process.stderr.write('\n');
  const engineSeconds = (performance.now() - started) / 1000;
  writeInputs(window, points, dir);
  /** WAPE over every point; a forecast not given counts as 0. */
  const wape = (forecast: (p: BacktestPoint, i: number) => number | undefined) => wapeAt(points, points.map(forecast));
  const engine = wape((p) => p.forecast).wape;
  const ses = sesWeekdayAt(window, points);
  const results: PeerResult[] = [
    { name: 'this engine', wape: round(engine), ratioToEngine: 1, seconds: round(engineSeconds) },
    ...[
      { name: 'seasonal naive', score: wape((p) => p.baseline) },
      { name: 'SES × weekday', score: wape((_, i) => ses[i]) },
    ].map(({ name, score }) => ({
      name,
      wape: round(score.wape),
      ratioToEngine: round(score.wape / engine),
      seconds: null,
      ...(score.missing ? { note: `${score.missing} forecasts missing (counted as 0)` } : {}),
    })),
  ];
  for (const peer of PEERS) {
    if (process.stderr.isTTY) process.stderr.write(`  ${peer.name}…\n`);
    started = performance.now();
    const run = runPeer(peer, dir);
    if (typeof run === 'string') {
      results.push({ name: peer.name, wape: null, ratioToEngine: null, seconds: null, note: run });
      continue;
    }
    const score = wape((p) => run.forecasts.get(`${p.productId}|${p.date}`));
    results.push({
      name: peer.name,
      wape: round(score.wape),
      ratioToEngine: round(score.wape / engine),
      seconds: round(run.seconds),
      ...(score.missing ? { note: `${score.missing} forecasts missing (counted as 0)` } : {}),
    });
  }
  const baselines = results.filter((r) => r.wape !== null && TARGET_BASELINES.has(r.name));
  const best = Math.min(...baselines.map((r) => r.wape!));
  windows.push({
    window: window.name,
    from: window.from,
    to: window.to,
    historyFrom: historyStart(window),
    products: Object.keys(window.history.unitsByProduct).length,
    points: points.length,
    results,
    engineAtOrBelowBestBaseline: round(engine) <= best,
  });
  for (const r of results)
    console.log(
      `  ${r.name.padEnd(40)} ${r.wape === null ? '  —  ' : r.wape.toFixed(3)}   ${r.ratioToEngine === null ? '—' : r.ratioToEngine.toFixed(3).padStart(5)}   ${r.seconds === null ? '' : `${r.seconds.toFixed(1)} s`}${r.note ? `  (${r.note})` : ''}`,
    );
}

const names = windows[0]!.results.map((r) => r.name);
console.log(
  `\nWAPE one day ahead                  ${names.map((n) => n.split(' ')[0]!.padStart(9)).join('')}   engine ≤ best of naive, SES × weekday, ets`,
);
for (const w of windows)
  console.log(
    `${w.window.padEnd(34)}${w.results.map((r) => (r.wape === null ? '—' : r.wape.toFixed(3)).padStart(9)).join('')}   ${w.engineAtOrBelowBestBaseline ? 'yes' : 'no'}`,
  );
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/peers.json', `${JSON.stringify({ windows }, null, 2)}\n`);
console.log('wrote bench/results/peers.json');
