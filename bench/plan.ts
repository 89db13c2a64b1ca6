// `npm run bench:plan`: replays the French bakery day by day (2022-07-01 to 2022-09-30, top 20
// products): each open day a policy decides what to bake, demand is that day's actual sales, what is
// not sold is wasted (unit cost 30 % of price, salvage 0). Forecasts come from the product's own path
// (the tenant model, refitted every 7 days, scored daily). In the same run: (a) bake what sold the same
// weekday last week, (b) bake the p50 forecast, and the engine under each service policy a bakery can
// choose — newsvendor (the default), target fill rates, waste ceilings: the profit, waste and fill
// rate curve across the choices.
// Then the loop a bakery lives in, for the default policy: the history it learns from is its own
// sales, so a day it baked less than demand shows only what it baked. Starting from the history
// bench:censored censors, each replayed day's sales are min(baked, demand) and the day is marked sold
// out when demand passed what was baked. Run twice — the sold-out marks dropped (sales taken as demand)
// and kept (the engine's treatment) — against the true demand: the fill rate and profit the treatment
// recovers, next to the default policy learning from the true demand.
// The policies and baselines are replayed as well on a second window of the same bakery, the quarter
// before (2022-04-01 to 2022-06-30), on which no setting was chosen.
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Catalog, DemandForecast, SalesHistory, ServicePolicy } from '../lib/domain.ts';
import { forecastQuantile } from '../lib/forecasting/forecaster.ts';
import { fitSeasonalNaive } from '../lib/forecasting/models.ts';
import { demandSeries } from '../lib/forecasting/series.ts';
import { forecastWithModel, type TenantModel } from '../lib/forecasting/tenant-model.ts';
import {
  FEEDBACK_DAYS,
  type FillRateDay,
  fillRateCorrections,
  fillRateDays,
} from '../lib/planning/fill-rate-feedback.ts';
import { productionLines } from '../lib/planning/production.ts';
import { demandScenarios } from '../lib/planning/service-policy.ts';
import { addDays } from '../lib/time/tenant-clock.ts';
import { censor } from './censoring.ts';
import { FRENCH_WINDOW, frenchBakeryHistory, frenchHolidays, SECOND_WINDOW } from './french-bakery.ts';

const { from: FROM, to: TO }: { from: string; to: string } = FRENCH_WINDOW;
const COST_SHARE = 0.3;
const { history, productIds, prices } = frenchBakeryHistory(20);
const holidays = frenchHolidays();
const closed = new Set(history.closedDates);

const catalog: Catalog = {
  products: productIds.map((id) => ({
    productId: id,
    name: id,
    unitPrice: prices[id]!,
    unitCost: prices[id]! * COST_SHARE,
    salvageValue: 0,
    shelfLifeDays: 1,
    recipeId: id,
  })),
  ingredients: [],
  recipes: [],
  suppliers: [],
  equipment: [],
};

/**
 * The choices a bakery has, catalog-wide ("*"); the newsvendor ratio here is 0.7 (70 % margin). A
 * fill-rate policy is corrected by what its last days served (fill-rate-feedback.ts), as a bakery that
 * records its actuals has it; each is also run without the correction.
 */
const POLICIES: { name: string; policy: ServicePolicy | null; feedback?: boolean }[] = [
  { name: 'newsvendor (default)', policy: null },
  ...[0.85, 0.9, 0.95, 0.98].flatMap((targetFillRate) => [
    { name: `fill rate ${targetFillRate}`, policy: { family: '*', targetFillRate }, feedback: true },
    { name: `fill rate ${targetFillRate}, no feedback`, policy: { family: '*', targetFillRate } },
  ]),
  ...[5, 8, 12].map((wasteCeilingPercent) => ({
    name: `waste ceiling ${wasteCeilingPercent} %`,
    policy: { family: '*', wasteCeilingPercent },
  })),
];
const BASELINES = ['(a) same weekday last week', '(b) p50 forecast'];
const LOOPS = [
  { name: 'own sales, sold-out untreated', treated: false },
  { name: 'own sales, sold-out treated', treated: true },
];
type Totals = { baked: number; sold: number; demand: number; revenue: number; cost: number };
const newTotals = (names: readonly string[]) =>
  new Map<string, Totals>(names.map((name) => [name, { baked: 0, sold: 0, demand: 0, revenue: 0, cost: 0 }]));
