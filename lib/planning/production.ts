// Today's production schedule: how many units of each product to bake, split into batches of the
// recipe's yield and placed on the equipment in order of priority while its hours last.
import { createHash } from 'node:crypto';
import type {
  Batch,
  Catalog,
  DemandForecast,
  Equipment,
  Product,
  ProductionLine,
  ProductionSchedule,
  ProductionShortfall,
  Recipe,
  StockSnapshot,
} from '../domain.ts';
import { forecastQuantile } from '../forecasting/forecaster.ts';
import { addDays, type LocalDate, localTimeOf, minutesOf, weekdayOf } from '../time/tenant-clock.ts';
import { fill, type Message, said } from '../words/message.ts';
import { SENTENCES } from '../words/sentences.ts';
import type { FillRateCorrection } from './fill-rate-feedback.ts';
import { policyFor, policyRule, policyTarget } from './service-policy.ts';

export interface ProductionInput {
  tenantId: string;
  planDate: LocalDate;
  catalog: Catalog;
  /** Forecasts for `planDate`, one per product. */
  forecasts: readonly DemandForecast[];
  stock: StockSnapshot;
  generatedAt: string;
  /** Local time the bake starts ("HH:MM"; default 06:00, after the 05:30 plan). */
  shiftStart?: string;
  /** The fill-rate policies' corrections from their recent days (fill-rate-feedback.ts); none: their targets. */
  fillRateCorrections?: readonly FillRateCorrection[];
}

const DEFAULT_SHIFT_START = '06:00';

function productionPlanId(tenantId: string, planDate: LocalDate): string {
  return `prod-${tenantId}-${planDate}`;
}

/** Finished goods still sellable on `planDate`: produced within their shelf life. */
export function freshStockUnits(
  stock: StockSnapshot,
  productId: string,
  shelfLifeDays: number,
  planDate: LocalDate,
): number {
  return stock.finishedGoods
    .filter(
      (lot) =>
        lot.productId === productId && addDays(lot.producedOn, shelfLifeDays) > planDate && lot.producedOn <= planDate,
    )
    .reduce((total, lot) => total + lot.quantity, 0);
}

/** Products that keep at most this many days are baked to a newsvendor quantile; longer keepers to cover demand. */
const PERISHABLE_MAX_SHELF_LIFE_DAYS = 2;
/** Service level for products that keep: cover demand up to this quantile (forecast plus safety stock). */
const NON_PERISHABLE_SERVICE_LEVEL = 0.9;

/**
 * The newsvendor critical ratio: bake up to the demand quantile where one more unit is as likely to
 * lose its cost (unsold, worth only its salvage value) as to earn its margin.
 */
export function criticalRatio(product: Pick<Product, 'unitPrice' | 'unitCost' | 'salvageValue'>): number {
  const underage = product.unitPrice - product.unitCost;
  const overage = product.unitCost - product.salvageValue;
  if (underage <= 0) return 0.01; // sold at a loss: bake the minimum demand suggests
  if (overage <= 0) return 0.99; // unsold units lose nothing
  return Math.min(0.99, Math.max(0.01, underage / (underage + overage)));
}

/**
 * The demand quantile a product is baked to, and why: its family's service policy when the catalog
 * sets one (and there is a forecast to measure it on), else the newsvendor ratio for perishables and a
 * service level for products that keep.
 */
function targetQuantile(
  product: Product,
  forecast: DemandForecast | undefined,
  catalog: Pick<Catalog, 'servicePolicies'>,
  corrections: readonly FillRateCorrection[] = [],
): { level: number; rule: Message; units?: number; fillRate?: ProductionLine['fillRate'] } {
  const policy = policyFor(catalog.servicePolicies, product.family);
  const correction =
    policy?.targetFillRate === undefined
      ? undefined
      : corrections.find((c) => c.family === policy.family && c.target === policy.targetFillRate);
  const target =
    policy && forecast
      ? policyTarget(forecast, correction ? { ...policy, targetFillRate: correction.bakeTo } : policy)
      : null;
  if (policy && target)
    return {
      ...target,
      rule: policyRule(policy, correction),
      ...(policy.targetFillRate === undefined
        ? {}
        : {
            fillRate: {
              family: policy.family,
              target: policy.targetFillRate,
              bakedTo: correction?.bakeTo ?? policy.targetFillRate,
            },
          }),
    };
  if (product.shelfLifeDays <= PERISHABLE_MAX_SHELF_LIFE_DAYS) {
    return { level: criticalRatio(product), rule: { text: SENTENCES.ruleNewsvendor } };
  }
  return { level: NON_PERISHABLE_SERVICE_LEVEL, rule: { text: SENTENCES.ruleServiceLevel } };
}

