// `npm run bench:engine`: the planning engine for one large synthetic tenant — 150 products, 60
// ingredients, 3-level recipes, 730 days of history. Reports the weekly model fit (training time per
// tenant), the daily scoring of the fitted model for 7 days, and the whole daily run (scoring, the
// production schedule, the procurement plan); medians and p95 over repeated runs. For comparison in the
// same run: the per-product forecaster that fits every model every day (what a daily job does when it
// has no model).
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Catalog, Recipe, SalesHistory, StockSnapshot } from '../lib/domain.ts';
import { forecastDemand } from '../lib/forecasting/forecaster.ts';
import { fitTenantModel, scoreTenantModel, type TenantModel } from '../lib/forecasting/tenant-model.ts';
import { planProcurement } from '../lib/planning/procurement.ts';
import { planProduction, productionLines } from '../lib/planning/production.ts';
import { addDays, weekdayOf } from '../lib/time/tenant-clock.ts';

const PRODUCTS = 150;
const INGREDIENTS = 60;
const HISTORY_DAYS = 730;
const RUNS = Number(process.env.RUNS ?? 25);
const PLAN_DATE = '2026-11-28';

function random(seed: number) {
  let state = seed;
  return () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
}

export function syntheticTenant(seed = 42): { catalog: Catalog; history: SalesHistory; stock: StockSnapshot } {
  const next = random(seed);
  const ingredients = Array.from({ length: INGREDIENTS }, (_, i) => ({
    ingredientId: `ing-${i}`, name: `Ingredient ${i}`, unit: 'kg' as const, shelfLifeDays: 5 + Math.floor(next() * 200), safetyStockQuantity: Math.round(next() * 10),
  }));
  // Level 3: 10 bases (levain, creams) from ingredients; level 2: 30 doughs from bases and ingredients; level 1: products.
  const recipes: Recipe[] = [];
  const pick = (n: number, prefix: string, count: number) => Array.from({ length: count }, () => `${prefix}-${Math.floor(next() * n)}`);
  for (let i = 0; i < 10; i += 1) {
    recipes.push({ recipeId: `base-${i}`, name: `Base ${i}`, yieldQuantity: 5, yieldUnit: 'kg', wasteFactor: 0.02, batchMinutes: 20,
      components: [...new Set(pick(INGREDIENTS, 'ing', 3))].map((id) => ({ kind: 'ingredient' as const, id, quantity: 1 + next() * 2 })) });
  }
  for (let i = 0; i < 30; i += 1) {
    recipes.push({ recipeId: `dough-${i}`, name: `Dough ${i}`, yieldQuantity: 10, yieldUnit: 'kg', wasteFactor: 0.03, batchMinutes: 25,
      components: [
        { kind: 'recipe', id: `base-${i % 10}`, quantity: 1 + next() * 2 },
        ...[...new Set(pick(INGREDIENTS, 'ing', 4))].map((id) => ({ kind: 'ingredient' as const, id, quantity: 0.5 + next() * 4 })),
      ] });
  }
  const products = Array.from({ length: PRODUCTS }, (_, i) => {
    const price = 0.8 + next() * 4;
    recipes.push({ recipeId: `bake-${i}`, name: `Product ${i}`, yieldQuantity: 20 + Math.floor(next() * 40), yieldUnit: 'unit', wasteFactor: 0.03, batchMinutes: 15 + Math.floor(next() * 30),
      equipmentId: `oven-${i % 4}`, components: [{ kind: 'recipe', id: `dough-${i % 30}`, quantity: 3 + next() * 8 }, { kind: 'ingredient', id: `ing-${Math.floor(next() * INGREDIENTS)}`, quantity: 0.2 }] });
    return { productId: `p-${i}`, name: `Product ${i}`, unitPrice: price, unitCost: price * 0.3, salvageValue: 0, shelfLifeDays: 1 + Math.floor(next() * 3), recipeId: `bake-${i}` };
  });
  const suppliers = Array.from({ length: 8 }, (_, s) => ({
    supplierId: `sup-${s}`, name: `Supplier ${s}`, leadTimeDays: 1 + (s % 5), preferred: s % 3 === 0,
    offers: ingredients.filter((_, i) => i % 8 === s || i % 5 === s).map((ing) => ({ ingredientId: ing.ingredientId, unitPrice: 0.5 + next() * 10, minimumOrderQuantity: 5 * Math.ceil(next() * 5), packSize: [1, 5, 10, 25][Math.floor(next() * 4)]! })),
  }));
  const equipment = Array.from({ length: 4 }, (_, e) => ({ equipmentId: `oven-${e}`, name: `Oven ${e}`, kind: 'oven' as const, availableHoursPerDay: 16 }));
  const weekly = [0, 0.9, 0.8, 0.85, 0.95, 1.1, 1.5, 1.3];
  const history: SalesHistory = { unitsByProduct: {}, closedDates: [] };
  for (let d = 1; d <= HISTORY_DAYS; d += 1) {
    const date = addDays(PLAN_DATE, -d);
    if (weekdayOf(date) === 3 && next() < 0.1) history.closedDates.push(date);
  }
  const closed = new Set(history.closedDates);
  for (const [i, p] of products.entries()) {
    const base = i < 20 ? 50 + next() * 150 : i < 100 ? 5 + next() * 30 : next() * 3; // fast, medium and slow movers
    const byDate: Record<string, number> = {};
    for (let d = 1; d <= HISTORY_DAYS; d += 1) {
      const date = addDays(PLAN_DATE, -d);
      if (closed.has(date)) continue;
      const season = 1 + 0.3 * Math.sin((2 * Math.PI * d) / 365);
      byDate[date] = Math.max(0, Math.round(base * season * weekly[weekdayOf(date)]! * (0.7 + 0.6 * next())));
    }
    history.unitsByProduct[p.productId] = byDate;
  }
  const stock: StockSnapshot = {
    finishedGoods: products.slice(0, 30).map((p) => ({ productId: p.productId, quantity: 3, producedOn: addDays(PLAN_DATE, -1) })),
    ingredients: ingredients.map((ing) => ({ ingredientId: ing.ingredientId, quantity: Math.round(next() * 100), expiresOn: addDays(PLAN_DATE, 3 + Math.floor(next() * 40)) })),
  };
  return { catalog: { products, ingredients, recipes, suppliers, equipment }, history, stock };
}

