// Request bodies the API accepts: validated at the edge, so that the domain can trust its inputs.
import { z } from 'zod';
import { JOB_NAMES } from '../jobs/job-table.ts';
import { PROCUREMENT_STATUSES } from '../domain.ts';
import { isValidTimezone } from '../time/tenant-clock.ts';

const id = z.string().min(1).max(100).regex(/^[A-Za-z0-9][A-Za-z0-9_.\- ]*$/, 'letters, digits, spaces and _ . - only');
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(d)), 'not a calendar date');
const timezone = z.string().refine(isValidTimezone, 'expected an IANA timezone such as Europe/Madrid');
const quantity = z.number().finite().nonnegative();
const positive = z.number().finite().positive();
const unit = z.enum(['kg', 'l', 'unit']);

export const TenantCreateSchema = z.object({
  tenantId: id,
  name: z.string().min(1).max(200),
  timezone: timezone.default('Europe/Madrid'),
  demo: z.boolean().default(false),
});

export const TenantUpdateSchema = z.object({
  name: z.string().min(1).max(200).optional(),
  timezone: timezone.optional(),
  demo: z.boolean().optional(),
}).refine((body) => Object.keys(body).length > 0, 'nothing to update: give name, timezone or demo');

export const CatalogSchema = z.object({
  products: z.array(z.object({
    productId: id, name: z.string().min(1), unitPriceEur: positive, unitCostEur: quantity, salvageValueEur: quantity,
    shelfLifeDays: z.number().int().positive(), recipeId: id,
    parLevelByWeekday: z.record(z.string().regex(/^[1-7]$/, 'weekday 1–7'), quantity).optional(),
  })),
  ingredients: z.array(z.object({
    ingredientId: id, name: z.string().min(1), unit, shelfLifeDays: z.number().int().positive(),
    safetyStockQuantity: quantity.optional(), serviceLevel: z.number().gt(0).lt(1).optional(),
    reorderPoint: quantity.optional(), orderUpToLevel: quantity.optional(), maxStorageQuantity: positive.optional(),
  })),
  recipes: z.array(z.object({
    recipeId: id, name: z.string().min(1), yieldQuantity: positive, yieldUnit: unit, wasteFactor: z.number().min(0).lt(1),
    batchMinutes: positive, equipmentId: id.optional(),
    batch: z.object({ minUnits: positive.optional(), maxUnits: positive.optional(), multipleUnits: positive.optional() }).optional(),
    components: z.array(z.object({ kind: z.enum(['ingredient', 'recipe']), id, quantity: positive })).min(1),
  })),
  suppliers: z.array(z.object({
    supplierId: id, name: z.string().min(1), leadTimeDays: z.number().int().nonnegative(), preferred: z.boolean(),
    offers: z.array(z.object({
      ingredientId: id, unitPriceEur: quantity, minimumOrderQuantity: quantity, packSize: quantity,
      priceTiers: z.array(z.object({ minQuantity: positive, unitPriceEur: quantity })).optional(),
    })),
  })),
  equipment: z.array(z.object({
    equipmentId: id, name: z.string().min(1), kind: z.enum(['oven', 'mixer', 'proofer', 'fryer']),
    availableHoursPerDay: z.number().min(0).max(24), capacityPerBatch: positive.optional(),
  })),
}).superRefine((catalog, ctx) => {
  // References must resolve: a plan built on a dangling id would fail every morning.
  const recipes = new Set(catalog.recipes.map((r) => r.recipeId));
  const ingredients = new Set(catalog.ingredients.map((i) => i.ingredientId));
  const equipment = new Set(catalog.equipment.map((e) => e.equipmentId));
  catalog.products.forEach((p, i) => {
    if (!recipes.has(p.recipeId)) ctx.addIssue({ code: 'custom', path: ['products', i, 'recipeId'], message: `recipe "${p.recipeId}" is not in the catalog` });
  });
  catalog.recipes.forEach((r, i) => {
    if (r.equipmentId && !equipment.has(r.equipmentId)) ctx.addIssue({ code: 'custom', path: ['recipes', i, 'equipmentId'], message: `equipment "${r.equipmentId}" is not in the catalog` });
    r.components.forEach((c, j) => {
      if (!(c.kind === 'recipe' ? recipes : ingredients).has(c.id)) {
        ctx.addIssue({ code: 'custom', path: ['recipes', i, 'components', j, 'id'], message: `${c.kind} "${c.id}" is not in the catalog` });
      }
    });
  });
});

export const StockSchema = z.object({
  finishedGoods: z.array(z.object({ productId: id, quantity, producedOn: date })),
  ingredients: z.array(z.object({ ingredientId: id, quantity, expiresOn: date })),
  openOrders: z.array(z.object({ ingredientId: id, quantity: positive, arrivesOn: date, supplierId: id.optional() })).default([]),
});

export const SalesImportSchema = z.object({
  rows: z.array(z.object({ productId: id, date, units: quantity })).min(1),
  closedDates: z.array(date).default([]),
  holidays: z.array(date).default([]),
});

export const StatusChangeSchema = z.object({
  status: z.enum(PROCUREMENT_STATUSES),
  reason: z.string().max(1000).optional(),
  expectedRevision: z.number().int().positive().optional(),
});

export const ModificationSchema = z.object({
  changes: z.array(z.object({ ingredientId: id, orderQuantity: quantity })).min(1),
  reason: z.string().min(1).max(1000),
  expectedRevision: z.number().int().positive().optional(),
});

export const ManualRunSchema = z.object({
  job: z.enum(JOB_NAMES),
  planDate: date.optional(),
  timezone: timezone.optional(),
  tenantIds: z.array(id).min(1).optional(),
  includeDemo: z.boolean().default(false),
}).refine((run) => !(run.timezone && run.tenantIds), 'give either timezone or tenantIds, not both');
