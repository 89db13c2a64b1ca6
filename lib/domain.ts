// The bakery's domain types, in one place. Quantities carry their unit in the name or the type.
import type { LocalDate } from './time/tenant-clock.ts';
import type { Message } from './words/message.ts';

export type QuantityUnit = 'kg' | 'l' | 'unit';

export interface Tenant {
  tenantId: string;
  name: string;
  /** IANA zone; every job runs in this zone's local time. */
  timezone: string;
  /** Demo tenants are skipped by scheduled runs; manual runs may include them. */
  demo: boolean;
  /** ISO 4217: every price and cost of the tenant's catalog and plans is in this currency. */
  currency: string;
  /** BCP 47: how amounts, dates and numbers are written for the tenant's people. */
  locale: string;
  /**
   * Local time ("HH:00", 07:00–23:00) by which today's plans should be approved: the review job escalates
   * those still waiting then, once per plan and day. Absent: 10:00.
   */
  reviewDeadline?: string;
  /** Local opening and closing times ("HH:MM"): a sold-out time must fall between. Absent: 06:00–20:00. */
  openingHours?: { opens: string; closes: string };
  /**
   * The public-holiday calendar of the bakery's country and region ("FR", "DE-BY", "US-CA"): its
   * holidays join the ones the tenant declares, for the forecasts. Absent: only the declared ones.
   */
  publicHolidays?: string;
  createdAt: string;
  /** Set by a zone change (or creation): the new zone's firings skip dates up to `plannedThrough` (zone-handover.ts). */
  handover?: TenantHandover;
}

export interface TenantHandover {
  at: string;
  from: string | null;
  to: string;
  /** Per job name (job-table.ts); a job missing here (added later) skips nothing. */
  plannedThrough: Partial<Record<string, LocalDate>>;
}

export interface Product {
  productId: string;
  name: string;
  unitPrice: number;
  unitCost: number;
  /** What an unsold unit is worth at the end of its shelf life (day-old sale, staff, animal feed). */
  salvageValue: number;
  shelfLifeDays: number;
  /** The recipe that makes this product (its yield is in units of the product). */
  recipeId: string;
  /** Minimum to bake per ISO weekday (1 = Monday … 7 = Sunday), when set. */
  parLevelByWeekday?: Partial<Record<number, number>>;
  /** The product family ("bread", "viennoiserie"…) whose service policy applies. */
  family?: string;
}

/**
 * What a product family is baked to (`family` "*" for every product without its own): a target fill
 * rate (expected share of demand served), or a waste ceiling (expected share of the bake unsold, in
 * percent), or neither: the newsvendor quantile, which maximises expected profit.
 */
export interface ServicePolicy {
  family: string;
  targetFillRate?: number;
  wasteCeilingPercent?: number;
}

export interface Ingredient {
  ingredientId: string;
  name: string;
  unit: QuantityUnit;
  shelfLifeDays: number;
  /** Always keep at least this much in stock. Omitted: computed from usage variability (see serviceLevel). */
  safetyStockQuantity?: number;
  /** Service level for a computed safety stock (default 0.95): z × σ(daily use) × √(lead time). */
  serviceLevel?: number;
  /** Reorder point / order-up-to policy: when projected stock falls below the reorder point, order up to the level. */
  reorderPoint?: number;
  orderUpToLevel?: number;
  /** The most the bakery can store; orders are capped so that stock never exceeds it. */
  maxStorageQuantity?: number;
}

interface RecipeComponent {
  kind: 'ingredient' | 'recipe';
  /** An ingredientId or a recipeId (a sub-recipe such as a dough). */
  id: string;
  /** Quantity of the component per one yield of the recipe, in the component's unit. */
  quantity: number;
}

export interface Recipe {
  recipeId: string;
  name: string;
  /** One batch of the recipe yields this much, in `yieldUnit`. */
  yieldQuantity: number;
  yieldUnit: QuantityUnit;
  components: RecipeComponent[];
  /** Share of the output lost in production (trimming, rejects): 0.05 = 5 %. */
  wasteFactor: number;
  /** Equipment the batch occupies (an oven, a mixer), when it needs one. */
  equipmentId?: string;
  batchMinutes: number;
  /**
   * For a sub-recipe (a dough, a poolish): how long before the batch that uses it it must be started —
   * mixing, fermenting, resting (default: its batchMinutes). Past midnight back, it is the evening before.
   */
  prepLeadMinutes?: number;
  /** Batch rules in good units: at least `minUnits`, at most `maxUnits` (default: one yield), in multiples of `multipleUnits`. */
  batch?: { minUnits?: number; maxUnits?: number; multipleUnits?: number };
}

