// The procurement plan: ingredient needs of the coming days' production, netted against usable stock,
// topped up to safety stock, bought from the right supplier early enough and in the quantities the
// supplier sells.
import type {
  Catalog,
  Ingredient,
  IngredientLot,
  OpenPurchaseOrder,
  ProcurementPlan,
  ProcurementRequirement,
  QuantityAdjustment,
  RequirementPriority,
  Supplier,
  SupplierOffer,
} from '../domain.ts';
import { addDays, daysBetween, type LocalDate, laterDate } from '../time/tenant-clock.ts';
import { type Said, said } from '../words/message.ts';
import { SENTENCES } from '../words/sentences.ts';
import { deliveryDate, latestOrderDate } from './deliveries.ts';
import { explodeRecipe } from './recipes.ts';

export const DEFAULT_HORIZON_DAYS = 7;

/** The days of the horizon from `planDate` on (the plan date first). */
export const horizonDates = (planDate: LocalDate, days = DEFAULT_HORIZON_DAYS): LocalDate[] =>
  Array.from({ length: days }, (_, i) => addDays(planDate, i));

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
  openOrders?: readonly OpenPurchaseOrder[];
  generatedAt: string;
  supersedes?: string;
  /** The tenant's currency: the catalog's prices are in it, and so are the plan's costs. */
  currency: string;
}

