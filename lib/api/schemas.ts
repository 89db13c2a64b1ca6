// Request bodies the API accepts, built on the one input grammar (lib/input/grammar.ts): validated at
// the edge, whole, before anything is written, so that the domain can trust its inputs.
import { z } from 'zod';
import { PROCUREMENT_STATUSES, WEEKDAY_NAMES } from '../domain.ts';
import { EVENT_DETAIL_TYPES, type EventDetailType } from '../events/catalogue.ts';
import { holidayCalendarIssue } from '../forecasting/public-holidays.ts';
import {
  calendarDate,
  currencyCode,
  displayName,
  entityId,
  freeText,
  LIMITS,
  limitedArray,
  localeTag,
  localTime,
  money,
  positiveMoney,
  positiveQuantity,
  quantity,
  wholeNumber,
} from '../input/grammar.ts';
import { JOB_NAMES, REVIEW_DEADLINES } from '../jobs/job-table.ts';
import { DEFAULT_CURRENCY, DEFAULT_LOCALE } from '../money.ts';
import { canonicalZone } from '../time/zone-names.ts';

/** A review deadline: a whole local hour from 07:00 to 23:00 (job-table.ts: REVIEW_DEADLINES). */
const reviewDeadline = z.enum(REVIEW_DEADLINES as [string, ...string[]], {
  message: 'expected a whole local hour from 07:00 to 23:00, such as 10:00',
});

/** Any zone or link name of the tz database, in any case; stored as its canonical name. */
const timezone = z
  .string()
  .max(64)
  .refine((name) => canonicalZone(name) !== null, 'expected an IANA timezone such as Europe/Madrid')
  .transform((name) => canonicalZone(name)!);
const unit = z.enum(['kg', 'l', 'unit']);
const shelfLifeDays = wholeNumber(1, 3650);
const revision = wholeNumber(1, 1_000_000);

/** A public-holiday calendar: a country, optionally its state and region; stored upper-case. */
const publicHolidays = z
  .string()
  .max(20)
  .transform((code) => code.toUpperCase())
  .superRefine((code, context) => {
    const issue = holidayCalendarIssue(code);
    if (issue) context.addIssue({ code: 'custom', message: issue });
  });

const openingHours = z
  .object({ opens: localTime, closes: localTime })
  .refine(
    (hours) => hours.opens < hours.closes,
    'opens must be before closes (a bakery open past midnight: give 23:59)',
  );

export const TenantCreateSchema = z.object({
  tenantId: entityId,
  name: displayName,
  timezone: timezone.default('Europe/Madrid'),
  currency: currencyCode.default(DEFAULT_CURRENCY),
  locale: localeTag.default(DEFAULT_LOCALE),
  reviewDeadline: reviewDeadline.optional(),
  openingHours: openingHours.optional(),
  publicHolidays: publicHolidays.optional(),
  demo: z.boolean().default(false),
});

export const TenantUpdateSchema = z
  .object({
    name: displayName.optional(),
    timezone: timezone.optional(),
    currency: currencyCode.optional(),
    locale: localeTag.optional(),
    reviewDeadline: reviewDeadline.optional(),
    openingHours: openingHours.optional(),
    publicHolidays: publicHolidays.optional(),
    demo: z.boolean().optional(),
  })
  .refine(
    (body) => Object.keys(body).length > 0,
    'nothing to update: give name, timezone, currency, locale, reviewDeadline, openingHours, publicHolidays or demo',
  );

const ProductSchema = z.object({
  productId: entityId,
  name: displayName,
  unitPrice: positiveMoney,
  unitCost: money,
  salvageValue: money,
  shelfLifeDays,
  recipeId: entityId,
  parLevelByWeekday: z.partialRecord(z.enum(['1', '2', '3', '4', '5', '6', '7']), quantity).optional(),
  family: entityId.optional(),
});
const ServicePolicySchema = z
  .object({
    family: z.union([entityId, z.literal('*')]),
    targetFillRate: z.number().min(0.5).max(0.999).optional(),
    wasteCeilingPercent: z.number().min(0).max(50).optional(),
  })
  .refine(
    (p) => p.targetFillRate === undefined || p.wasteCeilingPercent === undefined,
    'give a targetFillRate or a wasteCeilingPercent, not both',
  );
