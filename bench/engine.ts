// `npm run bench:engine`: the planning engine for one large synthetic tenant — 150 products, 60
// ingredients, 3-level recipes, 730 days of history. Reports the weekly model fit (training time per
// tenant), the daily scoring of the fitted model for 7 days, and the whole daily run (scoring, the
// production schedule, the procurement plan); medians and p95 over repeated runs. For comparison in the
// same run: the per-product forecaster that fits every model every day (what a daily job does when it
// has no model), and the daily scoring of a tenant that records its evenings: the year the job reads,
// with one product-day in twelve of the fast and medium movers marked sold out (the treatment of
// lib/forecasting/censoring.ts runs at every scoring).
import { mkdirSync, writeFileSync } from 'node:fs';
import { packJson } from '../lib/aws/dynamodb/packed-json.ts';
import { forecastDemand } from '../lib/forecasting/forecaster.ts';
import { toModelDocument } from '../lib/forecasting/model-document.ts';
import {
  fitTenantModel,
  SCORING_HISTORY_DAYS,
  scoreTenantModel,
  type TenantModel,
} from '../lib/forecasting/tenant-model.ts';
import { planProcurement } from '../lib/planning/procurement.ts';
import { planProduction, productionLines } from '../lib/planning/production.ts';
import { addDays } from '../lib/time/tenant-clock.ts';
import { HISTORY_DAYS, INGREDIENTS, PLAN_DATE, PRODUCTS, syntheticTenant } from './synthetic-tenant.ts';

const RUNS = Number(process.env.RUNS ?? 25);

const dates = Array.from({ length: 7 }, (_, i) => addDays(PLAN_DATE, i));
const historyEnd = addDays(PLAN_DATE, -1);

function planTenant(tenant: ReturnType<typeof syntheticTenant>, model: TenantModel) {
  const { forecasts } = scoreTenantModel(
    model,
    tenant.history,
    tenant.catalog.products.map((p) => p.productId),
    dates,
    historyEnd,
  );
  const schedule = planProduction({
    tenantId: 't',
    planDate: PLAN_DATE,
    catalog: tenant.catalog,
    forecasts: forecasts.filter((f) => f.forecastDate === PLAN_DATE),
    stock: tenant.stock,
    generatedAt: '',
  });
  const production = [
    { date: PLAN_DATE, units: new Map(schedule.lines.map((l) => [l.productId, l.plannedUnits])) },
    ...dates.slice(1).map((date) => ({
      date,
      units: new Map(
        productionLines({
          planDate: date,
          catalog: tenant.catalog,
          forecasts: forecasts.filter((f) => f.forecastDate === date),
          stock: { finishedGoods: [], ingredients: [] },
        }).map((l) => [l.productId, l.plannedUnits]),
      ),
    })),
  ];
  const plan = planProcurement({
    tenantId: 't',
    planDate: PLAN_DATE,
    version: 1,
    horizonDays: 7,
    catalog: tenant.catalog,
    production,
    ingredientStock: tenant.stock.ingredients,
    generatedAt: '',
    currency: 'EUR',
  });
  return {
    forecasts: forecasts.length,
    batches: schedule.batches.length,
    shortfalls: schedule.shortfalls.length,
    requirements: plan.requirements.length,
  };
}

/** Median and p95 milliseconds of `runs` calls, after one warm-up call (JIT). */
function time<T>(runs: number, call: () => T): { medianMs: number; p95Ms: number; last: T } {
  let last = call();
  const timings: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    last = call();
    timings.push(performance.now() - started);
  }
  timings.sort((a, b) => a - b);
  const round = (v: number) => Math.round(v * 100) / 100;
  return {
    medianMs: round(timings[Math.floor(timings.length / 2)]!),
    p95Ms: round(timings[Math.min(timings.length - 1, Math.ceil(timings.length * 0.95) - 1)]!),
    last,
  };
}