export interface SupplierOffer {
  ingredientId: string;
  unitPrice: number;
  minimumOrderQuantity: number;
  packSize: number;
  /** Lower unit prices from a quantity on: the price of the highest tier reached applies to the whole order. */
  priceTiers?: { minQuantity: number; unitPrice: number }[];
}

/** Ordered but not yet delivered. */
export interface OpenPurchaseOrder {
  ingredientId: string;
  quantity: number;
  arrivesOn: LocalDate;
  supplierId?: string;
  /** The procurement plan whose orders went out (marked ordered): received or cancelled with it. */
  planId?: string;
}

export const WEEKDAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type WeekdayName = (typeof WEEKDAY_NAMES)[number];

export interface Supplier {
  supplierId: string;
  name: string;
  leadTimeDays: number;
  preferred: boolean;
  offers: SupplierOffer[];
  /** The weekdays it delivers on (absent: every day); a delivery due on another day comes on the next one of these. */
  deliveryDays?: WeekdayName[];
  /** The local time by which an order must be placed to count as that day's ("14:00"); later is the next day's. */
  orderCutoff?: string;
  /** Who takes the orders. */
  contact?: { name?: string; email?: string; phone?: string };
}

export interface Equipment {
  equipmentId: string;
  name: string;
  kind: 'oven' | 'mixer' | 'proofer' | 'fryer';
  availableHoursPerDay: number;
  /** Most units one batch can hold (trays in an oven); a recipe's batches never exceed it. */
  capacityPerBatch?: number;
}

export interface Catalog {
  products: Product[];
  ingredients: Ingredient[];
  recipes: Recipe[];
  suppliers: Supplier[];
  equipment: Equipment[];
  /** Waste against service per product family; without one, perishables follow the newsvendor rule. */
  servicePolicies?: ServicePolicy[];
}

interface FinishedGoodsLot {
  productId: string;
  quantity: number;
  producedOn: LocalDate;
}

export interface IngredientLot {
  ingredientId: string;
  quantity: number;
  expiresOn: LocalDate;
}

export interface StockSnapshot {
  finishedGoods: FinishedGoodsLot[];
  ingredients: IngredientLot[];
  openOrders?: OpenPurchaseOrder[];
}

/** Units sold per product on each open day; closure days are absent, not zero. */
export interface SalesHistory {
  /** productId → (date → units sold). */
  unitsByProduct: Record<string, Record<LocalDate, number>>;
  /** Days the bakery was closed: missing demand, not zero demand. */
  closedDates: LocalDate[];
  /** Public holidays and special days the tenant declared (past and coming): demand differs on them. */
  holidays?: LocalDate[];
  /**
   * productId → days it sold out: their units are a lower bound on demand (forecasting/censoring.ts).
   * On a write, the flags of the days written are set or cleared; absent, they are left as they are.
   */
  soldOut?: Record<string, LocalDate[]>;
}

/** Dated values of daily drivers (temperature, promotions…), one column each. */
export interface DailyDrivers {
  columns: string[];
  /** date → one value per column (NaN when unknown). */
  values: Record<LocalDate, number[]>;
}

export interface DemandForecast {
  productId: string;
  forecastDate: LocalDate;
  pointForecast: number;
  quantiles: { p10: number; p50: number; p90: number };
  method: string;
  /** Backtest accuracy of `method` on the recent past for this product. */
  accuracy: { wape: number | null; observations: number };
  /** The last date of history the forecast was computed from. */
  historyEnd: LocalDate;
  /**
   * The model's recent one-step errors, sorted: ratios actual / predicted (relative) or differences
   * actual − predicted (absolute). Any quantile of demand follows from them.
   */
  errors: { kind: 'relative' | 'absolute'; sorted: number[] };
}