const IngredientSchema = z.object({
  ingredientId: entityId,
  name: displayName,
  unit,
  shelfLifeDays,
  safetyStockQuantity: quantity.optional(),
  serviceLevel: z.number().min(0.5).max(0.999).optional(),
  reorderPoint: quantity.optional(),
  orderUpToLevel: quantity.optional(),
  maxStorageQuantity: positiveQuantity.optional(),
});
const RecipeSchema = z.object({
  recipeId: entityId,
  name: displayName,
  yieldQuantity: positiveQuantity,
  yieldUnit: unit,
  wasteFactor: z.number().min(0).max(0.95),
  batchMinutes: wholeNumber(1, 24 * 60),
  prepLeadMinutes: wholeNumber(0, 2880).optional(),
  equipmentId: entityId.optional(),
  batch: z
    .object({
      minUnits: positiveQuantity.optional(),
      maxUnits: positiveQuantity.optional(),
      multipleUnits: positiveQuantity.optional(),
    })
    .optional(),
  components: z
    .array(z.object({ kind: z.enum(['ingredient', 'recipe']), id: entityId, quantity: positiveQuantity }))
    .min(1)
    .max(200),
});
const SupplierSchema = z.object({
  supplierId: entityId,
  name: displayName,
  leadTimeDays: wholeNumber(0, 365),
  preferred: z.boolean(),
  deliveryDays: z
    .array(z.enum(WEEKDAY_NAMES))
    .min(1, 'a supplier that delivers on no day cannot be ordered from; leave deliveryDays out for every day')
    .max(7)
    .refine((days) => new Set(days).size === days.length, 'each weekday at most once')
    .optional(),
  orderCutoff: localTime.optional(),
  contact: z
    .object({
      name: displayName.optional(),
      email: z.email().max(254).optional(),
      phone: z
        .string()
        .regex(/^\+?[0-9 ()./-]{5,30}$/, 'digits, spaces and + ( ) . / - only')
        .optional(),
    })
    .optional(),
  offers: z
    .array(
      z.object({
        ingredientId: entityId,
        unitPrice: money,
        minimumOrderQuantity: quantity,
        packSize: quantity,
        priceTiers: z
          .array(z.object({ minQuantity: positiveQuantity, unitPrice: money }))
          .max(50)
          .optional(),
      }),
    )
    .max(1000),
});
const EquipmentSchema = z.object({
  equipmentId: entityId,
  name: displayName,
  kind: z.enum(['oven', 'mixer', 'proofer', 'fryer']),
  availableHoursPerDay: z.number().min(0).max(24),
  capacityPerBatch: positiveQuantity.optional(),
});

type Issues = z.core.$RefinementCtx;

/** Each id once per list: two entries with one id would make the catalog ambiguous. */
function uniqueIds(
  ctx: Issues,
  list: readonly Record<string, unknown>[],
  field: string,
  idKey: string,
  what: string,
): Set<string> {
  const seen = new Set<string>();
  list.forEach((entry, i) => {
    const id = String(entry[idKey]);
    if (seen.has(id))
      ctx.addIssue({ code: 'custom', path: [field, i, idKey], message: `${what} "${id}" appears more than once` });
    seen.add(id);
  });
  return seen;
}

export const CatalogSchema = z
  .object({
    products: limitedArray(ProductSchema, LIMITS.catalogEntries, 'products'),
    ingredients: limitedArray(IngredientSchema, LIMITS.catalogEntries, 'ingredients'),
    recipes: limitedArray(RecipeSchema, LIMITS.catalogEntries, 'recipes'),
    suppliers: limitedArray(SupplierSchema, LIMITS.catalogEntries, 'suppliers'),
    equipment: limitedArray(EquipmentSchema, LIMITS.catalogEntries, 'pieces of equipment'),
    servicePolicies: limitedArray(ServicePolicySchema, 100, 'service policies').optional(),
  })
  .superRefine((catalog, ctx) => {
    uniqueIds(ctx, catalog.servicePolicies ?? [], 'servicePolicies', 'family', 'service policy for family');
    // Ids are unique and references resolve: a plan built on a dangling id would fail every morning.
    uniqueIds(ctx, catalog.products, 'products', 'productId', 'product');
    const recipes = uniqueIds(ctx, catalog.recipes, 'recipes', 'recipeId', 'recipe');
    const ingredients = uniqueIds(ctx, catalog.ingredients, 'ingredients', 'ingredientId', 'ingredient');
    const equipment = uniqueIds(ctx, catalog.equipment, 'equipment', 'equipmentId', 'equipment');
    uniqueIds(ctx, catalog.suppliers, 'suppliers', 'supplierId', 'supplier');
    catalog.products.forEach((p, i) => {
      if (!recipes.has(p.recipeId))
        ctx.addIssue({
          code: 'custom',
          path: ['products', i, 'recipeId'],
          message: `recipe "${p.recipeId}" is not in the catalog`,
        });
    });
    catalog.recipes.forEach((r, i) => {
      if (r.equipmentId && !equipment.has(r.equipmentId))
        ctx.addIssue({
          code: 'custom',
          path: ['recipes', i, 'equipmentId'],
          message: `equipment "${r.equipmentId}" is not in the catalog`,
        });
      r.components.forEach((c, j) => {
        if (!(c.kind === 'recipe' ? recipes : ingredients).has(c.id)) {
          ctx.addIssue({
            code: 'custom',
            path: ['recipes', i, 'components', j, 'id'],
            message: `${c.kind} "${c.id}" is not in the catalog`,
          });
        }
      });
    });
    catalog.suppliers.forEach((s, i) => {
      const offered = new Set<string>();
      s.offers.forEach((o, j) => {
        if (!ingredients.has(o.ingredientId))
          ctx.addIssue({
            code: 'custom',
            path: ['suppliers', i, 'offers', j, 'ingredientId'],
            message: `ingredient "${o.ingredientId}" is not in the catalog`,
          });
        if (offered.has(o.ingredientId))
          ctx.addIssue({
            code: 'custom',
            path: ['suppliers', i, 'offers', j, 'ingredientId'],
            message: `supplier "${s.supplierId}" offers "${o.ingredientId}" more than once`,
          });
        offered.add(o.ingredientId);
      });
    });
    const cycle = recipeCycle(catalog.recipes);
    if (cycle)
      ctx.addIssue({ code: 'custom', path: ['recipes'], message: `recipes form a cycle: ${cycle.join(' → ')}` });
  });