const totals = newTotals([...BASELINES, ...POLICIES.map((p) => p.name), ...LOOPS.map((l) => l.name)]);

function bake(name: string, productId: string, units: number, demand: number, into = totals): void {
  const t = into.get(name)!;
  const sold = Math.min(units, demand);
  t.baked += units;
  t.sold += sold;
  t.demand += demand;
  t.revenue += sold * prices[productId]!;
  t.cost += units * prices[productId]! * COST_SHARE;
}

/**
 * How the forecasts' upper tail compares with what happened, one day ahead: how often demand passed
 * p90 and p95, and the demand beyond p90 against what the forecast's scenarios expected there (the
 * shortfall a fill-rate policy bakes against), for every product and for the five best sellers.
 */
const BEST_SELLERS = 5;
type Tail = { days: number; aboveP90: number; aboveP95: number; beyondP90: number; expectedBeyondP90: number };
const newTails = (): Tail[] =>
  [0, 1].map(() => ({ days: 0, aboveP90: 0, aboveP95: 0, beyondP90: 0, expectedBeyondP90: 0 }));
function recordTail(tails: Tail[], forecast: DemandForecast, rank: number, demand: number): void {
  const p90 = forecastQuantile(forecast, 0.9);
  const scenarios = demandScenarios(forecast);
  for (const t of rank < BEST_SELLERS ? tails : [tails[0]!]) {
    t.days += 1;
    if (demand > p90) t.aboveP90 += 1;
    if (demand > forecastQuantile(forecast, 0.95)) t.aboveP95 += 1;
    t.beyondP90 += Math.max(0, demand - p90);
    t.expectedBeyondP90 += scenarios.reduce((sum, d) => sum + Math.max(0, d - p90), 0) / scenarios.length;
  }
}

const started = performance.now();

/**
 * Replays the baselines and every policy over a window, into `into`; the forecasts' tails into `tails`.
 * The replay starts FEEDBACK_DAYS before the window, uncounted, so that the fill-rate corrections have
 * the measured days a bakery running before the window would have.
 */
function replay(from: string, to: string, into: Map<string, Totals>, tails: Tail[]): void {
  let model: TenantModel | null = null;
  // Each corrected policy's measured days, as the plan-quality records keep them.
  const measured = new Map(
    POLICIES.map(({ name }) => [name, [] as { date: string; basis: 'actuals'; fillRatePolicies: FillRateDay[] }[]]),
  );
  for (let date = addDays(from, -FEEDBACK_DAYS); date <= to; date = addDays(date, 1)) {
    if (closed.has(date)) continue;
    const counted = date >= from;
    const historyEnd = addDays(date, -1);
    const run = forecastWithModel({
      history,
      productIds,
      dates: [date],
      historyEnd,
      model,
      options: { holidays },
      staleAfterDays: 7,
    });
    model = run.model;
    const forecasts: DemandForecast[] = run.forecasts;
    const since = addDays(date, -FEEDBACK_DAYS);
    const byPolicy = POLICIES.map(({ name, policy, feedback }) => ({
      name,
      lines: new Map(
        productionLines({
          planDate: date,
          catalog: { ...catalog, ...(policy ? { servicePolicies: [policy] } : {}) },
          forecasts,
          stock: { finishedGoods: [], ingredients: [] },
          fillRateCorrections:
            feedback && policy
              ? fillRateCorrections(
                  measured.get(name)!.filter((day) => day.date >= since),
                  [policy],
                )
              : [],
        }).map((l) => [l.productId, l]),
      ),
    }));
    const sales = new Map(byPolicy.map(({ name }) => [name, [] as Parameters<typeof fillRateDays>[0][number][]]));
    for (const [index, id] of productIds.entries()) {
      const demand = history.unitsByProduct[id]![date];
      if (demand === undefined) continue;
      for (const { name, lines } of byPolicy) {
        const line = lines.get(id)!;
        sales.get(name)!.push({ line, sold: Math.min(line.plannedUnits, demand), demand });
        if (counted) bake(name, id, line.plannedUnits, demand, into);
      }
      if (!counted) continue;
      const lastWeek = fitSeasonalNaive(demandSeries(history, id, historyEnd)).forecast(date, false);
      bake(BASELINES[0]!, id, Number.isFinite(lastWeek) ? lastWeek : 0, demand, into);
      bake(BASELINES[1]!, id, Math.round(forecastQuantile(forecasts[index]!, 0.5)), demand, into);
      recordTail(tails, forecasts[index]!, index, demand);
    }
    for (const [name, sold] of sales)
      measured.get(name)!.push({ date, basis: 'actuals', fillRatePolicies: fillRateDays(sold) });
    if (process.stderr.isTTY) process.stderr.write(`\r  replaying ${date}`);
  }
  process.stderr.write('\n');
}
const tails = newTails();
replay(FROM, TO, totals, tails);
const second = { totals: newTotals([...BASELINES, ...POLICIES.map((p) => p.name)]), tails: newTails() };
replay(SECOND_WINDOW.from, SECOND_WINDOW.to, second.totals, second.tails);

