// The procurement plan: ingredient needs of the coming days' production, netted against usable stock,
// topped up to safety stock, bought from the right supplier early enough and in the quantities the
// supplier sells.
import type {
  Catalog, IngredientLot, ProcurementPlan, ProcurementRequirement, QuantityAdjustment, RequirementPriority, Supplier, SupplierOffer,
} from '../domain.ts';
import { addDays, daysBetween, type LocalDate } from '../time/tenant-clock.ts';
import { explodeRecipe } from './recipes.ts';

export const DEFAULT_HORIZON_DAYS = 7;

export interface DailyProduction {
  date: LocalDate;
  /** productId → units to produce that day. */
  units: ReadonlyMap<string, number>;
}

export interface ProcurementInput {
  tenantId: string;
  planDate: LocalDate;
  version: number;
  horizonDays: number;
  catalog: Catalog;
  production: readonly DailyProduction[];
  ingredientStock: readonly IngredientLot[];
  generatedAt: string;
  supersedes?: string;
}

export function procurementPlanId(tenantId: string, planDate: LocalDate, version: number): string {
  return `proc-${tenantId}-${planDate}-v${version}`;
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;

/** Ingredient needs per date, from each day's production exploded through the recipes. */
export function grossRequirements(catalog: Catalog, production: readonly DailyProduction[]): Map<string, Map<LocalDate, number>> {
  const recipes = new Map(catalog.recipes.map((r) => [r.recipeId, r]));
  const products = new Map(catalog.products.map((p) => [p.productId, p]));
  const needs = new Map<string, Map<LocalDate, number>>();
  for (const day of production) {
    const exploded = new Map<string, number>();
    for (const [productId, units] of day.units) {
      const product = products.get(productId);
      if (!product) throw new RangeError(`Production of unknown product "${productId}" on ${day.date}.`);
      if (units > 0) explodeRecipe(product.recipeId, units, recipes, exploded);
    }
    for (const [ingredientId, quantity] of exploded) {
      if (!needs.has(ingredientId)) needs.set(ingredientId, new Map());
      const byDate = needs.get(ingredientId)!;
      byDate.set(day.date, (byDate.get(day.date) ?? 0) + quantity);
    }
  }
  return needs;
}

interface Projection {
  firstShortDate: LocalDate | null;
  shortfall: number;
  usableStart: number;
  endStock: number;
  belowSafetyDate: LocalDate | null;
}

/** Consumes usable lots first-expiring-first, day by day; expired stock never counts. */
function project(dates: readonly LocalDate[], needByDate: ReadonlyMap<LocalDate, number>, lots: readonly IngredientLot[], safety: number): Projection {
  const remaining = lots.map((lot) => ({ ...lot })).sort((a, b) => a.expiresOn.localeCompare(b.expiresOn));
  const usableOn = (date: LocalDate) => remaining.filter((lot) => lot.expiresOn > date).reduce((t, lot) => t + lot.quantity, 0);
  const usableStart = dates[0] ? usableOn(dates[0]) : 0;
  let firstShortDate: LocalDate | null = null;
  let belowSafetyDate: LocalDate | null = null;
  let shortfall = 0;
  for (const date of dates) {
    let need = needByDate.get(date) ?? 0;
    for (const lot of remaining) {
      if (need <= 0) break;
      if (lot.expiresOn <= date || lot.quantity <= 0) continue;
      const used = Math.min(lot.quantity, need);
      lot.quantity -= used;
      need -= used;
    }
    if (need > 1e-9) {
      shortfall += need;
      firstShortDate ??= date;
    }
    if (belowSafetyDate === null && usableOn(date) < safety) belowSafetyDate = date;
  }
  const last = dates.at(-1);
  return { firstShortDate, shortfall, usableStart, endStock: last ? usableOn(last) : 0, belowSafetyDate };
}

interface SupplierChoice {
  supplier: Supplier;
  offer: SupplierOffer;
  inTime: boolean;
}

/** The preferred supplier if it delivers in time, else the cheapest that does, else the fastest. */
export function chooseSupplier(suppliers: readonly Supplier[], ingredientId: string, planDate: LocalDate, needDate: LocalDate): SupplierChoice | null {
  const candidates = suppliers.flatMap((supplier) =>
    supplier.offers.filter((o) => o.ingredientId === ingredientId).map((offer) => ({
      supplier, offer, inTime: daysBetween(planDate, needDate) >= supplier.leadTimeDays,
    })),
  );
  const inTime = candidates.filter((c) => c.inTime);
  return (
    inTime.find((c) => c.supplier.preferred) ??
    [...inTime].sort((a, b) => a.offer.unitPriceEur - b.offer.unitPriceEur)[0] ??
    [...candidates].sort((a, b) => a.supplier.leadTimeDays - b.supplier.leadTimeDays || a.offer.unitPriceEur - b.offer.unitPriceEur)[0] ??
    null
  );
}

/** Rounds a net quantity up to the supplier's minimum order and pack multiple, saying why. */
export function roundToOffer(netQuantity: number, offer: SupplierOffer | undefined, unit: string): { quantity: number; adjustments: QuantityAdjustment[] } {
  const adjustments: QuantityAdjustment[] = [];
  let quantity = round3(netQuantity);
  if (!offer) return { quantity, adjustments };
  if (quantity < offer.minimumOrderQuantity) {
    adjustments.push({ reason: `raised to the minimum order of ${offer.minimumOrderQuantity} ${unit}`, before: quantity, after: offer.minimumOrderQuantity });
    quantity = offer.minimumOrderQuantity;
  }
  if (offer.packSize > 0) {
    const packs = Math.ceil(round3(quantity / offer.packSize) - 1e-9);
    const rounded = round3(packs * offer.packSize);
    if (rounded !== quantity) {
      adjustments.push({ reason: `rounded up to whole packs of ${offer.packSize} ${unit} (${packs} ${packs === 1 ? "pack" : "packs"})`, before: quantity, after: rounded });
      quantity = rounded;
    }
  }
  return { quantity, adjustments };
}

/** Critical when the order must go out today or is already late; else by days of cover. */
function priorityOf(dueNow: boolean, daysOfCover: number): RequirementPriority {
  if (dueNow) return 'critical';
  if (daysOfCover <= 2) return 'high';
  if (daysOfCover <= 4) return 'medium';
  return 'low';
}

export function planProcurement(input: ProcurementInput): ProcurementPlan {
  const dates = Array.from({ length: input.horizonDays }, (_, i) => addDays(input.planDate, i));
  const gross = grossRequirements(input.catalog, input.production);
  const requirements: ProcurementRequirement[] = [];
  for (const ingredient of input.catalog.ingredients) {
    const needByDate = gross.get(ingredient.ingredientId) ?? new Map<LocalDate, number>();
    const grossQuantity = [...needByDate.values()].reduce((a, b) => a + b, 0);
    const lots = input.ingredientStock.filter((lot) => lot.ingredientId === ingredient.ingredientId);
    const projection = project(dates, needByDate, lots, ingredient.safetyStockQuantity);
    const safetyTopUp = Math.max(0, ingredient.safetyStockQuantity - projection.endStock);
    const netQuantity = round3(projection.shortfall + safetyTopUp);
    if (netQuantity <= 0) continue;
    const needDate = projection.firstShortDate ?? projection.belowSafetyDate ?? dates.at(-1)!;
    const choice = chooseSupplier(input.catalog.suppliers, ingredient.ingredientId, input.planDate, needDate);
    const adjustments: QuantityAdjustment[] = [];
    if (safetyTopUp > 0) {
      adjustments.push({ reason: `topped up to the safety stock of ${ingredient.safetyStockQuantity} ${ingredient.unit}`, before: round3(projection.shortfall), after: netQuantity });
    }
    const rounded = roundToOffer(netQuantity, choice?.offer, ingredient.unit);
    adjustments.push(...rounded.adjustments);
    const leadTimeDays = choice?.supplier.leadTimeDays ?? 0;
    const orderDate = addDays(needDate, -leadTimeDays);
    const daysOfCover = daysBetween(input.planDate, projection.firstShortDate ?? addDays(dates.at(-1)!, 1));
    requirements.push({
      ingredientId: ingredient.ingredientId,
      unit: ingredient.unit,
      supplierId: choice?.supplier.supplierId ?? null,
      needDate,
      orderDate: orderDate < input.planDate ? input.planDate : orderDate,
      grossQuantity: round3(grossQuantity),
      availableStock: round3(projection.usableStart),
      netQuantity,
      orderQuantity: rounded.quantity,
      adjustments,
      daysOfCover,
      priority: priorityOf(orderDate <= input.planDate || choice === null, daysOfCover),
      estimatedCostEur: Math.round(rounded.quantity * (choice?.offer.unitPriceEur ?? 0) * 100) / 100,
    });
  }
  const order: Record<RequirementPriority, number> = { critical: 0, high: 1, medium: 2, low: 3 };
  requirements.sort((a, b) => order[a.priority] - order[b.priority] || a.orderDate.localeCompare(b.orderDate));
  return {
    planId: procurementPlanId(input.tenantId, input.planDate, input.version),
    tenantId: input.tenantId,
    planDate: input.planDate,
    version: input.version,
    status: 'draft',
    horizonDays: input.horizonDays,
    requirements,
    totalCostEur: Math.round(requirements.reduce((t, r) => t + r.estimatedCostEur, 0) * 100) / 100,
    ...(input.supersedes ? { supersedes: input.supersedes } : {}),
    history: [{ at: input.generatedAt, by: 'planner', from: null, to: 'draft', reason: 'generated' }],
    generatedAt: input.generatedAt,
  };
}