/** A cycle among sub-recipes (dough → bread → dough), or null. */
function recipeCycle(
  recipes: readonly { recipeId: string; components: readonly { kind: string; id: string }[] }[],
): string[] | null {
  const byId = new Map(recipes.map((r) => [r.recipeId, r]));
  const done = new Set<string>();
  const visit = (id: string, path: string[]): string[] | null => {
    if (path.includes(id)) return [...path.slice(path.indexOf(id)), id];
    if (done.has(id)) return null;
    for (const c of byId.get(id)?.components ?? []) {
      if (c.kind !== 'recipe') continue;
      const found = visit(c.id, [...path, id]);
      if (found) return found;
    }
    done.add(id);
    return null;
  };
  for (const r of recipes) {
    const found = visit(r.recipeId, []);
    if (found) return found;
  }
  return null;
}

export const StockSchema = z
  .object({
    finishedGoods: limitedArray(
      z.object({ productId: entityId, quantity, producedOn: calendarDate }),
      LIMITS.stockEntries,
      'finished-goods lots',
    ),
    ingredients: limitedArray(
      z.object({ ingredientId: entityId, quantity, expiresOn: calendarDate }),
      LIMITS.stockEntries,
      'ingredient lots',
    ),
    openOrders: limitedArray(
      z.object({
        ingredientId: entityId,
        quantity: positiveQuantity,
        arrivesOn: calendarDate,
        supplierId: entityId.optional(),
      }),
      LIMITS.stockEntries,
      'open orders',
    ).default([]),
  })
  .superRefine((stock, ctx) => {
    // One finished-goods lot per product and baking day: a second one is a line pasted twice (its units
    // would count twice). Two ingredient lots of one expiry stay two deliveries.
    const seen = new Map<string, number>();
    stock.finishedGoods.forEach((lot, i) => {
      const key = `${lot.productId} produced on ${lot.producedOn}`;
      const first = seen.get(key);
      if (first === undefined) seen.set(key, i);
      else
        ctx.addIssue({
          code: 'custom',
          path: ['finishedGoods', i],
          message: `the lot of ${key} appears twice (entries ${first} and ${i}); give it once, with the total quantity`,
        });
    });
  });

/** One product's day as it happened: sold, left over (of which carried over), and when it sold out. */
export const ActualSchema = z.object({
  date: calendarDate,
  productId: entityId,
  sold: wholeNumber(0, 1_000_000),
  leftover: wholeNumber(0, 1_000_000),
  carriedOver: wholeNumber(0, 1_000_000).default(0),
  soldOutAt: localTime.optional(),
});

export const ActualsImportSchema = z.object({
  actuals: limitedArray(ActualSchema, LIMITS.salesRows, 'actuals').min(1),
});

export const SalesRowSchema = z.object({ productId: entityId, date: calendarDate, units: quantity });