/**
 * The default policy learning from its own sales (see the header): the history before the window as
 * bench:censored censors it, then each day's sales as what was baked allowed.
 */
function closedLoop(name: string, treated: boolean): void {
  const censored = censor(history, productIds).sales;
  const own: SalesHistory = {
    ...censored,
    unitsByProduct: Object.fromEntries(
      productIds.map((id) => [
        id,
        Object.fromEntries(Object.entries(censored.unitsByProduct[id]!).filter(([date]) => date < FROM)),
      ]),
    ),
    soldOut: Object.fromEntries(
      productIds.map((id) => [id, treated ? (censored.soldOut?.[id] ?? []).filter((date) => date < FROM) : []]),
    ),
  };
  let ownModel: TenantModel | null = null;
  for (let date = FROM; date <= TO; date = addDays(date, 1)) {
    if (closed.has(date)) continue;
    const run = forecastWithModel({
      history: own,
      productIds,
      dates: [date],
      historyEnd: addDays(date, -1),
      model: ownModel,
      options: { holidays },
      staleAfterDays: 7,
    });
    ownModel = run.model;
    const planned = new Map(
      productionLines({
        planDate: date,
        catalog,
        forecasts: run.forecasts,
        stock: { finishedGoods: [], ingredients: [] },
      }).map((l) => [l.productId, l.plannedUnits]),
    );
    for (const id of productIds) {
      const demand = history.unitsByProduct[id]![date];
      if (demand === undefined) continue;
      const baked = planned.get(id)!;
      bake(name, id, baked, demand);
      own.unitsByProduct[id]![date] = Math.min(baked, demand);
      if (treated && demand > baked) own.soldOut![id]!.push(date);
    }
    if (process.stderr.isTTY) process.stderr.write(`\r  ${name}: ${date}`);
  }
  process.stderr.write('\n');
}
for (const { name, treated } of LOOPS) closedLoop(name, treated);

