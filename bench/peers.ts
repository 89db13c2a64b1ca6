// `npm run bench:peers`: the engine against strong peers on the same rolling-origin window as
// `bench:forecast` (French bakery, top 20 products, every open day 2022-07-01..09-30, 1 day ahead; the
// engine's model refitted every 7 days, as the weekly job does):
// R's forecast::ets and scikit-learn's HistGradientBoosting as one global model. Each peer runs when
// it is installed (Debian: r-cran-forecast; python3-sklearn and python3-pandas, with Debian's python3)
// and is reported as missing otherwise. Prints each WAPE and its ratio to the engine's; writes
// bench/results/peers.json. The peers are benchmarks only, never runtime dependencies.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { wapeOf } from '../lib/forecasting/backtest.ts';
import { addDays } from '../lib/time/tenant-clock.ts';
import { FRENCH_WINDOW, frenchBakeryHistory, frenchWindowBacktest } from './french-bakery.ts';

const { from: FROM, to: TO } = FRENCH_WINDOW;
const DIR = '.cache/peers';
const { history, productIds } = frenchBakeryHistory(FRENCH_WINDOW.top);
mkdirSync(DIR, { recursive: true });

// The same inputs for everyone: each product's daily units up to the window's end (closed days empty).
const closed = new Set(history.closedDates);
const dates = Object.values(history.unitsByProduct)
  .flatMap((byDate) => Object.keys(byDate))
  .sort();
const rows = ['product,date,units'];
for (const productId of productIds) {
  for (let d = dates[0]!; d <= TO; d = addDays(d, 1)) {
    const units = history.unitsByProduct[productId]?.[d];
    rows.push(`"${productId}",${d},${closed.has(d) || units === undefined ? 'NA' : units}`);
  }
}
writeFileSync(`${DIR}/series.csv`, `${rows.join('\n')}\n`);

console.log(`▶ engine: ${productIds.length} products, ${FROM}..${TO}, 1 day ahead`);
let started = performance.now();
// One day ahead, as the peers forecast (the backtest also gives 2 to 7 days ahead).
const points = frenchWindowBacktest().filter((p) => p.horizon === 1);
const engineSeconds = (performance.now() - started) / 1000;
writeFileSync(
  `${DIR}/targets.csv`,
  `${['product,date', ...points.map((p) => `"${p.productId}",${p.date}`)].join('\n')}\n`,
);

/** WAPE over every point; a forecast a peer did not give counts as 0. */
const wape = (forecast: (p: (typeof points)[number]) => number | undefined) => ({
  wape: wapeOf(points, (p) => forecast(p) ?? 0),
  missing: points.filter((p) => forecast(p) === undefined).length,
});

interface PeerResult {
  name: string;
  wape: number | null;
  ratioToEngine: number | null;
  seconds: number | null;
  note?: string;
}
const engine = wape((p) => p.forecast).wape;
const results: PeerResult[] = [
  { name: 'this engine', wape: engine, ratioToEngine: 1, seconds: engineSeconds },
  {
    name: 'seasonal naive',
    wape: wape((p) => p.baseline).wape,
    ratioToEngine: wape((p) => p.baseline).wape / engine,
    seconds: null,
  },
];

function runPeer(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): void {
  if (!existsSync(command)) {
    results.push({ name, wape: null, ratioToEngine: null, seconds: null, note: `not installed (${command})` });
    console.log(`  ${name}: skipped, ${command} is not installed`);
    return;
  }
  console.log(`▶ ${name}…`);
  started = performance.now();
  const out = `${DIR}/${name.replace(/\W+/g, '-')}.csv`;
  const run = spawnSync(command, [...args, `${DIR}/series.csv`, `${DIR}/targets.csv`, out], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0) {
    results.push({
      name,
      wape: null,
      ratioToEngine: null,
      seconds,
      note: `failed: ${(run.stderr || run.stdout).trim().split('\n').slice(-2).join(' ')}`,
    });
    console.log(`  ${name} failed:\n${run.stderr}`);
    return;
  }
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
  const score = wape((p) => forecasts.get(`${p.productId}|${p.date}`));
  results.push({
    name,
    wape: score.wape,
    ratioToEngine: score.wape / engine,
    seconds,
    ...(score.missing ? { note: `${score.missing} forecasts missing (counted as 0)` } : {}),
  });
}

runPeer('R forecast::ets', '/usr/bin/Rscript', ['bench/peers/ets.R']);
runPeer('sklearn HistGradientBoosting (global)', '/usr/bin/python3', ['bench/peers/hgb.py'], { OMP_NUM_THREADS: '1' });

console.log(`\nwindow ${FROM}..${TO}: ${productIds.length} products, ${points.length} forecasts`);
console.log('forecaster                               WAPE    ratio to engine   seconds');
for (const r of results) {
  console.log(
    `${r.name.padEnd(40)} ${r.wape === null ? '  —  ' : r.wape.toFixed(3)}   ${r.ratioToEngine === null ? '—' : r.ratioToEngine.toFixed(3).padStart(5)}            ${r.seconds === null ? '' : r.seconds.toFixed(1)}${r.note ? `  (${r.note})` : ''}`,
  );
}
mkdirSync('bench/results', { recursive: true });
writeFileSync(
  'bench/results/peers.json',
  `${JSON.stringify(
    { window: { from: FROM, to: TO, products: productIds.length, points: points.length }, results },
    null,
    2,
  )}\n`,
);
console.log('wrote bench/results/peers.json');