export const SalesImportSchema = z
  .object({
    rows: limitedArray(SalesRowSchema, LIMITS.salesRows, 'sales rows'),
    closedDates: limitedArray(calendarDate, LIMITS.datesPerImport, 'closed dates').default([]),
    /** Dates recorded as closures by mistake: they count as open days again. */
    reopenedDates: limitedArray(calendarDate, LIMITS.datesPerImport, 'reopened dates').default([]),
    holidays: limitedArray(calendarDate, LIMITS.datesPerImport, 'holidays').default([]),
  })
  .superRefine((input, ctx) => {
    if (input.rows.length + input.closedDates.length + input.reopenedDates.length + input.holidays.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['rows'],
        message: 'nothing to import: give rows, closedDates, reopenedDates or holidays',
      });
    }
    const seen = new Set<string>();
    input.rows.forEach((row, i) => {
      const key = `${row.productId} ${row.date}`;
      if (seen.has(key))
        ctx.addIssue({
          code: 'custom',
          path: ['rows', i],
          message: `product "${row.productId}" on ${row.date} appears more than once`,
        });
      seen.add(key);
    });
    const closed = new Set(input.closedDates);
    input.reopenedDates.forEach((date, i) => {
      if (closed.has(date))
        ctx.addIssue({ code: 'custom', path: ['reopenedDates', i], message: `${date} is both closed and reopened` });
    });
  });
export type SalesImport = z.infer<typeof SalesImportSchema>;

export const StatusChangeSchema = z.object({
  status: z.enum(PROCUREMENT_STATUSES),
  reason: freeText.optional(),
  expectedRevision: revision.optional(),
  /** With `completed`: what arrived, where it differs from the order (missing lines arrived in full). */
  received: limitedArray(z.object({ ingredientId: entityId, quantity }), LIMITS.modifications, 'received lines')
    .refine((lines) => new Set(lines.map((l) => l.ingredientId)).size === lines.length, 'each ingredient at most once')
    .optional(),
});

const idList = (what: string) =>
  limitedArray(entityId, LIMITS.modifications, what)
    .refine((ids) => new Set(ids).size === ids.length, 'each at most once')
    .optional();

export const LineApprovalSchema = z
  .object({
    supplierIds: idList('supplierIds'),
    ingredientIds: idList('ingredientIds'),
    expectedRevision: revision.optional(),
  })
  .refine((input) => (input.supplierIds?.length ?? 0) + (input.ingredientIds?.length ?? 0) > 0, {
    message: 'name at least one supplier (supplierIds) or order line (ingredientIds)',
    path: ['supplierIds'],
  });

export const ModificationSchema = z
  .object({
    changes: limitedArray(
      z.object({ ingredientId: entityId, orderQuantity: quantity }),
      LIMITS.modifications,
      'changes',
    ).min(1),
    reason: freeText.refine((text) => text.trim().length > 0, 'expected a reason'),
    expectedRevision: revision.optional(),
  })
  .superRefine((input, ctx) => {
    const seen = new Set<string>();
    input.changes.forEach((change, i) => {
      if (seen.has(change.ingredientId))
        ctx.addIssue({
          code: 'custom',
          path: ['changes', i, 'ingredientId'],
          message: `ingredient "${change.ingredientId}" is changed more than once`,
        });
      seen.add(change.ingredientId);
    });
  });

export const ManualRunSchema = z
  .object({
    job: z.enum(JOB_NAMES),
    planDate: calendarDate.optional(),
    timezone: timezone.optional(),
    tenantIds: limitedArray(entityId, LIMITS.tenantsPerRun, 'tenants').min(1).optional(),
    includeDemo: z.boolean().default(false),
  })
  .refine((run) => !(run.timezone && run.tenantIds), 'give either timezone or tenantIds, not both');

const webhookUrl = z
  .string()
  .max(2048, 'a URL of at most 2,048 characters')
  .refine((value) => URL.canParse(value), 'expected an absolute https URL');
const eventTypes = z
  .array(z.enum(EVENT_DETAIL_TYPES as [EventDetailType, ...EventDetailType[]]))
  .min(1, 'name at least one event type')
  .max(EVENT_DETAIL_TYPES.length)
  .refine((types) => new Set(types).size === types.length, 'each event type once');

export const WebhookCreateSchema = z.object({
  url: webhookUrl,
  eventTypes,
  description: freeText.optional(),
});

export const WebhookUpdateSchema = z
  .strictObject({
    url: webhookUrl.optional(),
    eventTypes: eventTypes.optional(),
    description: freeText.optional(),
    enabled: z.boolean().optional(),
    expectedRevision: wholeNumber(1, 1_000_000).optional(),
  })
  .refine(
    ({ expectedRevision: _r, ...change }) => Object.keys(change).length > 0,
    'nothing to update: give url, eventTypes, description or enabled',
  );

export const WebhookRotateSchema = z.object({
  /** How long the old secret keeps signing beside the new one (0: at once). */
  overlapHours: wholeNumber(0, 168).optional(),
});

export const WebhookReplaySchema = z.union([
  z.object({ eventId: z.string().regex(/^[0-9a-f]{32}$/, 'expected an event id (32 hex digits)') }),
  z.object({ from: z.iso.datetime(), to: z.iso.datetime() }),
]);