/** A window's totals as rows, each policy's profit also against baseline (a)'s. */
function rowsOf(totals: Map<string, Totals>) {
  const lastWeek = totals.get(BASELINES[0]!)!;
  const lastWeekProfit = lastWeek.revenue - lastWeek.cost;
  return [...totals].map(([name, t]) => ({
    policy: name,
    unitsBaked: Math.round(t.baked),
    unitsSold: Math.round(t.sold),
    unitsWasted: Math.round(t.baked - t.sold),
    wastePercent: Math.round((1000 * (t.baked - t.sold)) / t.baked) / 10,
    fillRate: Math.round((10_000 * t.sold) / t.demand) / 10_000,
    profitEur: Math.round(t.revenue - t.cost),
    profitVsLastWeekPercent: Math.round((1000 * (t.revenue - t.cost - lastWeekProfit)) / lastWeekProfit) / 10,
  }));
}
const rows = rowsOf(totals);
const secondRows = rowsOf(second.totals);
const profitOf = (name: string) => rows.find((r) => r.policy === name)!.profitEur;
const fillRateOf = (name: string) => rows.find((r) => r.policy === name)!.fillRate;
const [untreated, treated] = LOOPS.map((l) => l.name) as [string, string];
const recovery = {
  profitEur: profitOf(treated) - profitOf(untreated),
  fillRatePoints: Math.round(10_000 * (fillRateOf(treated) - fillRateOf(untreated))) / 100,
  shareOfLossRecovered:
    Math.round(
      (1000 * (profitOf(treated) - profitOf(untreated))) / (profitOf(POLICIES[0]!.name) - profitOf(untreated)),
    ) / 1000,
};
const tailOf = (t: Tail) => ({
  aboveP90: Math.round((1000 * t.aboveP90) / t.days) / 1000,
  aboveP95: Math.round((1000 * t.aboveP95) / t.days) / 1000,
  beyondP90RealizedOverExpected: Math.round((1000 * t.beyondP90) / t.expectedBeyondP90) / 1000,
});
const upperTail = (t: Tail[]) => ({ allProducts: tailOf(t[0]!), bestSellers: tailOf(t[1]!) });
const result = {
  window: { from: FROM, to: TO, products: productIds.length },
  unitCostShare: COST_SHARE,
  rows,
  soldOutTreatment: recovery,
  upperTail: upperTail(tails),
  secondWindow: { window: SECOND_WINDOW, rows: secondRows, upperTail: upperTail(second.tails) },
  seconds: Math.round((performance.now() - started) / 100) / 10,
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/plan.json', `${JSON.stringify(result, null, 2)}\n`);

function printRows(title: string, printed: ReturnType<typeof rowsOf>): void {
  console.log(`${title.padEnd(28)}    baked    sold  wasted  waste %  fill rate   profit €   vs (a)`);
  for (const r of printed) {
    console.log(
      `${r.policy.padEnd(28)} ${String(r.unitsBaked).padStart(8)} ${String(r.unitsSold).padStart(7)} ${String(r.unitsWasted).padStart(7)} ${r.wastePercent.toFixed(1).padStart(8)} ${r.fillRate.toFixed(4).padStart(10)} ${String(r.profitEur).padStart(10)} ${`${r.profitVsLastWeekPercent >= 0 ? '+' : ''}${r.profitVsLastWeekPercent.toFixed(1)} %`.padStart(9)}`,
    );
  }
}
function printTail(tail: ReturnType<typeof upperTail>): void {
  const { allProducts: all, bestSellers: best } = tail;
  console.log(
    `upper tail one day ahead: demand above p90 on ${all.aboveP90} of the days (0.10 expected), above p95 on ${all.aboveP95} (0.05); demand beyond p90 ÷ what the scenarios expected there ${all.beyondP90RealizedOverExpected} (the five best sellers: ${best.aboveP90}, ${best.aboveP95}, ${best.beyondP90RealizedOverExpected})`,
  );
}
printRows(`policy, ${FROM}..${TO}`, rows);
console.log(
  `the sold-out treatment, learning from its own sales: +${recovery.fillRatePoints.toFixed(2)} fill-rate points, ${recovery.profitEur >= 0 ? '+' : ''}€${recovery.profitEur} profit over the window (${(100 * recovery.shareOfLossRecovered).toFixed(0)} % of what untreated sales lose against learning from true demand)`,
);
printTail(result.upperTail);
console.log('');
printRows(`second window ${SECOND_WINDOW.from}..${SECOND_WINDOW.to}`, secondRows);
printTail(result.secondWindow.upperTail);
console.log('wrote bench/results/plan.json');