/** Units to bake per product: the target demand quantile (or par level if higher) minus fresh stock, never negative. */
export function productionLines(input: Omit<ProductionInput, 'generatedAt' | 'tenantId'>): ProductionLine[] {
  const forecastByProduct = new Map(input.forecasts.map((f) => [f.productId, f]));
  const weekday = weekdayOf(input.planDate);
  return input.catalog.products.map((product) => {
    const forecast = forecastByProduct.get(product.productId);
    const target = targetQuantile(product, forecast, input.catalog, input.fillRateCorrections);
    const targetUnits = target.units ?? (forecast ? forecastQuantile(forecast, target.level) : 0);
    const parLevelUnits = product.parLevelByWeekday?.[weekday] ?? 0;
    const freshStock = freshStockUnits(input.stock, product.productId, product.shelfLifeDays, input.planDate);
    const plannedUnits = Math.max(0, Math.ceil(Math.max(targetUnits, parLevelUnits) - freshStock - 1e-9));
    return {
      productId: product.productId,
      forecastUnits: forecast?.pointForecast ?? 0,
      quantile: Math.round(target.level * 1000) / 1000,
      quantileRule: fill(target.rule.text, target.rule.values),
      quantileRuleMessage: target.rule,
      targetUnits: Math.round(targetUnits * 100) / 100,
      freshStockUnits: freshStock,
      parLevelUnits,
      plannedUnits,
      ...(target.fillRate ? { fillRate: target.fillRate } : {}),
    };
  });
}

export interface BatchRules {
  maxUnits: number;
  minUnits: number;
  multipleUnits: number;
}

/** A recipe's batch rules, with the equipment's capacity per batch as a further ceiling. */
export function batchRules(recipe: Recipe, equipment: Equipment | undefined): BatchRules {
  const multipleUnits = Math.max(1, recipe.batch?.multipleUnits ?? 1);
  const ceiling = Math.min(
    recipe.batch?.maxUnits ?? Math.floor(recipe.yieldQuantity * (1 - recipe.wasteFactor)),
    equipment?.capacityPerBatch ?? Number.POSITIVE_INFINITY,
  );
  const maxUnits = Math.max(multipleUnits, Math.floor(ceiling / multipleUnits) * multipleUnits);
  const minUnits = Math.min(maxUnits, Math.ceil((recipe.batch?.minUnits ?? 1) / multipleUnits) * multipleUnits);
  return { maxUnits, minUnits, multipleUnits };
}

/**
 * Batch sizes for a quantity: full batches of the largest size, then one last batch of what remains,
 * rounded up to the multiple and raised to the minimum (so the total may exceed the quantity).
 */
export function batchSizes(units: number, rules: BatchRules): number[] {
  const sizes: number[] = [];
  let remaining = units;
  while (remaining > 0) {
    const size =
      remaining >= rules.maxUnits
        ? rules.maxUnits
        : Math.max(rules.minUnits, Math.ceil(remaining / rules.multipleUnits) * rules.multipleUnits);
    sizes.push(size);
    remaining -= size;
  }
  return sizes;
}

