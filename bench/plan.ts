// `npm run bench:plan`: replays the French bakery day by day (2022-07-01 to 2022-09-30, top 20
// products): each open day a policy decides what to bake, demand is that day's actual sales, what is
// not sold is wasted (unit cost 30 % of price, salvage 0). Three policies in the same run:
// (a) bake what sold the same weekday last week, (b) bake the p50 forecast, (c) the engine's plan.
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Catalog, DemandForecast } from '../lib/domain.ts';
import { forecastQuantile, forecastSeries } from '../lib/forecasting/forecaster.ts';
import { fitSeasonalNaive } from '../lib/forecasting/models.ts';
import { demandSeries } from '../lib/forecasting/series.ts';
import { productionLines } from '../lib/planning/production.ts';
import { addDays } from '../lib/time/tenant-clock.ts';
import { frenchBakeryHistory, frenchHolidays } from './french-bakery.ts';

const FROM = '2022-07-01';
const TO = '2022-09-30';
const COST_SHARE = 0.3;
const { history, productIds, prices } = frenchBakeryHistory(20);
const holidays = frenchHolidays();
const closed = new Set(history.closedDates);

const catalog: Catalog = {
  products: productIds.map((id) => ({
    productId: id, name: id, unitPrice: prices[id]!, unitCost: prices[id]! * COST_SHARE, salvageValue: 0, shelfLifeDays: 1, recipeId: id,
  })),
  ingredients: [], recipes: [], suppliers: [], equipment: [],
};

type Policy = 'lastWeek' | 'p50' | 'engine';
const totals: Record<Policy, { baked: number; sold: number; wasted: number; demand: number; revenue: number; cost: number }> = {
  lastWeek: { baked: 0, sold: 0, wasted: 0, demand: 0, revenue: 0, cost: 0 },
  p50: { baked: 0, sold: 0, wasted: 0, demand: 0, revenue: 0, cost: 0 },
  engine: { baked: 0, sold: 0, wasted: 0, demand: 0, revenue: 0, cost: 0 },
};

const started = performance.now();
for (let date = FROM; date <= TO; date = addDays(date, 1)) {
  if (closed.has(date)) continue;
  const historyEnd = addDays(date, -1);
  const forecasts: DemandForecast[] = productIds.map((id) => forecastSeries(demandSeries(history, id, historyEnd, holidays), id, [date], historyEnd, { holidays })[0]!);
  const engineUnits = new Map(productionLines({ planDate: date, catalog, forecasts, stock: { finishedGoods: [], ingredients: [] } }).map((l) => [l.productId, l.plannedUnits]));
  for (const [index, id] of productIds.entries()) {
    const demand = history.unitsByProduct[id]![date];
    if (demand === undefined) continue;
    const lastWeek = fitSeasonalNaive(demandSeries(history, id, historyEnd)).forecast(date, false);
    const bake: Record<Policy, number> = {
      lastWeek: Number.isFinite(lastWeek) ? lastWeek : 0,
      p50: Math.round(forecastQuantile(forecasts[index]!, 0.5)),
      engine: engineUnits.get(id)!,
    };
    for (const policy of Object.keys(bake) as Policy[]) {
      const t = totals[policy];
      const sold = Math.min(bake[policy], demand);
      t.baked += bake[policy];
      t.sold += sold;
      t.wasted += bake[policy] - sold;
      t.demand += demand;
      t.revenue += sold * prices[id]!;
      t.cost += bake[policy] * prices[id]! * COST_SHARE;
    }
  }
  if (process.stderr.isTTY) process.stderr.write(`\r  replaying ${date}`);
}
process.stderr.write('\n');
const report = Object.fromEntries(
  (Object.keys(totals) as Policy[]).map((policy) => {
    const t = totals[policy];
    return [policy, {
      unitsBaked: t.baked, unitsSold: t.sold, unitsWasted: t.wasted, wastePercent: Math.round((1000 * t.wasted) / t.baked) / 10,
      fillRate: Math.round((10_000 * t.sold) / t.demand) / 10_000, profitEur: Math.round(t.revenue - t.cost),
    }];
  }),
) as Record<Policy, { unitsBaked: number; unitsSold: number; unitsWasted: number; wastePercent: number; fillRate: number; profitEur: number }>;
const gain = (policy: Policy) => Math.round((1000 * (report.engine.profitEur - report[policy].profitEur)) / report[policy].profitEur) / 10;
const result = { window: { from: FROM, to: TO, products: productIds.length }, unitCostShare: COST_SHARE, policies: report, engineGainPercent: { overLastWeek: gain('lastWeek'), overP50: gain('p50') }, seconds: (performance.now() - started) / 1000 };
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/plan.json', JSON.stringify(result, null, 2) + '\n');
console.log('policy        baked    sold  wasted  waste %  fill rate   profit €');
for (const [name, r] of Object.entries(report)) {
  console.log(`${name.padEnd(10)} ${String(r.unitsBaked).padStart(8)} ${String(r.unitsSold).padStart(7)} ${String(r.unitsWasted).padStart(7)} ${r.wastePercent.toFixed(1).padStart(8)} ${r.fillRate.toFixed(4).padStart(10)} ${String(r.profitEur).padStart(10)}`);
}
console.log(`engine profit vs (a) last week: ${gain('lastWeek')} %, vs (b) p50: ${gain('p50')} %`);
console.log('wrote bench/results/plan.json');