const tenant = syntheticTenant();
const productIds = tenant.catalog.products.map((p) => p.productId);
const TRAINING_RUNS = Number(process.env.TRAINING_RUNS ?? 3);
console.log(`▶ weekly fit: ${TRAINING_RUNS} runs…`);
const training = time(TRAINING_RUNS, () => fitTenantModel(tenant.history, productIds, historyEnd));
const model = training.last;
// What the model-refit job stores: the gzip JSON document, trees in binary (base64).
const modelBytes = packJson(toModelDocument(model, new Date())).length;
console.log(`▶ daily scoring and planning: ${RUNS} runs each…`);
const scoring = time(RUNS, () => scoreTenantModel(model, tenant.history, productIds, dates, historyEnd));
const daily = time(RUNS, () => planTenant(tenant, model));
const scoringFrom = addDays(historyEnd, -SCORING_HISTORY_DAYS + 1);
const soldOut: Record<string, string[]> = {};
const recentYear = Object.fromEntries(
  productIds.map((id, i) => {
    const byDate = Object.fromEntries(
      Object.entries(tenant.history.unitsByProduct[id]!).filter(([date]) => date >= scoringFrom),
    );
    if (i < 100) soldOut[id] = Object.keys(byDate).filter((_, k) => (k + i) % 12 === 0);
    return [id, byDate];
  }),
);
const withSoldOut = { ...tenant.history, unitsByProduct: recentYear, soldOut };
const soldOutDays = Object.values(soldOut).reduce((sum, days) => sum + days.length, 0);
const scoringSoldOut = time(RUNS, () => scoreTenantModel(model, withSoldOut, productIds, dates, historyEnd));
const perProduct = time(Math.max(3, Math.floor(RUNS / 5)), () =>
  forecastDemand(tenant.history, productIds, dates, historyEnd),
);
// A tenant with five years of sales: the fit also tries all of it against the last two years.
console.log('▶ weekly fit with five years of sales: 1 run…');
const fiveYears = syntheticTenant(42, PLAN_DATE, PRODUCTS, 5 * 364);
const longFit = fitTenantModel(fiveYears.history, productIds, historyEnd).training;
const methods: Record<string, number> = {};
for (const p of Object.values(model.products)) {
  const method = p.globalWeight === 1 ? 'global' : p.globalWeight === 0 ? p.local : `global+${p.local}`;
  methods[method] = (methods[method] ?? 0) + 1;
}
const result = {
  tenant: { products: PRODUCTS, ingredients: INGREDIENTS, recipeLevels: 3, historyDays: HISTORY_DAYS },
  runs: RUNS,
  weeklyFit: {
    runs: TRAINING_RUNS,
    medianMs: training.medianMs,
    trainingRows: model.training.rows,
    trees: model.global?.roots.length ?? 0,
    modelBytes,
    methods,
  },
  weeklyFitFiveYears: {
    ms: longFit.milliseconds,
    trainingFrom: longFit.from,
    trainingRows: longFit.rows,
    historyTried: longFit.historyTried,
  },
  dailyScoring: { medianMs: scoring.medianMs, p95Ms: scoring.p95Ms, forecasts: scoring.last.forecasts.length },
  dailyRun: { medianMs: daily.medianMs, p95Ms: daily.p95Ms, output: daily.last },
  dailyScoringWithSoldOutDays: { medianMs: scoringSoldOut.medianMs, p95Ms: scoringSoldOut.p95Ms, soldOutDays },
  perProductFitEveryDay: {
    medianMs: perProduct.medianMs,
    ratioToScoring: Math.round((perProduct.medianMs / scoring.medianMs) * 10) / 10,
  },
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/engine.json', `${JSON.stringify(result, null, 2)}\n`);
console.log(
  `one tenant (${PRODUCTS} products, ${INGREDIENTS} ingredients, 3-level recipes, ${HISTORY_DAYS} days of history):`,
);
console.log(
  `  weekly model fit        median ${training.medianMs} ms over ${TRAINING_RUNS} runs (${model.training.rows} training rows, ${result.weeklyFit.trees} trees, ${Math.round(modelBytes / 1024)} KiB stored, gzip)`,
);
console.log(
  `  weekly model fit, five years of sales  ${longFit.milliseconds} ms, one run (all of it tried against the last two years: held-out error ${longFit.historyTried?.longerError} against ${longFit.historyTried?.recentError}; trained from ${longFit.from})`,
);
console.log(
  `  daily scoring, 7 days   median ${scoring.medianMs} ms, p95 ${scoring.p95Ms} ms over ${RUNS} runs (${scoring.last.forecasts.length} forecasts)`,
);
console.log(`  daily run (scoring + production + procurement)  median ${daily.medianMs} ms, p95 ${daily.p95Ms} ms`);
console.log(
  `  daily scoring, the year the job reads with ${soldOutDays} sold-out product-days  median ${scoringSoldOut.medianMs} ms, p95 ${scoringSoldOut.p95Ms} ms`,
);
console.log(
  `  per-product fit every day (no model)            median ${perProduct.medianMs} ms: ${result.perProductFitEveryDay.ratioToScoring}× the scoring`,
);
console.log(
  `  output: ${daily.last.forecasts} forecasts, ${daily.last.batches} batches, ${daily.last.shortfalls} shortfalls, ${daily.last.requirements} requirements`,
);
console.log('wrote bench/results/engine.json');