export interface Batch {
  batchNumber: string;
  productId: string;
  recipeId: string;
  quantity: number;
  equipmentId: string | null;
  sequence: number;
  /** Local start time: batches follow each other on their equipment (or on the bench) from the shift start. */
  startsAt: string;
  minutes: number;
  priority: 'high' | 'medium' | 'low';
  reasoning: string;
  /** `reasoning` to translate (absent on plans made before messages). */
  reasoningMessage?: Message;
}

export interface ProductionLine {
  productId: string;
  /** The point forecast of demand. */
  forecastUnits: number;
  /** The demand quantile baked to, the rule that chose it, and the units it means. */
  quantile: number;
  quantileRule: string;
  /** `quantileRule` to translate. */
  quantileRuleMessage?: Message;
  targetUnits: number;
  freshStockUnits: number;
  parLevelUnits: number;
  plannedUnits: number;
  /**
   * Under a fill-rate policy: its family and target, and the fill rate baked to (the target, or as
   * corrected by what the policy's recent days served: lib/planning/fill-rate-feedback.ts).
   */
  fillRate?: { family: string; target: number; bakedTo: number };
}

/** Units that could not be placed on equipment: reported, never silently dropped. */
export interface ProductionShortfall {
  productId: string;
  units: number;
  reason: string;
  /** `reason` to translate (absent on plans made before messages). */
  message?: Message;
}

export const PRODUCTION_STATUSES = ['draft', 'confirmed', 'in_progress', 'completed', 'expired', 'archived'] as const;
export type ProductionStatus = (typeof PRODUCTION_STATUSES)[number];

export interface ProductionSchedule {
  planId: string;
  tenantId: string;
  planDate: LocalDate;
  status: ProductionStatus;
  lines: ProductionLine[];
  batches: Batch[];
  shortfalls: ProductionShortfall[];
  generatedAt: string;
  /** Planned by a catch-up (a date no scheduled firing planned), not by the schedule. */
  catchUp?: true;
}

export type RequirementPriority = 'critical' | 'high' | 'medium' | 'low';

export interface QuantityAdjustment {
  reason: string;
  /** `reason` to translate (absent on plans made before messages). */
  message?: Message;
  before: number;
  after: number;
}

export interface ProcurementRequirement {
  ingredientId: string;
  unit: QuantityUnit;
  supplierId: string | null;
  needDate: LocalDate;
  orderDate: LocalDate;
  grossQuantity: number;
  availableStock: number;
  /** Arriving from open purchase orders within the horizon. */
  onOrder: number;
  safetyStock: number;
  netQuantity: number;
  unitPrice: number;
  orderQuantity: number;
  adjustments: QuantityAdjustment[];
  daysOfCover: number;
  priority: RequirementPriority;
  /** The priority in a buyer's words: "runs out on 2026-11-29, before the earliest delivery (2026-11-30)…". */
  priorityReason: string;
  /** `priorityReason` to translate (absent on plans made before messages). */
  priorityMessage?: Message;
  estimatedCost: number;
}

export const PROCUREMENT_STATUSES = [
  'draft',
  'pending_approval',
  'approved',
  'in_execution',
  'completed',
  'rejected',
  'cancelled',
  'archived',
  'expired',
] as const;
export type ProcurementStatus = (typeof PROCUREMENT_STATUSES)[number];

export interface ApprovalHistoryEntry {
  at: string;
  by: string;
  from: ProcurementStatus | null;
  to: ProcurementStatus;
  reason?: string;
}

/** One order line signed off by a person before the whole plan is (approval by supplier or by line). */
export interface LineApproval {
  ingredientId: string;
  by: string;
  at: string;
}

export interface ProcurementPlan {
  planId: string;
  tenantId: string;
  planDate: LocalDate;
  version: number;
  status: ProcurementStatus;
  horizonDays: number;
  requirements: ProcurementRequirement[];
  /** Every amount of the plan is in this currency (the tenant's, when the plan was made). */
  currency: string;
  totalCost: number;
  supersedes?: string;
  history: ApprovalHistoryEntry[];
  /**
   * Order lines approved one by one (by supplier or by line) while the plan waits; when the last
   * ordering line is approved, the plan is approved. Absent: none yet.
   */
  approvedLines?: LineApproval[];
  generatedAt: string;
  /** Planned by a catch-up (a date no scheduled firing planned), not by the schedule. */
  catchUp?: true;
}