const dates = Array.from({ length: 7 }, (_, i) => addDays(PLAN_DATE, i));
const historyEnd = addDays(PLAN_DATE, -1);

function planTenant(tenant: ReturnType<typeof syntheticTenant>, model: TenantModel) {
  const { forecasts } = scoreTenantModel(model, tenant.history, tenant.catalog.products.map((p) => p.productId), dates, historyEnd);
  const schedule = planProduction({ tenantId: 't', planDate: PLAN_DATE, catalog: tenant.catalog, forecasts: forecasts.filter((f) => f.forecastDate === PLAN_DATE), stock: tenant.stock, generatedAt: '' });
  const production = [
    { date: PLAN_DATE, units: new Map(schedule.lines.map((l) => [l.productId, l.plannedUnits])) },
    ...dates.slice(1).map((date) => ({
      date,
      units: new Map(productionLines({ planDate: date, catalog: tenant.catalog, forecasts: forecasts.filter((f) => f.forecastDate === date), stock: { finishedGoods: [], ingredients: [] } }).map((l) => [l.productId, l.plannedUnits])),
    })),
  ];
  const plan = planProcurement({ tenantId: 't', planDate: PLAN_DATE, version: 1, horizonDays: 7, catalog: tenant.catalog, production, ingredientStock: tenant.stock.ingredients, generatedAt: '', currency: 'EUR' });
  return { forecasts: forecasts.length, batches: schedule.batches.length, shortfalls: schedule.shortfalls.length, requirements: plan.requirements.length };
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
  return { medianMs: round(timings[Math.floor(timings.length / 2)]!), p95Ms: round(timings[Math.min(timings.length - 1, Math.ceil(timings.length * 0.95) - 1)]!), last };
}

const tenant = syntheticTenant();
const productIds = tenant.catalog.products.map((p) => p.productId);
const TRAINING_RUNS = Number(process.env.TRAINING_RUNS ?? 3);
console.log(`▶ weekly fit: ${TRAINING_RUNS} runs…`);
const training = time(TRAINING_RUNS, () => fitTenantModel(tenant.history, productIds, historyEnd));
const model = training.last;
const modelBytes = JSON.stringify({ ...model, global: null }).length + (model.global ? model.global.feature.length * 14 : 0);
console.log(`▶ daily scoring and planning: ${RUNS} runs each…`);
const scoring = time(RUNS, () => scoreTenantModel(model, tenant.history, productIds, dates, historyEnd));
const daily = time(RUNS, () => planTenant(tenant, model));
const perProduct = time(Math.max(3, Math.floor(RUNS / 5)), () => forecastDemand(tenant.history, productIds, dates, historyEnd));
const methods: Record<string, number> = {};
for (const p of Object.values(model.products)) {
  const method = p.globalWeight === 1 ? 'global' : p.globalWeight === 0 ? p.local : `global+${p.local}`;
  methods[method] = (methods[method] ?? 0) + 1;
}
const result = {
  tenant: { products: PRODUCTS, ingredients: INGREDIENTS, recipeLevels: 3, historyDays: HISTORY_DAYS },
  runs: RUNS,
  weeklyFit: { runs: TRAINING_RUNS, medianMs: training.medianMs, trainingRows: model.training.rows, trees: model.global?.roots.length ?? 0, modelBytes, methods },
  dailyScoring: { medianMs: scoring.medianMs, p95Ms: scoring.p95Ms, forecasts: scoring.last.forecasts.length },
  dailyRun: { medianMs: daily.medianMs, p95Ms: daily.p95Ms, output: daily.last },
  perProductFitEveryDay: { medianMs: perProduct.medianMs, ratioToScoring: Math.round((perProduct.medianMs / scoring.medianMs) * 10) / 10 },
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/engine.json', JSON.stringify(result, null, 2) + '\n');
console.log(`one tenant (${PRODUCTS} products, ${INGREDIENTS} ingredients, 3-level recipes, ${HISTORY_DAYS} days of history):`);
console.log(`  weekly model fit        median ${training.medianMs} ms over ${TRAINING_RUNS} runs (${model.training.rows} training rows, ${result.weeklyFit.trees} trees, ~${Math.round(modelBytes / 1024)} KiB stored)`);
console.log(`  daily scoring, 7 days   median ${scoring.medianMs} ms, p95 ${scoring.p95Ms} ms over ${RUNS} runs (${scoring.last.forecasts.length} forecasts)`);
console.log(`  daily run (scoring + production + procurement)  median ${daily.medianMs} ms, p95 ${daily.p95Ms} ms`);
console.log(`  per-product fit every day (no model)            median ${perProduct.medianMs} ms: ${result.perProductFitEveryDay.ratioToScoring}× the scoring`);
console.log(`  output: ${daily.last.forecasts} forecasts, ${daily.last.batches} batches, ${daily.last.shortfalls} shortfalls, ${daily.last.requirements} requirements`);
console.log('wrote bench/results/engine.json');