export function procurementPlanId(tenantId: string, planDate: LocalDate, version: number): string {
  return `proc-${tenantId}-${planDate}-v${version}`;
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;

/** Ingredient needs per date, from each day's production exploded through the recipes. */
export function grossRequirements(
  catalog: Catalog,
  production: readonly DailyProduction[],
): Map<string, Map<LocalDate, number>> {
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
  onOrder: number;
  endStock: number;
  /** First date on which stock left at the end of the day falls under the level. */
  firstBelow: (level: number) => LocalDate | null;
  /** Stock on hand at the start of a date (usable lots, arrivals included). */
  stockAt: (date: LocalDate) => number;
}

/**
 * Consumes usable lots first-expiring-first, day by day. Expired stock never counts; open orders count
 * from their arrival day, with the ingredient's shelf life from then.
 */
function project(
  dates: readonly LocalDate[],
  needByDate: ReadonlyMap<LocalDate, number>,
  lots: readonly IngredientLot[],
  openOrders: readonly OpenPurchaseOrder[],
  shelfLifeDays: number,
): Projection {
  const remaining = [
    ...lots.map((lot) => ({ quantity: lot.quantity, arrivesOn: '0000-00-00', expiresOn: lot.expiresOn })),
    ...openOrders.map((o) => ({
      quantity: o.quantity,
      arrivesOn: o.arrivesOn,
      expiresOn: addDays(o.arrivesOn, shelfLifeDays),
    })),
  ].sort((a, b) => a.expiresOn.localeCompare(b.expiresOn));
  const usableOn = (date: LocalDate) =>
    remaining.filter((lot) => lot.arrivesOn <= date && lot.expiresOn > date).reduce((t, lot) => t + lot.quantity, 0);
  const first = dates[0];
  const usableStart = first
    ? remaining.filter((l) => l.arrivesOn < first && l.expiresOn > first).reduce((t, l) => t + l.quantity, 0)
    : 0;
  const onOrder = openOrders
    .filter((o) => first && o.arrivesOn >= first && o.arrivesOn <= dates.at(-1)!)
    .reduce((t, o) => t + o.quantity, 0);
  let firstShortDate: LocalDate | null = null;
  let shortfall = 0;
  const startOfDay = new Map<LocalDate, number>();
  const endOfDay = new Map<LocalDate, number>();
  for (const date of dates) {
    startOfDay.set(date, usableOn(date));
    let need = needByDate.get(date) ?? 0;
    for (const lot of remaining) {
      if (need <= 0) break;
      if (lot.arrivesOn > date || lot.expiresOn <= date || lot.quantity <= 0) continue;
      const used = Math.min(lot.quantity, need);
      lot.quantity -= used;
      need -= used;
    }
    if (need > 1e-9) {
      shortfall += need;
      firstShortDate ??= date;
    }
    endOfDay.set(date, usableOn(date));
  }
  return {
    firstShortDate,
    shortfall,
    usableStart,
    onOrder,
    endStock: dates.length ? endOfDay.get(dates.at(-1)!)! : 0,
    firstBelow: (level) => dates.find((d) => endOfDay.get(d)! < level - 1e-9) ?? null,
    stockAt: (date) => startOfDay.get(date) ?? 0,
  };
}

/** The unit price of an order of `quantity`: the highest price tier reached, else the offer's price. */
export function unitPriceFor(offer: SupplierOffer, quantity: number): number {
  const tiers = [...(offer.priceTiers ?? [])].sort((a, b) => b.minQuantity - a.minQuantity);
  return tiers.find((t) => quantity >= t.minQuantity)?.unitPrice ?? offer.unitPrice;
}

interface SupplierChoice {
  supplier: Supplier;
  offer: SupplierOffer;
  inTime: boolean;
}

/** The preferred supplier if it delivers in time, else the cheapest that does (at this quantity), else the fastest. */
export function chooseSupplier(
  suppliers: readonly Supplier[],
  ingredientId: string,
  planDate: LocalDate,
  needDate: LocalDate,
  quantity = 0,
): SupplierChoice | null {
  const candidates = suppliers.flatMap((supplier) =>
    supplier.offers
      .filter((o) => o.ingredientId === ingredientId)
      .map((offer) => ({
        supplier,
        offer,
        inTime: deliveryDate(supplier, planDate) <= needDate,
      })),
  );
  const price = (c: SupplierChoice) => unitPriceFor(c.offer, Math.max(quantity, c.offer.minimumOrderQuantity));
  const inTime = candidates.filter((c) => c.inTime);
  return (
    inTime.find((c) => c.supplier.preferred) ??
    [...inTime].sort((a, b) => price(a) - price(b))[0] ??
    [...candidates].sort(
      (a, b) =>
        deliveryDate(a.supplier, planDate).localeCompare(deliveryDate(b.supplier, planDate)) || price(a) - price(b),
    )[0] ??
    null
  );
}

/** Rounds a net quantity up to the supplier's minimum order and pack multiple, saying why. */
export function roundToOffer(
  netQuantity: number,
  offer: SupplierOffer | undefined,
  unit: string,
): { quantity: number; adjustments: QuantityAdjustment[] } {
  const adjustments: QuantityAdjustment[] = [];
  let quantity = round3(netQuantity);
  if (!offer) return { quantity, adjustments };
  if (quantity < offer.minimumOrderQuantity) {
    adjustments.push({
      ...said(SENTENCES.minimumOrder, { quantity: offer.minimumOrderQuantity, unit }),
      before: quantity,
      after: offer.minimumOrderQuantity,
    });
    quantity = offer.minimumOrderQuantity;
  }
  if (offer.packSize > 0) {
    // The tolerance absorbs float noise only: rounding the ratio first would drop a real excess (375.01 kg in packs of 25 is 16 packs).
    const packs = Math.ceil(quantity / offer.packSize - 1e-9);
    const rounded = round3(packs * offer.packSize);
    if (rounded !== quantity) {
      adjustments.push({
        ...said(packs === 1 ? SENTENCES.onePack : SENTENCES.packs, { size: offer.packSize, unit, packs }),
        before: quantity,
        after: rounded,
      });
      quantity = rounded;
    }
  }
  return { quantity, adjustments };
}

/** The standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`A probability must be between 0 and 1, got ${p}.`);
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = (q: number) =>
    (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
    ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

const DEFAULT_SERVICE_LEVEL = 0.95;

/**
 * Safety stock: the fixed quantity if the ingredient has one, else z(service level) × the standard
 * deviation of daily use over the horizon × √(lead time in days).
 */
export function safetyStockFor(ingredient: Ingredient, dailyNeeds: readonly number[], leadTimeDays: number): number {
  if (ingredient.safetyStockQuantity !== undefined) return ingredient.safetyStockQuantity;
  if (dailyNeeds.length < 2) return 0;
  const mean = dailyNeeds.reduce((a, b) => a + b, 0) / dailyNeeds.length;
  const sd = Math.sqrt(dailyNeeds.reduce((t, x) => t + (x - mean) ** 2, 0) / (dailyNeeds.length - 1));
  return round3(
    Math.max(0, normalQuantile(ingredient.serviceLevel ?? DEFAULT_SERVICE_LEVEL)) *
      sd *
      Math.sqrt(Math.max(1, leadTimeDays)),
  );
}

/**
 * What a buyer reads first: `critical` when stock runs out before any delivery ordered today can arrive
 * (or nobody sells the ingredient), `high` when the order must go out today to arrive in time,
 * `medium` when it must go out within two days, `low` otherwise. The reason says it in words.
 */
export function priorityOf(input: {
  planDate: LocalDate;
  orderDate: LocalDate;
  needDate: LocalDate;
  runsOutOn: LocalDate | null;
  earliestDelivery: LocalDate | null;
  supplierId: string | null;
  /** The supplier's order cut-off, local time ("14:00"). */
  cutoff?: string;
}): { priority: RequirementPriority } & Said {
  const { planDate, orderDate, runsOutOn, earliestDelivery, needDate, cutoff } = input;
  if (!input.supplierId || !earliestDelivery) return { priority: 'critical', ...said(SENTENCES.noSupplier) };
  if (runsOutOn && runsOutOn < earliestDelivery)
    return { priority: 'critical', ...said(SENTENCES.runsOut, { runsOutOn, earliestDelivery }) };
  const before = <T extends string>(plain: T, withCutoff: T) => (cutoff ? withCutoff : plain);
  if (orderDate <= planDate)
    return {
      priority: 'high',
      ...said(before(SENTENCES.orderToday, SENTENCES.orderTodayBefore), { needDate, ...(cutoff ? { cutoff } : {}) }),
    };
  const days = daysBetween(planDate, orderDate);
  const values = { orderDate, ...(cutoff ? { cutoff } : {}) };
  if (days > 2) return { priority: 'low', ...said(before(SENTENCES.orderBy, SENTENCES.orderByBefore), values) };
  return days === 1
    ? { priority: 'medium', ...said(before(SENTENCES.orderTomorrow, SENTENCES.orderTomorrowBefore), values) }
    : { priority: 'medium', ...said(before(SENTENCES.orderInDays, SENTENCES.orderInDaysBefore), { ...values, days }) };
}

/** The first day a delivery ordered on `planDate` can arrive, among the ingredient's suppliers (lead times and delivery days). */
function earliestDeliveryOf(
  suppliers: readonly Supplier[],
  ingredientId: string,
  planDate: LocalDate,
): LocalDate | null {
  const days = suppliers
    .filter((s) => s.offers.some((o) => o.ingredientId === ingredientId))
    .map((s) => deliveryDate(s, planDate))
    .sort();
  return days[0] ?? null;
}

export function planProcurement(input: ProcurementInput): ProcurementPlan {
  const dates = Array.from({ length: input.horizonDays }, (_, i) => addDays(input.planDate, i));
  const gross = grossRequirements(input.catalog, input.production);
  const requirements: ProcurementRequirement[] = [];
  for (const ingredient of input.catalog.ingredients) {
    const needByDate = gross.get(ingredient.ingredientId) ?? new Map<LocalDate, number>();
    const grossQuantity = [...needByDate.values()].reduce((a, b) => a + b, 0);
    const lots = input.ingredientStock.filter((lot) => lot.ingredientId === ingredient.ingredientId);
    const orders = (input.openOrders ?? []).filter((o) => o.ingredientId === ingredient.ingredientId);
    const projection = project(dates, needByDate, lots, orders, ingredient.shelfLifeDays);
    const typicalLead =
      chooseSupplier(input.catalog.suppliers, ingredient.ingredientId, input.planDate, dates.at(-1)!)?.supplier
        .leadTimeDays ?? 1;
    const safetyStock = safetyStockFor(
      ingredient,
      dates.map((d) => needByDate.get(d) ?? 0),
      typicalLead,
    );
    // Reorder point / order-up-to: crossing the reorder point in the horizon raises the target to the level.
    const reorderDate = ingredient.reorderPoint !== undefined ? projection.firstBelow(ingredient.reorderPoint) : null;
    const targetEndStock = Math.max(
      safetyStock,
      reorderDate && ingredient.orderUpToLevel !== undefined ? ingredient.orderUpToLevel : 0,
    );
    const topUp = Math.max(0, targetEndStock - projection.endStock);
    const netQuantity = round3(projection.shortfall + topUp);
    if (netQuantity <= 0) continue;
    const needDate =
      projection.firstShortDate ??
      [projection.firstBelow(safetyStock), reorderDate].filter((d): d is string => d !== null).sort()[0] ??
      dates.at(-1)!;
    const choice = chooseSupplier(
      input.catalog.suppliers,
      ingredient.ingredientId,
      input.planDate,
      needDate,
      netQuantity,
    );
    const adjustments: QuantityAdjustment[] = [];
    if (topUp > 0) {
      const why =
        targetEndStock > safetyStock
          ? said(SENTENCES.topUpToLevel, {
              level: targetEndStock,
              unit: ingredient.unit,
              reorderPoint: ingredient.reorderPoint ?? 0,
            })
          : said(SENTENCES.topUpToSafety, { level: round3(safetyStock), unit: ingredient.unit });
      adjustments.push({ ...why, before: round3(projection.shortfall), after: netQuantity });
    }
    const rounded = roundToOffer(netQuantity, choice?.offer, ingredient.unit);
    adjustments.push(...rounded.adjustments);
    let orderQuantity = rounded.quantity;
    if (ingredient.maxStorageQuantity !== undefined) {
      const room = Math.max(0, ingredient.maxStorageQuantity - projection.stockAt(needDate));
      const pack = choice?.offer.packSize || 0;
      const capped = pack > 0 ? round3(Math.floor(room / pack + 1e-9) * pack) : round3(room);
      if (capped < orderQuantity) {
        adjustments.push({
          ...said(
            choice && capped < choice.offer.minimumOrderQuantity
              ? SENTENCES.storageLimitBelowMinimum
              : SENTENCES.storageLimit,
            { limit: ingredient.maxStorageQuantity, unit: ingredient.unit },
          ),
          before: orderQuantity,
          after: capped,
        });
        orderQuantity = capped;
      }
    }
    // The latest day to order and be delivered by the need date, on the supplier's delivery days.
    const orderDate = choice
      ? (latestOrderDate(choice.supplier, input.planDate, needDate) ?? input.planDate)
      : needDate;
    const urgency = priorityOf({
      planDate: input.planDate,
      orderDate,
      needDate,
      runsOutOn: projection.firstShortDate,
      earliestDelivery: earliestDeliveryOf(input.catalog.suppliers, ingredient.ingredientId, input.planDate),
      supplierId: choice?.supplier.supplierId ?? null,
      ...(choice?.supplier.orderCutoff ? { cutoff: choice.supplier.orderCutoff } : {}),
    });
    const daysOfCover = daysBetween(input.planDate, projection.firstShortDate ?? addDays(dates.at(-1)!, 1));
    const unitPrice = choice ? unitPriceFor(choice.offer, orderQuantity) : 0;
    requirements.push({
      ingredientId: ingredient.ingredientId,
      unit: ingredient.unit,
      supplierId: choice?.supplier.supplierId ?? null,
      needDate,
      orderDate: laterDate(orderDate, input.planDate),
      grossQuantity: round3(grossQuantity),
      availableStock: round3(projection.usableStart),
      onOrder: round3(projection.onOrder),
      safetyStock: round3(safetyStock),
      netQuantity,
      orderQuantity,
      unitPrice,
      adjustments,
      daysOfCover,
      priority: urgency.priority,
      priorityReason: urgency.reason,
      priorityMessage: urgency.message,
      estimatedCost: Math.round(orderQuantity * unitPrice * 100) / 100,
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
    currency: input.currency,
    totalCost: Math.round(requirements.reduce((t, r) => t + r.estimatedCost, 0) * 100) / 100,
    ...(input.supersedes ? { supersedes: input.supersedes } : {}),
    history: [{ at: input.generatedAt, by: 'planner', from: null, to: 'draft', reason: SENTENCES.generated }],
    generatedAt: input.generatedAt,
  };
}