/** Why a batch is its size: the forecast, the quantile its rule chose, par level and fresh stock, the batch rules. */
function batchReasoning(
  line: ProductionLine,
  extra: number,
  n: number,
  of: number,
): Pick<Batch, 'reasoning' | 'reasoningMessage'> {
  const { reason, message } = said(extra > 0 ? SENTENCES.batchExtra : SENTENCES.batch, {
    forecast: line.forecastUnits,
    rule: line.quantileRuleMessage ?? line.quantileRule,
    quantile: line.quantile,
    target: line.targetUnits,
    par: line.parLevelUnits,
    fresh: line.freshStockUnits,
    bake: line.plannedUnits,
    ...(extra > 0 ? { extra } : {}),
    n,
    of,
  });
  return { reasoning: reason, reasoningMessage: message };
}

function batchNumber(tenantId: string, planDate: LocalDate, productId: string, index: number): string {
  const suffix = createHash('sha256')
    .update(`${tenantId}|${planDate}|${productId}|${index}`)
    .digest('hex')
    .slice(0, 6)
    .toUpperCase();
  return `BATCH-${planDate.replaceAll('-', '')}-${suffix}`;
}

export function planProduction(input: ProductionInput): ProductionSchedule {
  const recipes = new Map(input.catalog.recipes.map((r) => [r.recipeId, r]));
  const minutesLeft = new Map(input.catalog.equipment.map((e) => [e.equipmentId, e.availableHoursPerDay * 60]));
  // Minutes after the shift start at which each lane (an equipment, or the bench) is free again.
  const laneFree = new Map<string | null, number>();
  const shiftStart = minutesOf(input.shiftStart ?? DEFAULT_SHIFT_START);
  const lines = productionLines(input);
  // The products that earn most per unit go first, so that capacity goes where it matters most.
  const margin = new Map(input.catalog.products.map((p) => [p.productId, p.unitPrice - p.unitCost]));
  const ordered = [...lines]
    .filter((l) => l.plannedUnits > 0)
    .sort((a, b) => b.plannedUnits * (margin.get(b.productId) ?? 0) - a.plannedUnits * (margin.get(a.productId) ?? 0));
  const batches: Batch[] = [];
  const shortfalls: ProductionShortfall[] = [];
  ordered.forEach((line, rank) => {
    const product = input.catalog.products.find((p) => p.productId === line.productId)!;
    const recipe = recipes.get(product.recipeId);
    if (!recipe) {
      shortfalls.push({
        productId: line.productId,
        units: line.plannedUnits,
        ...said(SENTENCES.recipeMissing, { recipe: product.recipeId }),
      });
      return;
    }
    const equipmentId = recipe.equipmentId ?? null;
    const sizes = batchSizes(
      line.plannedUnits,
      batchRules(
        recipe,
        input.catalog.equipment.find((e) => e.equipmentId === equipmentId),
      ),
    );
    const extra = sizes.reduce((a, b) => a + b, 0) - line.plannedUnits;
    let remaining = line.plannedUnits;
    for (const [index, quantity] of sizes.entries()) {
      if (equipmentId !== null) {
        const left = minutesLeft.get(equipmentId) ?? 0;
        if (left < recipe.batchMinutes) {
          shortfalls.push({
            productId: line.productId,
            units: remaining,
            ...said(SENTENCES.noHoursLeft, { equipment: equipmentId }),
          });
          return;
        }
        minutesLeft.set(equipmentId, left - recipe.batchMinutes);
      }
      const offset = laneFree.get(equipmentId) ?? 0;
      laneFree.set(equipmentId, offset + recipe.batchMinutes);
      batches.push({
        batchNumber: batchNumber(input.tenantId, input.planDate, line.productId, index),
        productId: line.productId,
        recipeId: recipe.recipeId,
        quantity,
        equipmentId,
        sequence: batches.length + 1,
        startsAt: localTimeOf(shiftStart + offset),
        minutes: recipe.batchMinutes,
        priority: rank < ordered.length / 3 ? 'high' : rank < (2 * ordered.length) / 3 ? 'medium' : 'low',
        ...batchReasoning(line, extra, index + 1, sizes.length),
      });
      remaining = Math.max(0, remaining - quantity);
    }
  });
  return {
    planId: productionPlanId(input.tenantId, input.planDate),
    tenantId: input.tenantId,
    planDate: input.planDate,
    status: 'draft',
    lines,
    batches,
    shortfalls,
    generatedAt: input.generatedAt,
  };
}
